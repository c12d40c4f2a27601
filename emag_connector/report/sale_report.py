from odoo import fields, models


class SaleReport(models.Model):
    """Sales analysis with what eMAG leaves: its commission and the margin of
    eMAG order lines (in the company's currency, like the other amounts)."""

    _inherit = "sale.report"

    emag_sale = fields.Boolean(string="eMAG Sale", readonly=True)
    emag_commission = fields.Monetary(string="eMAG Commission", readonly=True)
    emag_margin = fields.Monetary(string="eMAG Margin", readonly=True)

    def _select_additional_fields(self):
        fields_sql = super()._select_additional_fields()
        rate = (
            f"/ {self._case_value_or_one('s.currency_rate')}"
            f" * {self._case_value_or_one('account_currency_table.rate')}"
        )
        fields_sql["emag_sale"] = "BOOL_OR(s.emag_order_id IS NOT NULL)"
        fields_sql["emag_commission"] = f"SUM(COALESCE(l.emag_commission, 0) {rate})"
        fields_sql["emag_margin"] = f"SUM(COALESCE(l.emag_margin, 0) {rate})"
        return fields_sql
