"""eMAG's invoice categories, per account, and where their vendor bills go.

Every invoice eMAG issues to the seller belongs to one category
(invoice/categories, 8.1): commission, transport, storage of the products
eMAG fulfils, penalties, reversals (storno)... Each category is mapped to the
expense account and the purchase taxes of its bill lines. The mapping is
proposed when eMAG first lists a category, from its name (the Romanian chart
of accounts when the company uses it, else the company's default expense
account), and the seller changes it here.
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

KINDS = [
    ("commission", "Commission"),
    ("shipping", "Shipping"),
    ("storage", "Storage (fulfilled by eMAG)"),
    ("penalty", "Penalties"),
    ("other", "Other services"),
]
#: words of an eMAG category's code or name telling its kind, first match wins
KIND_WORDS = (
    ("storage", ("fulfil", "fbe", "depozit", "storage", "stocare")),
    ("shipping", ("transport", "shipping", "livrare", "curier", "courier")),
    ("penalty", ("penal", "amend", "fine")),
    ("commission", ("comision", "commission")),
)
STORNO_WORDS = ("storno", "reversal", "stornare")
#: the Romanian chart's account of each kind (l10n_ro template ids): 622
#: commissions and fees, 624 transport of goods, 628 other third-party
#: services, 6581 compensation, fines and penalties
RO_ACCOUNTS = {
    "commission": "pcg_622",
    "shipping": "pcg_624",
    "storage": "pcg_628",
    "penalty": "pcg_6581",
    "other": "pcg_628",
}


class EmagInvoiceCategory(models.Model):
    _name = "emag.invoice.category"
    _description = "eMAG Invoice Category"
    _order = "account_id, code"
    _check_company_auto = True

    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, precompute=True
    )
    code = fields.Char(
        string="eMAG Code", required=True, help="eMAG's code of the category (FC)."
    )
    name = fields.Char(help="eMAG's name of the category.")
    kind = fields.Selection(KINDS, required=True, default="other")
    is_storno = fields.Boolean(
        string="Reversal (Storno)",
        help="Invoices of this category reverse others: they become vendor "
        "credit notes. An invoice eMAG marks as storno always does.",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="The account of the bill lines of this category. Empty: the "
        "company's default expense account.",
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="Purchase Taxes",
        check_company=True,
        domain="[('type_tax_use', '=', 'purchase')]",
        help="Each bill line takes the one of these taxes whose rate is the "
        "line's VAT rate on eMAG's invoice (excluded from price: eMAG gives "
        "values without VAT). A rate without one here takes the company's "
        "purchase tax of that rate.",
    )
    listed_by_emag = fields.Boolean(
        string="Listed by eMAG",
        readonly=True,
        help="eMAG lists this category (invoice/categories). Invoices of a "
        "category eMAG does not list are flagged.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "emag_invoice_category_uniq",
            "unique(account_id, code)",
            "This eMAG invoice category already exists for this account.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for category in self:
            category.display_name = " - ".join(
                part for part in (category.code, category.name) if part
            )

    # ------------------------------------------------------------------
    # Categories read from eMAG
    # ------------------------------------------------------------------

    @api.model
    def _emag_sync(self, account, categories):
        """Create the categories eMAG lists that the account lacks, with a
        proposed mapping; keep the seller's mapping of the others."""
        known = {
            c.code: c
            for c in self.with_context(active_test=False).search(
                [("account_id", "=", account.id)]
            )
        }
        for row in categories or []:
            if not isinstance(row, dict) or not str(row.get("category") or "").strip():
                continue
            code = str(row["category"]).strip()
            name = str(row.get("name") or "").strip() or code
            category = known.get(code)
            if category:
                if (category.name, category.listed_by_emag) != (name, True):
                    category.write({"name": name, "listed_by_emag": True})
                continue
            kind = self._emag_kind(code, name)
            known[code] = self.create(
                {
                    "account_id": account.id,
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "is_storno": any(w in name.lower() for w in STORNO_WORDS),
                    "expense_account_id": self._emag_default_account(
                        account.company_id, kind
                    ).id,
                    "listed_by_emag": True,
                }
            )
        return known

    @api.model
    def _emag_kind(self, code, name):
        text = f"{code} {name}".lower()
        for kind, words in KIND_WORDS:
            if any(word in text for word in words):
                return kind
        return "other"

    @api.model
    def _emag_default_account(self, company, kind="other"):
        """The account proposed for a kind: the Romanian chart's when the
        company uses it, else the expense account of its purchase journal (or
        its first expense account)."""
        if company.chart_template == "ro":
            account = (
                self.env["account.chart.template"]
                .with_company(company)
                .ref(RO_ACCOUNTS[kind], raise_if_not_found=False)
            )
            if account:
                return account
        accounts = self.env["account.account"]
        return self._emag_journal(company).default_account_id or accounts.search(
            [
                *accounts._check_company_domain(company),
                ("account_type", "=", "expense"),
            ],
            limit=1,
        )

    @api.model
    def _emag_journal(self, company):
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "purchase"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                _(
                    "The company %s has no purchase journal for eMAG's invoices: "
                    "install a chart of accounts or create one.",
                    company.name,
                )
            )
        return journal

    # ------------------------------------------------------------------
    # Bill lines
    # ------------------------------------------------------------------

    def _emag_tax(self, company, rate, cache):
        """The purchase tax of a bill line at ``rate`` percent: among the
        category's taxes, else the company's (in its fiscal country). It must
        be excluded from price and really charge ``rate`` (a reverse-charge
        tax of 21% charges nothing in the end)."""
        key = (self.id, rate)
        if key not in cache:
            candidates = self.tax_ids.filtered(
                lambda t: t.type_tax_use == "purchase"
            ) or self.env["account.tax"].search(
                [
                    *self.env["account.tax"]._check_company_domain(company),
                    ("type_tax_use", "=", "purchase"),
                    ("amount_type", "=", "percent"),
                    ("amount", "=", float(rate)),
                    ("country_id", "=", company.account_fiscal_country_id.id),
                ],
                order="sequence, id",
            )
            cache[key] = next(
                (t for t in candidates if self._emag_charges(t, rate)),
                self.env["account.tax"],
            )
        if not cache[key]:
            raise UserError(
                _(
                    "No purchase tax of %(rate)s%% excluded from price for eMAG's "
                    "invoices of category %(category)s: create one in Accounting > "
                    "Configuration > Taxes, or set it on the category (eMAG > "
                    "Configuration > eMAG Invoice Categories), then retry.",
                    rate=rate,
                    category=self.display_name or _("(unknown)"),
                )
            )
        return cache[key]

    @api.model
    def _emag_charges(self, tax, rate):
        """True when ``tax`` adds ``rate`` percent to a price without VAT."""
        if tax.price_include or tax.amount_type != "percent":
            return False
        taxes = tax.compute_all(100.0)
        return round(taxes["total_included"] - taxes["total_excluded"], 2) == round(
            float(rate), 2
        )
