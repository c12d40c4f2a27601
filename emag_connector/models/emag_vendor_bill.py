"""eMAG's invoices to the seller become draft vendor bills.

A daily job per account (``_job_pull_vendor_bills``) reads eMAG's invoice
categories and every page of its invoices since the account's cursor
(``emag.vendor.bill.cursor``), and makes one draft vendor bill per eMAG
invoice number, on eMAG's legal entity as the vendor:

- the lines keep eMAG's descriptions, on the expense account and with the
  purchase tax of the invoice's category (``emag.invoice.category``) at each
  line's VAT rate; a storno invoice (or a negative one) is a credit note;
- the bill must total what eMAG invoiced, to the cent: eMAG's lines against
  its totals, then Odoo's totals against eMAG's. When they differ, no bill is
  made: the invoice stays in exception with the differences, and its Retry
  button tries again once the mapping is fixed;
- an invoice of a category eMAG does not list is booked on the default
  expense account and flagged, never skipped.

Exactly once: a unique constraint on (account, number), the row lock of
``locked_binding``, and a bill made only while the invoice has none. eMAG's
documentation gives no PDF of these invoices: none is attached.
"""

import json
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api.invoices import (
    TOTAL_KEYS,
    bill_amounts,
    line_totals,
    total_differences,
)
from ..tools.bindings import locked_binding
from ..tools.jobs import emag_retryable

#: invoices dated this many days before the cursor are read again (eMAG may
#: issue an invoice a few days after its date)
OVERLAP_DAYS = 10


