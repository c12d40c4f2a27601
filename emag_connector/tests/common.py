from odoo import fields
from odoo.tests.common import TransactionCase

from ..emag_api.sandbox import EmagSandbox


def make_sale_tax(env, name, amount, **values):
    """A Romanian sale tax (its tax group is created with the first one)."""
    romania = env.ref("base.ro")
    group = env["account.tax.group"].search(
        [("name", "=", "TVA"), ("country_id", "=", romania.id)], limit=1
    ) or env["account.tax.group"].create({"name": "TVA", "country_id": romania.id})
    return env["account.tax"].create(
        {
            "name": name,
            "amount": amount,
            "type_tax_use": "sale",
            "country_id": romania.id,
            "tax_group_id": group.id,
            **values,
        }
    )


def use_currency(env, code, rate=1.0, company=None):
    """The currency ``code``, active, worth ``rate`` units for one of the
    company's currency today in the company (whatever rates the database
    already has, demo data included)."""
    company = company or env.company
    currency = (
        env["res.currency"]
        .with_context(active_test=False)
        .search([("name", "=", code)])
    )
    currency.active = True
    rates = {currency: rate, company.currency_id: 1.0}
    for record, value in rates.items():
        env["res.currency.rate"].search(
            [
                ("currency_id", "=", record.id),
                ("company_id", "=", company.root_id.id),
                ("name", "=", fields.Date.today()),
            ]
        ).unlink()
        env["res.currency.rate"].create(
            {
                "currency_id": record.id,
                "company_id": company.root_id.id,
                "name": fields.Date.today(),
                "rate": value,
            }
        )
    return currency


def make_pricelist(env, currency, name=None, company=None):
    return env["product.pricelist"].create(
        {
            "name": name or f"eMAG {currency.name}",
            "currency_id": currency.id,
            "company_id": company.id if company else False,
        }
    )


class EmagSandboxCase(TransactionCase):
    """An eMAG sandbox served on a localhost port, and an account pointing at it.

    Each test gets a sandbox of its own (eMAG's state is not rolled back with
    the test's transaction); ``setUpClass`` may use the class's sandbox to
    import what every test shares, such as reference data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = cls._start_sandbox()
        # the sandbox is eMAG Romania: prices and orders in RON, worth one unit
        # of the company's currency here
        cls.ron = use_currency(cls.env, "RON")
        cls.account = cls.env["emag.account"].create(
            {
                "name": "eMAG sandbox",
                "platform": "custom",
                "api_url": cls.sandbox.base_url,
                "username": "seller",
                "password": "secret",
                "custom_currency_id": cls.ron.id,
                "pricelist_id": make_pricelist(cls.env, cls.ron).id,
            }
        )

    @classmethod
    def _start_sandbox(cls):
        sandbox = EmagSandbox(username="seller", password="secret")
        sandbox.start()
        cls.addClassCleanup(sandbox.stop)
        return sandbox

    def setUp(self):
        super().setUp()
        self.sandbox = self._start_sandbox()
        self.account.api_url = self.sandbox.base_url
