"""eMAG's invoices to the seller become draft vendor bills
(``models/emag_vendor_bill.py``), read from the sandbox over HTTP."""

from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests.common import tagged

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api import invoices as emag_invoices
from .common import EmagSandboxCase

EMAG_VAT = "RO14399840"


def make_purchase_tax(env, amount, country, **values):
    """A purchase tax of ``amount`` percent, excluded from price."""
    group = env["account.tax.group"].search(
        [("name", "=", "TVA"), ("country_id", "=", country.id)], limit=1
    ) or env["account.tax.group"].create({"name": "TVA", "country_id": country.id})
    return env["account.tax"].create(
        {
            "name": f"eMAG test purchase {amount}%",
            "amount": amount,
            "type_tax_use": "purchase",
            "price_include_override": "tax_excluded",
            "country_id": country.id,
            "tax_group_id": group.id,
            **values,
        }
    )


def make_expense_account(env, code, name):
    return env["account.account"].create(
        {"code": code, "name": name, "account_type": "expense"}
    )


class VendorBillCase(EmagSandboxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        romania = env.ref("base.ro")
        env.company.country_id = romania
        env.company.account_fiscal_country_id = romania
        env.company.tax_calculation_rounding_method = "round_per_line"
        cls.tax_21, cls.tax_19, cls.tax_0 = (
            make_purchase_tax(env, amount, romania) for amount in (21, 19, 0)
        )
        cls.commission_account = make_expense_account(env, "622991", "Commissions")
        cls.shipping_account = make_expense_account(env, "624991", "Transport")
        if not env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", env.company.id)]
        ):
            env["account.journal"].create(
                {
                    "name": "Vendor Bills",
                    "code": "EBILL",
                    "type": "purchase",
                    "default_account_id": make_expense_account(
                        env, "600991", "Expenses"
                    ).id,
                }
            )
        cls.categories = cls.env["emag.invoice.category"]

    def _pull(self):
        return self.env["emag.vendor.bill"]._job_pull_vendor_bills(self.account)

    def _bills(self):
        return self.env["emag.vendor.bill"].search(
            [("account_id", "=", self.account.id)]
        )

    def _bill(self, number):
        bill = self._bills().filtered(lambda b: b.name == number)
        self.assertEqual(len(bill), 1, number)
        return bill

    def _map(self, code, account, taxes=None):
        """The seller's mapping of a category, before eMAG's invoices are read."""
        return self.categories.create(
            {
                "account_id": self.account.id,
                "code": code,
                "expense_account_id": account.id,
                "tax_ids": [Command.set(taxes.ids)] if taxes else [],
            }
        )

    def assertSameTotals(self, bill):
        move = bill.move_id
        self.assertEqual(
            (move.amount_untaxed, move.amount_tax, move.amount_total),
            (bill.total_without_vat, bill.total_vat_value, bill.total_with_vat),
        )


