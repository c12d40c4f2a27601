"""Currencies and taxes on every platform: prices out, orders in."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..emag_api.platforms import PLATFORMS
from ..emag_api.sandbox import EmagSandbox
from .common import make_pricelist, use_currency
from .test_emag_offer import EmagOfferCase


@tagged("post_install", "-at_install")
class TestPlatformCurrency(EmagOfferCase):
    """The account's currency and the prices it publishes."""

    def _account(self, platform):
        return self.env["emag.account"].create(
            {
                "name": f"eMAG {platform}",
                "platform": platform,
                "api_url": self.sandbox.base_url,
                "username": "seller",
                "password": "secret",
            }
        )

    def test_the_platform_currency_is_a_fact_of_the_account(self):
        currencies = {
            platform: self._account(platform).currency_id
            for platform in ("emag_ro", "fd_ro", "emag_bg", "fd_bg", "emag_hu")
        }
        self.assertEqual(
            {platform: c.name for platform, c in currencies.items()},
            {
                "emag_ro": "RON",
                "fd_ro": "RON",
                "emag_bg": "EUR",  # since 2026-01-01
                "fd_bg": "EUR",
                "emag_hu": "HUF",
            },
        )
        # the seller can price in them: the account activated them
        self.assertTrue(all(c.active for c in currencies.values()))
        self.assertEqual(self.account.currency_id, self.ron)

    def test_publishing_in_another_currency_is_refused_before_any_call(self):
        eur = use_currency(self.env, "EUR", 0.2)
        self.account.pricelist_id = make_pricelist(self.env, eur)
        self.assertIn("set a pricelist in RON", self.account.money_warning)
        offer = self._offer()
        with self.assertRaisesRegex(
            UserError, "sells in RON, but its prices come from the pricelist"
        ):
            offer.action_publish()
        # without a pricelist: the products' prices, in the company's currency
        huf = use_currency(self.env, "HUF", 80)
        self.account.write({"pricelist_id": False, "custom_currency_id": huf.id})
        self.assertNotEqual(self.env.company.currency_id, huf)
        with self.assertRaisesRegex(UserError, "the company's currency"):
            offer.action_publish()
        self.assertEqual(self.sandbox.call_count(), 0)
        self.assertEqual(offer.state, "draft")

    def test_a_push_in_another_currency_sends_the_stock_not_the_price(self):
        offer = self._offer()
        self._publish(offer)
        self.assertEqual(offer.state, "published", offer.sync_error)
        eur = use_currency(self.env, "EUR", 0.2)
        self._set_stock(self.product, 5)
        with trap_jobs() as trap:
            self.account.pricelist_id = make_pricelist(self.env, eur)
            self._commit_stock_changes()
            trap.perform_enqueued_jobs()
        (call,) = self.sandbox.calls("offer/save")
        (sent,) = call.body["data"]
        self.assertEqual(sent["stock"], [{"warehouse_id": 1, "value": 13}])
        self.assertNotIn("sale_price", sent)
        self.assertIn("set a pricelist in RON", offer.sync_error)

    def test_prices_published_in_eur_carry_currency_type(self):
        eur = use_currency(self.env, "EUR", 0.2)
        # 100 in the company's currency is 20 EUR
        self.account.write(
            {"offer_currency": "EUR", "pricelist_id": make_pricelist(self.env, eur).id}
        )
        self.assertFalse(self.account.money_warning)
        offer = self._offer(min_sale_price=10, max_sale_price=40)
        self._publish(offer)
        self.assertEqual(offer.state, "published", offer.sync_error)
        sent = self.sandbox.offers[offer.emag_offer_id]
        self.assertEqual(sent["currency_type"], "EUR")
        self.assertEqual(float(sent["sale_price"]), 20.0)
        # back to the platform's currency: every price is sent again, without
        # currency_type
        self.account.write({"offer_currency": False, "pricelist_id": False})
        self.account.pricelist_id = make_pricelist(self.env, self.ron)
        offer.write({"min_sale_price": 50, "max_sale_price": 200})
        with trap_jobs() as trap:
            offer.action_push_now()
            trap.perform_enqueued_jobs()
        (sent,) = self.sandbox.calls("offer/save")[-1].body["data"]
        self.assertEqual(float(sent["sale_price"]), 100.0)
        self.assertNotIn("currency_type", sent)

    def test_prices_are_rounded_the_way_the_currency_is(self):
        # 7% off 99.99 tax included is 92.9907: the customer sees 92.99, and
        # eMAG gets the price ex-VAT that gives 92.99 back
        included = self._make_tax(
            "TVA 21% inclus", 21, price_include_override="tax_included"
        )
        product = self._make_product("Rotunjit", "RT-1", price=99.99, taxes=included)
        self.account.pricelist_id.item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": product.id,
                    "compute_price": "percentage",
                    "percent_price": 7,
                }
            )
        ]
        offer = self._offer(product_id=product.id)
        self.assertAlmostEqual(offer.sale_price, 76.8512, places=4)
        self.assertEqual(round(offer.sale_price * 1.21, 2), 92.99)


