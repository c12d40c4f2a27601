from odoo import api, fields, models
from odoo.tools import float_compare

from .emag_reference_mixin import as_flag, as_float, as_int, as_rows


def rate_as_fraction(rate):
    """0.21 for 0.21 or 21: eMAG gives fractions, Odoo taxes percentages."""
    rate = float(rate or 0.0)
    return rate / 100.0 if rate > 1 else rate


class EmagVat(models.Model):
    """A VAT rate an offer may use (§2.2): offers send its ``vat_id``."""

    _name = "emag.vat"
    _inherit = ["emag.reference.mixin"]
    _description = "eMAG VAT Rate"
    _order = "rate desc, emag_id"

    active = fields.Boolean(default=True)
    emag_id = fields.Integer(
        string="eMAG VAT ID",
        required=True,
        readonly=True,
        help="The vat_id sent with offers.",
    )
    rate = fields.Float(
        digits=(16, 4), readonly=True, help="As eMAG gives it: 0.21 for 21%."
    )
    is_default = fields.Boolean(string="Default", readonly=True)
    name = fields.Char(compute="_compute_name", store=True)

    _sql_constraints = [
        (
            "account_emag_id_uniq",
            "unique(account_id, emag_id)",
            "This eMAG VAT rate is already imported for this account.",
        ),
    ]

    @api.depends("rate")
    def _compute_name(self):
        for vat in self:
            percent = round(rate_as_fraction(vat.rate) * 100, 2)
            vat.name = f"{percent:g}%"

    @api.model
    def _emag_import(self, account, client):
        """Import the VAT rates of ``account`` (vat/read); return their number."""
        rows = {}
        for item in as_rows(client.read_vat_rates(), "vat_id"):
            if not isinstance(item, dict):
                continue
            emag_id = as_int(item.get("vat_id", item.get("id")))
            if not emag_id:
                continue
            rows[emag_id] = {
                "account_id": account.id,
                "emag_id": emag_id,
                "rate": as_float(item.get("vat_rate", item.get("rate"))),
                "is_default": as_flag(item.get("is_default")),
            }
        return len(self._emag_sync([("account_id", "=", account.id)], "emag_id", rows))

    @api.model
    def _emag_find(self, account, rate):
        """The eMAG VAT rate of ``account`` equal to ``rate`` (0.21 or 21), or
        an empty recordset. Use its ``emag_id`` as the offer's ``vat_id``."""
        return self.search([("account_id", "=", account.id)])._emag_matching(rate)

    def _emag_matching(self, rate):
        """The one of these VAT rates equal to ``rate`` (0.21 or 21), or none."""
        wanted = rate_as_fraction(rate)
        return self.filtered(
            lambda vat: (
                float_compare(rate_as_fraction(vat.rate), wanted, precision_digits=4)
                == 0
            )
        )[:1]