@tagged("post_install", "-at_install")
class TestVendorBills(VendorBillCase):
    def test_each_category_becomes_a_draft_bill_on_its_account_and_taxes(self):
        self._map("FC", self.commission_account, self.tax_21)
        self._map("FT", self.shipping_account)
        commission, transport, storage, penalty, storno = self.sandbox.seed_invoices(
            [
                {
                    "category": "FC",
                    "payment_term": 15,
                    "lines": [
                        {"product_name": "Comision comenzi", "unit_price": "84.33"},
                        {"product_name": "Comision vouchere", "unit_price": "0.07"},
                    ],
                },
                {
                    "category": "FT",
                    "lines": [{"quantity": 3, "unit_price": 12.5, "vat_rate": 21}],
                },
                {"category": "FB", "lines": [{"unit_price": 40, "vat_rate": 19}]},
                {"category": "FP", "lines": [{"unit_price": 150, "vat_rate": 0}]},
                {
                    "category": "SC",
                    "is_storno": 1,
                    "lines": [{"quantity": -1, "unit_price": 20, "vat_rate": 21}],
                },
            ]
        )
        self._pull()

        mapping = {c.code: c for c in self.categories.search([])}
        self.assertEqual(
            {code: mapping[code].kind for code in ("FB", "FP", "SC")},
            {"FB": "storage", "FP": "penalty", "SC": "commission"},
        )
        self.assertTrue(mapping["SC"].is_storno)
        self.assertTrue(all(c.listed_by_emag for c in mapping.values()))
        default_account = self.categories._emag_default_account(self.env.company)
        self.assertEqual(mapping["FB"].expense_account_id, default_account)

        bills = self._bills()
        self.assertEqual(len(bills), 5)
        self.assertEqual(set(bills.mapped("state")), {"done"})
        self.assertFalse(any(bills.mapped("unknown_category")))
        vendor = bills.move_id.partner_id
        self.assertEqual(len(vendor), 1)
        self.assertEqual(
            (vendor.name, vendor.vat, vendor.company_id),
            ("Dante International SA", EMAG_VAT, self.env.company),
        )
        for bill in bills:
            self.assertSameTotals(bill)
            self.assertEqual(bill.move_id.state, "draft")
            self.assertEqual(bill.move_id.ref, bill.name)
            self.assertEqual(bill.move_id.currency_id, self.ron)

        move = self._bill(commission["number"]).move_id
        self.assertEqual(move.move_type, "in_invoice")
        self.assertEqual(str(move.invoice_date), commission["date"])
        self.assertEqual(move.invoice_date_due, move.invoice_date + timedelta(days=15))
        self.assertEqual(
            move.invoice_line_ids.mapped("name"),
            ["Comision comenzi", "Comision vouchere"],
        )
        self.assertEqual(move.invoice_line_ids.account_id, self.commission_account)
        self.assertEqual(move.invoice_line_ids.tax_ids, self.tax_21)
        # eMAG's VAT is per line: 17.71 + 0.01
        self.assertEqual((move.amount_tax, move.amount_total), (17.72, 102.12))

        move = self._bill(transport["number"]).move_id
        self.assertEqual(move.invoice_line_ids.account_id, self.shipping_account)
        self.assertEqual(
            (move.invoice_line_ids.quantity, move.invoice_line_ids.price_unit),
            (3, 12.5),
        )
        self.assertEqual(move.invoice_line_ids.tax_ids.amount, 21)

        move = self._bill(storage["number"]).move_id
        self.assertEqual(move.invoice_line_ids.account_id, default_account)
        self.assertEqual(move.invoice_line_ids.tax_ids.amount, 19)
        self.assertEqual(move.amount_total, 47.6)

        move = self._bill(penalty["number"]).move_id
        self.assertEqual(move.invoice_line_ids.tax_ids.amount, 0)
        self.assertEqual(move.amount_total, 150)

        move = self._bill(storno["number"]).move_id
        self.assertEqual(move.move_type, "in_refund")
        self.assertTrue(self._bill(storno["number"]).is_credit_note)
        self.assertEqual(
            (move.amount_untaxed, move.amount_tax, move.amount_total),
            (20, 4.2, 24.2),
        )
        self.assertEqual(move.invoice_line_ids.quantity, 1)

    def test_an_invoice_is_billed_once_however_often_it_is_read(self):
        self.sandbox.seed_invoices([{"category": "FC"}, {"category": "FT"}])
        first = self._pull()
        self.assertIn("2 bills created", first)
        moves = self._bills().move_id
        self.assertEqual(len(moves), 2)
        second = self._pull()
        self.assertIn("2 already imported", second)
        self.assertEqual(self._bills().move_id, moves)
        # a bill the seller deleted is not made again either
        moves[0].unlink()
        self._pull()
        self.assertEqual(len(self._bills().move_id), 1)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("ref", "in", self._bills().mapped("name"))]
            ),
            1,
        )

    def test_every_page_is_read_from_the_cursor(self):
        self.sandbox.seed_invoices([{"category": "FC"} for _ in range(5)])
        with patch.object(emag_invoices, "INVOICE_PAGE_SIZE", 2):
            self._pull()
        self.assertEqual(len(self._bills().move_id), 5)
        calls = self.sandbox.calls("invoice/read")
        self.assertEqual([c.body["data"]["currentPage"] for c in calls], [1, 2, 3])
        today = self.account._emag_local(fields.Datetime.now()).date()
        first_day = today.replace(day=1) - relativedelta(months=1)
        self.assertEqual(calls[0].body["data"]["date_start"], str(first_day))
        self.assertEqual(calls[0].body["data"]["date_end"], str(today))
        cursor = self.env["emag.vendor.bill.cursor"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(cursor.read_until, today)
        self.sandbox.reset_log()
        self._pull()
        (call,) = self.sandbox.calls("invoice/read")
        self.assertEqual(
            call.body["data"]["date_start"], str(today - timedelta(days=10))
        )

    def test_totals_that_do_not_add_up_stop_the_bill_with_the_difference(self):
        (invoice,) = self.sandbox.seed_invoices(
            [
                {
                    "category": "FC",
                    "lines": [{"unit_price": 100, "vat_rate": 21}],
                    "total_vat_value": 21.01,
                    "total_with_vat": 121.01,
                }
            ]
        )
        self.assertIn("1 in exception", self._pull())
        bill = self._bill(invoice["number"])
        self.assertEqual(bill.state, "exception")
        self.assertFalse(bill.move_id)
        self.assertFalse(self.env["account.move"].search([("ref", "=", bill.name)]))
        self.assertIn("VAT", bill.exception_message)
        self.assertIn("21.01", bill.exception_message)
        self.assertIn("21.00", bill.exception_message)
        self.assertRegex(bill.exception_message, r"difference -\W*0\.01")
        self.assertEqual(bill.total_with_vat, 121.01)
        self.assertIn('"total_vat_value": 21.01', bill.raw_payload)

    def test_a_bill_odoo_totals_otherwise_waits_for_the_fix_then_retry(self):
        """eMAG rounds the VAT per line; a company rounding it globally makes
        another VAT: no bill until the setting is right."""
        self.env.company.tax_calculation_rounding_method = "round_globally"
        (invoice,) = self.sandbox.seed_invoices(
            [
                {
                    "category": "FB",
                    "lines": [{"unit_price": "0.03", "vat_rate": 19}] * 3,
                }
            ]
        )
        self.assertEqual(invoice["total_vat_value"], 0.03)
        self._pull()
        bill = self._bill(invoice["number"])
        self.assertEqual(bill.state, "exception")
        self.assertIn("Odoo's bill", bill.exception_message)
        self.assertFalse(self.env["account.move"].search([("ref", "=", bill.name)]))
        self.env.company.tax_calculation_rounding_method = "round_per_line"
        self.sandbox.reset_log()
        bill.action_retry()
        self.assertFalse(self.sandbox.calls(), "a retry does not call eMAG")
        self.assertEqual(bill.state, "done", bill.exception_message)
        self.assertSameTotals(bill)
        self.assertEqual(bill.move_id.amount_tax, 0.03)

    def test_an_unknown_category_is_billed_on_the_default_account_and_flagged(self):
        (invoice,) = self.sandbox.seed_invoices(
            [{"category": "ZZ", "name": "Marketing", "lines": [{"unit_price": 10}]}]
        )
        self._pull()
        bill = self._bill(invoice["number"])
        self.assertEqual(bill.state, "done", bill.exception_message)
        self.assertTrue(bill.unknown_category)
        self.assertFalse(bill.category_id)
        self.assertEqual(
            bill.move_id.invoice_line_ids.account_id,
            self.categories._emag_default_account(self.env.company),
        )
        self.assertSameTotals(bill)
        self.assertIn("ZZ", bill.move_id.message_ids[0].body)
        self.assertFalse(self.categories.search([("code", "=", "ZZ")]))

    def test_a_rate_without_a_purchase_tax_waits_for_one_then_retry(self):
        (invoice,) = self.sandbox.seed_invoices(
            [{"category": "FC", "lines": [{"unit_price": 10, "vat_rate": 5}]}]
        )
        self._pull()
        bill = self._bill(invoice["number"])
        self.assertEqual(bill.state, "exception")
        self.assertIn("5%", bill.exception_message)
        tax_5 = make_purchase_tax(self.env, 5, self.env.ref("base.ro"))
        bill.action_retry()
        self.assertEqual(bill.state, "done", bill.exception_message)
        self.assertEqual(bill.move_id.invoice_line_ids.tax_ids, tax_5)
        self.assertFalse(bill.exception_message)

    def test_a_tax_included_in_price_is_never_taken(self):
        included = make_purchase_tax(
            self.env,
            21,
            self.env.ref("base.ro"),
            name="eMAG test purchase 21% included",
            price_include_override="tax_included",
        )
        self._map("FC", self.commission_account, included | self.tax_21)
        (invoice,) = self.sandbox.seed_invoices([{"category": "FC"}])
        self._pull()
        self.assertEqual(
            self._bill(invoice["number"]).move_id.invoice_line_ids.tax_ids,
            self.tax_21,
        )

    def test_the_button_only_enqueues_the_read(self):
        action = self.env.ref("emag_connector.emag_account_action_pull_vendor_bills")
        action.with_context(
            active_model="emag.account",
            active_id=self.account.id,
            active_ids=self.account.ids,
        ).run()
        self.assertFalse(self.sandbox.calls(), "eMAG is called from a job only")
        job = self.env["queue.job"].search(
            [("identity_key", "=", f"emag-pull-vendor-bills-{self.account.id}")]
        )
        self.assertEqual(job.method_name, "_job_pull_vendor_bills")

    def test_an_invoice_without_a_number_fails_the_read_loudly(self):
        self.sandbox.seed_invoices([{"category": "FC"}])
        next(iter(self.sandbox.invoices.values()))["number"] = ""
        with self.assertRaisesRegex(UserError, "without a number"):
            self._pull()


@tagged("post_install", "-at_install")
class TestConcurrentVendorBills(EmagSandboxCase):
    """Two workers read one account's invoices at the same time: the second
    gives way while the first runs, then finds everything imported. What the
    workers need is committed in a cursor of its own, and removed afterwards."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            company = env.company
            self.partner_ids = set(
                env["res.partner"].search([("vat", "=", EMAG_VAT)]).ids
            )
            group = env["account.tax.group"].create(
                {
                    "name": "eMAG race",
                    "country_id": company.account_fiscal_country_id.id,
                }
            )
            tax = make_purchase_tax(
                env,
                21,
                company.account_fiscal_country_id,
                name="eMAG race 21%",
                tax_group_id=group.id,
                sequence=1,
            )
            account = env["emag.account"].create(
                {
                    "name": "eMAG race",
                    "platform": "custom",
                    "api_url": self.sandbox.base_url,
                    "username": "seller",
                    "password": "secret",
                    "custom_currency_id": company.currency_id.id,
                }
            )
            # an earlier read left the cursor
            env["emag.vendor.bill.cursor"].create({"account_id": account.id})
            self.account_id, self.tax_id, self.group_id = account.id, tax.id, group.id
            self.currency = company.currency_id.name
        self.addCleanup(self._remove_committed)

    def _remove_committed(self):
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            bills = env["emag.vendor.bill"].search(
                [("account_id", "=", self.account_id)]
            )
            bills.move_id.unlink()
            bills.unlink()
            env["emag.invoice.category"].search(
                [("account_id", "=", self.account_id)]
            ).unlink()
            env["queue.job"].search(
                [("identity_key", "=", f"emag-pull-vendor-bills-{self.account_id}")]
            ).unlink()
            env["emag.account"].browse(self.account_id).unlink()
            env["account.tax"].browse(self.tax_id).unlink()
            env["account.tax.group"].browse(self.group_id).unlink()
            partners = env["res.partner"].search([("vat", "=", EMAG_VAT)])
            partners.filtered(lambda p: p.id not in self.partner_ids).unlink()

    def _count(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM account_move m JOIN emag_vendor_bill b "
                "ON b.move_id = m.id WHERE b.account_id = %s",
                [self.account_id],
            )
            return cr.fetchone()[0]

    def test_two_workers_make_one_bill(self):
        self.sandbox.seed_invoices(
            [
                {"category": "FC", "currency": self.currency},
                {"category": "FT", "currency": self.currency},
            ]
        )
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            account_a = env_a["emag.account"].browse(self.account_id)
            account_b = env_b["emag.account"].browse(self.account_id)
            summary = env_a["emag.vendor.bill"]._job_pull_vendor_bills(account_a)
            self.assertIn("2 bills created", summary)
            # B, while A's transaction is open: it gives way (queue_job runs
            # it again later) before calling eMAG
            calls = self.sandbox.call_count()
            with self.assertRaises(RetryableJobError):
                env_b["emag.vendor.bill"]._job_pull_vendor_bills(account_b)
            self.assertEqual(self.sandbox.call_count(), calls)
            cr_b.rollback()
            cr_a.commit()
            # B's retry sees what A committed
            summary = env_b["emag.vendor.bill"]._job_pull_vendor_bills(account_b)
            self.assertIn("2 already imported", summary)
            cr_b.commit()
        self.assertEqual(self._count(), 2)


@tagged("post_install", "-at_install")
class TestRomanianChart(EmagSandboxCase):
    def test_categories_take_the_romanian_chart_accounts(self):
        if not self.env["ir.module.module"].search_count(
            [("name", "=", "l10n_ro"), ("state", "=", "installed")]
        ):
            self.skipTest("the Romanian chart of accounts (l10n_ro) is not installed")
        company = self.env["res.company"].create(
            {"name": "eMAG seller SRL", "country_id": self.env.ref("base.ro").id}
        )
        self.env["account.chart.template"].try_loading(
            "ro", company, install_demo=False
        )
        categories = self.env["emag.invoice.category"]
        rows = self.account._emag_client().read_invoice_categories() + [
            {"category": "FX", "name": "Marketing"}
        ]
        self.assertEqual(
            {
                row["category"]: categories._emag_default_account(
                    company, categories._emag_kind(row["category"], row["name"])
                ).code
                for row in rows
            },
            {
                "FC": "622000",
                "FT": "624000",
                "FB": "628000",
                "FP": "658100",
                "SC": "622000",
                "FX": "628000",
            },
        )