@tagged("post_install", "-at_install")
class TestSeveralPlatforms(EmagOfferCase):
    """One warehouse sold on two platforms."""

    def test_shares_of_one_warehouse_and_an_order_lowers_both(self):
        self._set_stock(self.product, 90)  # 100 free
        eur = use_currency(self.env, "EUR", 0.2)
        bulgaria = self.env["emag.account"].create(
            {
                "name": "eMAG Bulgaria",
                "platform": "emag_bg",
                "api_url": self.sandbox.base_url,
                "username": "seller",
                "password": "secret",
                "pricelist_id": make_pricelist(self.env, eur).id,
                "stock_share": 40,
                "stock_buffer": 0,
            }
        )
        self.account.write({"stock_share": 60, "stock_buffer": 0})
        romania = self._offer()
        other = self._offer(account_id=bulgaria.id)
        self.assertEqual((romania.channel_qty, other.channel_qty), (60, 40))
        (romania | other).write({"state": "published", "dirty": False})
        # a sale on Romania reserves 10: both platforms offer less, each in the
        # debounced push of its account
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Client"}).id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 10}
                    )
                ],
            }
        )
        with trap_jobs() as trap:
            sale.action_confirm()
            self._commit_stock_changes()
            pushes = [
                job
                for job in trap.enqueued_jobs
                if job.method_name == "_job_push_dirty"
            ]
        self.assertEqual(
            sorted(job.args[0].id for job in pushes),
            sorted((self.account | bulgaria).ids),
        )
        self.assertTrue(romania.dirty and other.dirty)
        romania.invalidate_recordset(["channel_qty"])
        other.invalidate_recordset(["channel_qty"])
        self.assertEqual((romania.channel_qty, other.channel_qty), (54, 36))


