from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class EmagAwbWizard(models.TransientModel):
    """Parcels, envelopes and weight of eMAG AWBs: asked before a delivery is
    validated (when the account wants it), or to issue an AWB by hand."""

    _name = "emag.awb.wizard"
    _description = "eMAG AWB Parcels"

    line_ids = fields.One2many("emag.awb.wizard.line", "wizard_id", string="AWBs")
    validate_picking_ids = fields.Many2many(
        "stock.picking",
        help="The deliveries being validated; empty when an AWB is issued by hand.",
    )

    @api.model
    def _emag_action(self, pickings, validate=None):
        """The wizard for ``pickings``; ``validate`` are the deliveries whose
        validation waits for it."""
        wizard = self.create(
            {
                "validate_picking_ids": [Command.set(validate.ids if validate else [])],
                "line_ids": [
                    Command.create(dict(picking._emag_parcels(), picking_id=picking.id))
                    for picking in pickings
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("eMAG AWB"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_confirm(self):
        self.ensure_one()
        for line in self.line_ids:
            if not (
                0 <= line.parcel_number <= 999
                and 0 <= line.envelope_number <= 9999
                and line.parcel_number + line.envelope_number > 0
            ):
                raise UserError(
                    _(
                        "%s: eMAG takes 0 to 999 parcels and 0 to 9999 envelopes, "
                        "at least one parcel or envelope.",
                        line.picking_id.display_name,
                    )
                )
        values = {
            str(line.picking_id.id): {
                "parcel_number": line.parcel_number,
                "envelope_number": line.envelope_number,
                "weight": line.weight,
            }
            for line in self.line_ids
        }
        if self.validate_picking_ids:
            return self.validate_picking_ids.with_context(
                emag_awb_values=values
            ).button_validate()
        for line in self.line_ids:
            line.picking_id._emag_request_awb(values[str(line.picking_id.id)])
        return {"type": "ir.actions.act_window_close"}
