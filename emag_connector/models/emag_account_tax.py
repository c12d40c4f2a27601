from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero

LINE_KINDS = [
    ("any", "All lines"),
    ("deposit", "SGR deposits"),
]


class EmagAccountTax(models.Model):
    """The Odoo tax an eMAG order line at one VAT rate gets, on one account.

    Without a row for a rate, the account finds the tax itself (see
    ``emag.account._emag_sale_tax``); a row names it when the seller wants
    another one, or when none can be found.
    """

    _name = "emag.account.tax"
    _description = "eMAG VAT Rate Tax"
    _order = "account_id, line_kind, vat_rate desc, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    line_kind = fields.Selection(
        LINE_KINDS,
        string="Lines",
        default="any",
        required=True,
        help="A row for SGR deposits gives them another tax than the other "
        "lines of the same rate (deposits are outside the scope of VAT).",
    )
    vat_rate = fields.Float(
        string="eMAG VAT (%)",
        digits=(16, 2),
        required=True,
        help="The VAT rate of the eMAG order line, in percent (21 for 21%).",
    )
    tax_id = fields.Many2one(
        "account.tax",
        required=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale'), ('amount_type', '=', 'percent')]",
    )

    _sql_constraints = [
        (
            "rate_uniq",
            "unique(account_id, line_kind, vat_rate)",
            "This eMAG VAT rate already has a tax on this account.",
        ),
    ]

    @api.constrains("tax_id", "vat_rate")
    def _check_tax(self):
        for row in self:
            problem = row._tax_problem(row.tax_id, row.vat_rate)
            if problem:
                raise ValidationError(problem)

    @api.model
    def _tax_problem(self, tax, percent):
        """Why ``tax`` cannot carry eMAG lines at ``percent`` VAT, or None.

        eMAG's amounts include VAT: the tax must be included in the price (a
        0% tax may be either), or the sale order would not total what the
        customer pays.
        """
        if (
            tax.type_tax_use != "sale"
            or tax.amount_type != "percent"
            or float_compare(tax.amount, percent, precision_digits=2)
        ):
            return _(
                "The tax %(tax)s is not a %(rate)s%% sale tax: eMAG lines at "
                "%(rate)s%% VAT need one.",
                tax=tax.display_name,
                rate=percent,
            )
        if not tax.price_include and not float_is_zero(percent, precision_digits=2):
            return _(
                "The tax %(tax)s is not included in the price: eMAG's prices "
                "include VAT, so its lines need a tax 'Included in Price' "
                "(Accounting > Configuration > Taxes, Advanced Options).",
                tax=tax.display_name,
            )
        return None