@tagged("post_install", "-at_install")
class TestOrderCurrencies(EmagOfferCase):
    """eMAG orders of other platforms, in companies of other currencies."""

    @classmethod
    def _company(cls, name, currency_code, country_code):
        country = cls.env.ref(f"base.{country_code.lower()}")
        currency = cls.env["emag.account"]._emag_currency(currency_code)
        currency.active = True
        company = cls.env["res.company"].create(
            {"name": name, "country_id": country.id, "currency_id": currency.id}
        )
        cls.env.user.company_ids |= company
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        company.write(
            {"currency_id": currency.id, "account_fiscal_country_id": country.id}
        )
        return company

    @classmethod
    def _tax(cls, company, name, amount, country_code, included=True):
        env = cls.env(context={"allowed_company_ids": [company.id]})
        country = cls.env.ref(f"base.{country_code.lower()}")
        group = env["account.tax.group"].create(
            {"name": name, "company_id": company.id, "country_id": country.id}
        )
        return env["account.tax"].create(
            {
                "name": name,
                "amount": amount,
                "type_tax_use": "sale",
                "company_id": company.id,
                "country_id": country.id,
                "tax_group_id": group.id,
                "price_include_override": "tax_included"
                if included
                else "tax_excluded",
            }
        )

    @classmethod
    def _oss(cls, company, country_code, mapping):
        """What l10n_eu_oss makes: a fiscal position for the destination
        country mapping each domestic tax to one of that country's rates."""
        country = cls.env.ref(f"base.{country_code.lower()}")
        return cls.env["account.fiscal.position"].create(
            {
                "name": f"OSS B2C {country.name}",
                "company_id": company.id,
                "country_id": country.id,
                "auto_apply": True,
                "tax_ids": [
                    Command.create({"tax_src_id": src.id, "tax_dest_id": dest.id})
                    for src, dest in mapping
                ],
            }
        )

    def _sandbox(self, platform):
        sandbox = EmagSandbox(username="seller", password="secret", platform=platform)
        sandbox.start()
        self.addCleanup(sandbox.stop)
        return sandbox

    def _platform_account(self, company, platform, pricelist, **values):
        sandbox = self._sandbox(platform)
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        account = (
            self.env["emag.account"]
            .with_company(company)
            .create(
                {
                    "name": f"{company.name} {platform}",
                    "company_id": company.id,
                    "platform": platform,
                    "api_url": sandbox.base_url,
                    "username": "seller",
                    "password": "secret",
                    "warehouse_id": warehouse.id,
                    "pricelist_id": pricelist.id,
                    **values,
                }
            )
        )
        product = self.env["product.product"].create(
            {"name": f"Produs {platform}", "is_storable": True}
        )
        self.env["emag.offer"].create(
            {"account_id": account.id, "product_id": product.id, "emag_offer_id": 501}
        )
        return sandbox, account

    def _abroad(self, company, platform, code, rate, home=None, dest=None):
        """``company`` selling on ``platform``: its currency ``code`` worth
        ``rate`` of the company's, a pricelist in it, an account, and, given
        ``home`` and ``dest`` (name and percent of the company's tax and of
        the platform country's, included in price), the One-Stop-Shop position
        mapping one to the other. Returns the currency, the destination tax,
        the position, the sandbox and the account."""
        currency = use_currency(self.env, code, rate, company)
        dest_tax = position = None
        if home:
            country = company.account_fiscal_country_id.code
            home_tax = self._tax(company, *home, country, included=False)
            dest_tax = self._tax(company, *dest, country)
            position = self._oss(
                company, PLATFORMS[platform].country, [(home_tax, dest_tax)]
            )
        pricelist = make_pricelist(self.env, currency, company=company)
        sandbox, account = self._platform_account(company, platform, pricelist)
        return currency, dest_tax, position, sandbox, account

    def _import(self, sandbox, account, **order):
        order.setdefault("products", [{"product_id": 501, "sale_price": "50"}])
        (seeded,) = sandbox.seed_orders([order])
        with trap_jobs():
            self.env["emag.order"]._emag_import(account, sandbox.orders[seeded["id"]])
        return self.env["emag.order"].search(
            [("account_id", "=", account.id), ("emag_order_id", "=", seeded["id"])]
        )

    def test_romanian_company_on_emag_bulgaria_in_eur(self):
        company = self._company("Magazin RO SRL", "RON", "RO")
        # 1 EUR = 5 RON
        eur, bg20, oss, sandbox, account = self._abroad(
            company, "emag_bg", "EUR", 0.2, ("TVA 21%", 21), ("20% BG VAT", 20)
        )
        self.assertEqual(account.currency_id, eur)
        # 41.6667 + 20% = 50.00 EUR, shipping 4.99 EUR with VAT
        binding = self._import(
            sandbox,
            account,
            shipping_tax="4.99",
            products=[{"product_id": 501, "sale_price": "41.6667", "quantity": 2}],
        )
        self.assertEqual(binding.state, "done", binding.exception_message)
        sale = binding.sale_order_id
        self.assertEqual(sale.currency_id, eur)
        self.assertEqual(binding.currency_id, eur)
        self.assertEqual(sale.fiscal_position_id, oss)
        self.assertEqual(sale.order_line.tax_id, bg20)
        self.assertEqual(sale.amount_total, 104.99)
        # accounting in RON at Odoo's rate
        invoice = sale._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.currency_id, eur)
        self.assertEqual(invoice.amount_total, 104.99)
        self.assertAlmostEqual(invoice.amount_total_signed, 524.95, places=2)

    def test_an_order_of_2025_on_emag_bulgaria_is_in_bgn(self):
        company = self._company("Magazin BG SRL", "RON", "RO")
        _eur, _bg20, _oss, sandbox, account = self._abroad(
            company, "emag_bg", "EUR", 0.2, ("TVA 21%", 21), ("20% BG VAT", 20)
        )
        line = {"product_id": 501, "sale_price": "41.6667"}
        binding = self._import(
            sandbox, account, date="2025-12-28 10:00:00", products=[line]
        )
        self.assertEqual(binding.state, "exception")
        self.assertIn("is in BGN", binding.exception_message)
        self.assertIn("create a pricelist in it", binding.exception_message)
        self.assertFalse(binding.sale_order_id)
        # the seller adds a pricelist in BGN: the order comes in, in BGN
        bgn = use_currency(self.env, "BGN", 0.391, company)
        make_pricelist(self.env, bgn, company=company)
        self.env["emag.order"]._emag_import(
            account, sandbox.orders[binding.emag_order_id]
        )
        self.assertEqual(binding.state, "done", binding.exception_message)
        self.assertEqual(binding.sale_order_id.currency_id, bgn)
        self.assertEqual(binding.sale_order_id.amount_total, 50.0 + 19.99)

    def test_eur_company_on_emag_romania_in_ron(self):
        company = self._company("Shop BG EOOD", "EUR", "BG")
        zero = self._tax(company, "0%", 0, "BG", included=False)
        ron, ro21, _oss, sandbox, account = self._abroad(
            company, "emag_ro", "RON", 5.0, ("ДДС 20%", 20), ("21% RO VAT", 21)
        )
        binding = self._import(
            sandbox,
            account,
            shipping_tax="19.99",
            products=[
                {
                    "product_id": 501,
                    "sale_price": "82.6446",
                    "vat": "0.21",
                    "recycle_warranties": [
                        {"quantity": 2, "sale_price": 0.5, "vat_rate": 0}
                    ],
                }
            ],
        )
        self.assertEqual(binding.state, "done", binding.exception_message)
        sale = binding.sale_order_id
        self.assertEqual(sale.currency_id, ron)
        self.assertEqual(sale.amount_total, 100 + 1 + 19.99)
        # destination VAT on the product and the shipping, 0% on the deposit
        self.assertEqual(sale.order_line.tax_id, ro21 | zero)
        self.assertTrue(all(len(line.tax_id) == 1 for line in sale.order_line))

    def test_huf_amounts_on_emag_hungary(self):
        company = self._company("Magazin HU SRL", "RON", "RO")
        huf, hu27, _oss, sandbox, account = self._abroad(
            company, "emag_hu", "HUF", 80.0, ("TVA 21%", 21), ("27% HU VAT", 27)
        )
        self.assertEqual(account.currency_id, huf)
        # 7873.0159 + 27% = 9998.73 HUF
        binding = self._import(
            sandbox,
            account,
            shipping_tax="1499",
            products=[{"product_id": 501, "sale_price": "7873.0159", "quantity": 2}],
        )
        self.assertEqual(binding.state, "done", binding.exception_message)
        sale = binding.sale_order_id
        self.assertEqual(sale.currency_id, huf)
        self.assertEqual(sale.order_line.tax_id, hu27)
        self.assertAlmostEqual(sale.amount_total, 2 * 9998.73 + 1499, places=2)
        self.assertEqual(binding.emag_total, sale.amount_total)

    def test_another_countrys_vat_needs_its_one_stop_shop_tax(self):
        company = self._company("Fara OSS SRL", "RON", "RO")
        _eur, _tax, _oss, sandbox, account = self._abroad(
            company, "emag_bg", "EUR", 0.2
        )
        # the account says so before any order comes
        self.assertIn("eMAG charges the VAT of Bulgaria", account.money_warning)
        binding = self._import(sandbox, account)
        self.assertEqual(binding.state, "exception")
        self.assertIn("One-Stop-Shop", binding.exception_message)
        self.assertIn("Bulgaria", binding.exception_message)
        # OSS taxes as l10n_eu_oss creates them: excluded from price
        ro21 = self._tax(company, "TVA 21%", 21, "RO", included=False)
        bg20 = self._tax(company, "20% BG VAT", 20, "RO", included=False)
        self._oss(company, "BG", [(ro21, bg20)])
        with trap_jobs():
            self.env["emag.order"]._emag_import(
                account, sandbox.orders[binding.emag_order_id]
            )
        self.assertIn("not included in the price", binding.exception_message)
        # the seller names a tax included in price for 20%
        included = self._tax(company, "20% BG VAT inclus", 20, "RO")
        account.tax_map_ids = [Command.create({"vat_rate": 20, "tax_id": included.id})]
        with trap_jobs():
            self.env["emag.order"]._emag_import(
                account, sandbox.orders[binding.emag_order_id]
            )
        self.assertEqual(binding.state, "done", binding.exception_message)
        self.assertEqual(binding.sale_order_id.order_line.tax_id, included)

    def test_lines_in_two_currencies_are_kept_as_an_exception(self):
        company = self._company("Doua Monede SRL", "RON", "RO")
        _eur, _tax, _oss, sandbox, account = self._abroad(
            company, "emag_bg", "EUR", 0.2
        )
        binding = self._import(
            sandbox,
            account,
            products=[
                {"product_id": 501, "sale_price": "10", "currency": "EUR"},
                {"product_id": 501, "sale_price": "10", "currency": "BGN"},
            ],
        )
        self.assertEqual(binding.state, "exception")
        self.assertIn("several currencies (BGN, EUR)", binding.exception_message)
        self.assertTrue(binding.raw_payload)


