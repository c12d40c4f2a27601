from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values(self):
        """The return picking of an eMAG return request: linked to it, into
        the location its eMAG account names (``emag_rma_values``)."""
        values = super()._prepare_picking_default_values()
        values.update(self.env.context.get("emag_rma_values") or {})
        return values