class EmagVendorBill(models.Model):
    _name = "emag.vendor.bill"
    _description = "eMAG Invoice to the Seller"
    _order = "invoice_date desc, id desc"

    name = fields.Char(string="eMAG Invoice Number", required=True, readonly=True)
    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, precompute=True
    )
    category_id = fields.Many2one(
        "emag.invoice.category", readonly=True, ondelete="set null"
    )
    category_code = fields.Char(string="eMAG Category", readonly=True)
    category_name = fields.Char(readonly=True)
    invoice_date = fields.Date(readonly=True)
    is_credit_note = fields.Boolean(
        string="Credit Note",
        readonly=True,
        help="A storno invoice (or a negative one): a vendor credit note.",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    total_without_vat = fields.Monetary(string="Total without VAT", readonly=True)
    total_vat_value = fields.Monetary(string="Total VAT", readonly=True)
    total_with_vat = fields.Monetary(string="Total with VAT", readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Vendor Bill", readonly=True, ondelete="set null"
    )
    state = fields.Selection(
        [("new", "To Import"), ("done", "Bill Created"), ("exception", "Exception")],
        default="new",
        required=True,
        readonly=True,
    )
    exception_message = fields.Text(readonly=True)
    unknown_category = fields.Boolean(
        readonly=True,
        help="The category of this invoice is not in the account's eMAG "
        "invoice categories (eMAG does not list it): it was booked on the "
        "default expense account. Check the bill, and map the category in eMAG "
        "> Configuration > eMAG Invoice Categories.",
    )
    raw_payload = fields.Text(readonly=True, help="The invoice as eMAG sent it.")

    _sql_constraints = [
        (
            "emag_vendor_bill_uniq",
            "unique(account_id, name)",
            "This eMAG invoice is already imported for this account.",
        ),
    ]

    # ------------------------------------------------------------------
    # Reading eMAG's invoices
    # ------------------------------------------------------------------

    @api.model
    def _emag_enqueue_pull(self, accounts):
        for account in accounts:
            self.with_delay(
                identity_key=f"emag-pull-vendor-bills-{account.id}",
                description=_("Read eMAG invoices of %s", account.name),
            )._job_pull_vendor_bills(account)
        return True

    @api.model
    def _cron_pull_vendor_bills(self):
        self._emag_enqueue_pull(self.env["emag.account"].search([]))

    @api.model
    def _job_pull_vendor_bills(self, account):
        """Read the account's invoices since its cursor (every page) and make
        their bills; the cursor moves once all of them are imported."""
        account = account.sudo()
        bills = self.sudo()
        # not named "cursor": _() would take it for the database cursor
        progress = self.env["emag.vendor.bill.cursor"].sudo()._emag_lock(account)
        now = fields.Datetime.now()
        today = account._emag_local(now).date()
        start = (
            progress.read_until - timedelta(days=OVERLAP_DAYS)
            if progress.read_until
            else today.replace(day=1) - relativedelta(months=1)
        )
        with self.env["emag.account.run"]._emag_run(account, "vendor_bills") as run:
            client = account._emag_client()
            with emag_retryable():
                categories = client.read_invoice_categories()
                invoices = list(client.read_invoices(date_start=start, date_end=today))
            self.env["emag.invoice.category"].sudo()._emag_sync(account, categories)
            counts = dict.fromkeys(("created", "exception", "known"), 0)
            for invoice in invoices:
                counts[bills._emag_import(account, invoice)] += 1
            run.update(
                read=len(invoices),
                created=counts["created"],
                updated=counts["known"],
                failed=counts["exception"],
            )
        summary = _(
            "%(read)s invoices read from %(start)s: %(created)s bills created, "
            "%(exception)s in exception, %(known)s already imported.",
            read=len(invoices),
            start=start,
            **counts,
        )
        progress.write({"read_until": today, "last_read": now, "last_summary": summary})
        return summary

    @api.model
    def _emag_import(self, account, invoice):
        """The bill of one eMAG invoice, made once: "created", "exception"
        or "known" (imported before)."""
        if not isinstance(invoice, dict) or not str(invoice.get("number") or ""):
            raise UserError(
                _("eMAG sent an invoice without a number: %s", str(invoice)[:500])
            )
        number = str(invoice["number"]).strip()

        busy = RetryableJobError(
            _("eMAG invoice %s is being imported by another job.", number),
            seconds=30,
        )
        binding = locked_binding(
            self,
            [("account_id", "=", account.id), ("name", "=", number)],
            {"account_id": account.id, "name": number},
            lambda: busy,
        )
        if binding.state == "done":
            return "known"
        return binding._emag_make_bill(invoice)

    # ------------------------------------------------------------------
    # The bill of one invoice
    # ------------------------------------------------------------------

    def _emag_make_bill(self, invoice):
        """Make the draft bill of ``invoice``, or record why it cannot be."""
        self.ensure_one()
        categories = self.env["emag.invoice.category"].with_context(active_test=False)
        category = categories.search(
            [
                ("account_id", "=", self.account_id.id),
                ("code", "=", str(invoice.get("category") or "").strip()),
            ],
            limit=1,
        )
        values = self._emag_payload_values(invoice, category)
        self.write(values)
        try:
            with self.env.cr.savepoint():
                move = self._emag_create_move(invoice, category, values)
        except (UserError, ValidationError, ValueError) as exc:
            message = exc.args[0] if exc.args else repr(exc)
            self.write({"state": "exception", "exception_message": message})
            return "exception"
        self.write({"state": "done", "exception_message": False, "move_id": move.id})
        return "created"

    def _emag_payload_values(self, invoice, category):
        try:
            amounts = bill_amounts(invoice)
            totals = amounts.totals
        except ValueError:
            amounts, totals = None, {}
        code = str(invoice.get("currency") or "").strip().upper()
        return {
            "category_id": category.id,
            "category_code": str(invoice.get("category") or "").strip(),
            "category_name": str(invoice.get("name") or "").strip(),
            "invoice_date": self._emag_date(invoice.get("date")),
            "is_credit_note": bool(amounts and amounts.credit_note)
            or category.is_storno,
            "currency_id": self.account_id._emag_currency(code).id if code else False,
            "unknown_category": not category,
            "raw_payload": json.dumps(invoice, ensure_ascii=False, indent=1),
            **{key: float(totals.get(key, 0)) for key in TOTAL_KEYS},
        }

    @api.model
    def _emag_date(self, text):
        try:
            return date.fromisoformat(str(text or "")[:10])
        except ValueError:
            return False

    def _emag_create_move(self, invoice, category, values):
        """The draft bill, checked against eMAG's totals; UserError when it
        cannot be made or does not total what eMAG invoiced."""
        company = self.company_id
        currency = self.currency_id
        if not values["invoice_date"]:
            raise UserError(_("eMAG gave no valid date: %s", invoice.get("date") or ""))
        if not currency or not (currency.active or currency == company.currency_id):
            raise UserError(
                _(
                    "eMAG's invoice is in %s: activate that currency "
                    "(Accounting > Configuration > Currencies), then retry.",
                    invoice.get("currency") or _("no currency"),
                )
            )
        digits = self.env["decimal.precision"].precision_get("Product Price")
        amounts = bill_amounts(invoice, price_digits=digits)
        if not amounts.lines:
            raise UserError(_("eMAG's invoice has no lines."))
        self._emag_check(
            amounts.totals,
            line_totals(amounts.lines),
            _("its lines"),
            hint=_("eMAG's invoice does not add up: ask eMAG to correct it."),
        )
        categories = self.env["emag.invoice.category"]
        expense = category.expense_account_id or categories._emag_default_account(
            company
        )
        cache = {}
        lines = []
        for line in amounts.lines:
            tax = category._emag_tax(company, line.vat_rate, cache)
            lines.append(
                Command.create(
                    {
                        "name": line.name or category.name or _("eMAG services"),
                        "quantity": float(line.quantity),
                        "price_unit": float(line.unit_price),
                        "account_id": expense.id,
                        "tax_ids": [Command.set(tax.ids)],
                    }
                )
            )
        due = values["invoice_date"] + timedelta(
            days=max(int(invoice.get("payment_term") or 0), 0)
        )
        move = (
            self.env["account.move"]
            .with_company(company)
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "move_type": "in_refund"
                    if values["is_credit_note"]
                    else "in_invoice",
                    "company_id": company.id,
                    "journal_id": categories._emag_journal(company).id,
                    "partner_id": self._emag_supplier(invoice).id,
                    "currency_id": currency.id,
                    "invoice_date": values["invoice_date"],
                    "invoice_payment_term_id": False,
                    "invoice_date_due": due,
                    "ref": self.name,
                    "invoice_line_ids": lines,
                }
            )
        )
        self._emag_check(
            amounts.totals,
            dict(
                zip(
                    TOTAL_KEYS,
                    (move.amount_untaxed, move.amount_tax, move.amount_total),
                    strict=True,
                )
            ),
            _("Odoo's bill"),
            hint=_(
                "Check the purchase taxes of the category (excluded from price, "
                "one per VAT rate) and the company's tax rounding (per line), "
                "then retry."
            ),
        )
        move.message_post(body=self._emag_bill_note(category))
        return move

    def _emag_check(self, totals, computed, what, hint=""):
        differences = total_differences(totals, computed)
        if not differences:
            return
        labels = {
            "total_without_vat": _("Total without VAT"),
            "total_vat_value": _("VAT"),
            "total_with_vat": _("Total with VAT"),
        }
        currency = self.currency_id
        rows = [
            _(
                "%(label)s: eMAG %(emag)s, %(what)s %(computed)s (difference "
                "%(difference)s)",
                label=labels[key],
                emag=format_amount(self.env, float(emag), currency),
                what=what,
                computed=format_amount(self.env, float(mine), currency),
                difference=format_amount(self.env, float(mine - emag), currency),
            )
            for key, emag, mine in differences
        ]
        raise UserError(
            "\n".join(
                [_("The amounts do not add up to eMAG's totals:"), *rows, hint]
            ).strip()
        )

    def _emag_bill_note(self, category):
        if category:
            return _(
                "Created from eMAG invoice %(number)s (%(category)s).",
                number=self.name,
                category=category.display_name,
            )
        return _(
            "Created from eMAG invoice %(number)s, of a category eMAG does not "
            "list (%(code)s): booked on the default expense account. Check it, "
            "and map the category in eMAG > Configuration > eMAG Invoice "
            "Categories.",
            number=self.name,
            code=str(self.category_code or _("none")),
        )

    # ------------------------------------------------------------------
    # eMAG's legal entity as the vendor
    # ------------------------------------------------------------------

    def _emag_supplier(self, invoice):
        """The partner of eMAG's legal entity (``supplier``) in the company:
        found by its VAT number or fiscal code, else created once."""
        supplier = invoice.get("supplier")
        supplier = supplier if isinstance(supplier, dict) else {}
        vat = str(supplier.get("tax_code") or "").strip()
        cif = str(supplier.get("cif") or "").strip()
        name = str(supplier.get("name") or "").strip()
        if not (vat or cif) or not name:
            raise UserError(
                _("eMAG's invoice does not name its issuer (supplier, VAT number).")
            )
        company = self.company_id
        partners = self.env["res.partner"].with_context(active_test=False)
        domain = [
            *partners._check_company_domain(company),
            ("vat", "in", [v for v in (vat, cif) if v]),
            ("parent_id", "=", False),
        ]
        partner = partners.search(domain, limit=1)
        if partner:
            return partner
        self._emag_lock_supplier(company, vat or cif, domain)
        prefix = vat[:2].upper() if vat[:2].isalpha() else ""
        country = (
            prefix
            and self.env["res.country"].search([("code", "=", prefix)], limit=1)
            or partners._emag_platform_country(self.account_id)
        )
        return partners.with_context(no_vat_validation=True).create(
            {
                "name": name,
                "is_company": True,
                "company_id": company.id,
                "vat": vat or cif,
                "company_registry": str(supplier.get("register_number") or "") or False,
                "street": str(supplier.get("address") or "") or False,
                "phone": str(supplier.get("phone_number") or "") or False,
                "country_id": country.id,
            }
        )

    def _emag_lock_supplier(self, company, key, domain):
        """Two accounts of one company never create eMAG's partner twice: a
        transaction lock on it, and a retry when another job has just
        committed it (this transaction's snapshot may not see it)."""
        cr = self.env.cr
        cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))",
            [f"emag.supplier.{company.id}.{key}"],
        )
        if not cr.fetchone()[0]:
            raise RetryableJobError(
                _("eMAG's partner is being created by another job."), seconds=10
            )
        with self.env.registry.cursor() as fresh:
            if self.env(cr=fresh)["res.partner"].sudo().search_count(domain):
                raise RetryableJobError(
                    _("Another job has just created eMAG's partner."), seconds=1
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_retry(self):
        """Try again the invoices in exception, from what eMAG sent (eMAG is
        not called): after mapping a category, a tax or a currency."""
        for binding in self.filtered(lambda b: b.state != "done"):
            try:
                binding._emag_make_bill(json.loads(binding.raw_payload or "{}"))
            except RetryableJobError as exc:
                raise UserError(_("%s Try again in a minute.", exc.args[0])) from exc
        return True

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