@tagged("post_install", "-at_install")
class TestTaxMapping(EmagOfferCase):
    def test_every_rate_gets_one_tax_and_the_seller_may_name_it(self):
        self.env.company.account_fiscal_country_id = self.env.ref("base.ro")
        excluded = self._make_tax("TVA 11%", 11)
        included = self._make_tax(
            "TVA 11% inclus", 11, price_include_override="tax_included"
        )
        zero = self._make_tax("TVA 0%", 0)
        # the Romanian chart's tax of non-taxable supplies, which SGR deposits take
        non_taxable = self.env["account.chart.template"].ref(
            "tvatine", raise_if_not_found=False
        ) or self._make_tax("0% NT", 0, sequence=33)
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"account.{self.env.company.id}_tvatine",
                    "record": non_taxable,
                    "noupdate": True,
                }
            ]
        )
        with (
            self.assertRaisesRegex(ValidationError, "not included in the price"),
            self.env.cr.savepoint(),
        ):
            self.account.tax_map_ids = [
                Command.create({"vat_rate": 11, "tax_id": excluded.id})
            ]
        with (
            self.assertRaisesRegex(ValidationError, "not a 21.0% sale tax"),
            self.env.cr.savepoint(),
        ):
            self.account.tax_map_ids = [
                Command.create({"vat_rate": 21, "tax_id": included.id})
            ]
        self.assertEqual(self.account._emag_sale_tax(0.11), included)
        self.assertEqual(self.account._emag_sale_tax(0), zero)
        self.assertEqual(self.account._emag_sale_tax(0, "deposit"), non_taxable)
        # the tax of 21% of this class is excluded from price: none to propose
        with self.assertRaisesRegex(UserError, "No sale tax of 21.0% included"):
            self.account._emag_sale_tax(0.21)
        self.account.action_propose_taxes()
        rows = {
            (row.line_kind, row.vat_rate): row.tax_id
            for row in self.account.tax_map_ids
        }
        self.assertEqual(
            rows,
            {
                ("any", 11.0): included,
                ("any", 0.0): zero,
                ("deposit", 0.0): non_taxable,
            },
        )
        self.assertIn("No sale tax of 21.0%", self.account.message_ids[0].body)
