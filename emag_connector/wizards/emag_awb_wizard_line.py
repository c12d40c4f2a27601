from odoo import fields, models


class EmagAwbWizardLine(models.TransientModel):
    _name = "emag.awb.wizard.line"
    _description = "eMAG AWB Parcels of a Delivery"

    wizard_id = fields.Many2one("emag.awb.wizard", required=True, ondelete="cascade")
    picking_id = fields.Many2one("stock.picking", string="Delivery", required=True)
    parcel_number = fields.Integer(string="Parcels", default=1)
    envelope_number = fields.Integer(string="Envelopes", default=0)
    weight = fields.Float(string="Weight (kg)", digits="Stock Weight")
