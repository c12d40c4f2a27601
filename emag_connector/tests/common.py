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
        cls.account = cls.env["emag.account"].create(
            {
                "name": "eMAG sandbox",
                "platform": "custom",
                "api_url": cls.sandbox.base_url,
                "username": "seller",
                "password": "secret",
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
