from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values(self):
        """Goods an eMAG customer sends back go where the eMAG account says."""
        values = super()._prepare_picking_default_values()
        location = self.env.context.get("emag_return_location_id")
        if location:
            values["location_dest_id"] = location
        return values
