from odoo import api, models

from .account_move import WAITING_STATES


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _link_invoice_documents(self, invoices_data):
        """The invoice PDF now exists in Odoo: attach it to the eMAG order."""
        result = super()._link_invoice_documents(invoices_data)
        invoices = self.env["account.move"].union(*invoices_data)
        invoices._emag_enqueue_attachment()
        return result

    @api.model
    def _hook_if_errors(self, moves_data, allow_raising=True):
        """Sending failed in Odoo (for instance on e-Factura's checks): the
        eMAG invoice says why, instead of waiting for its PDF in silence.
        (When the error is raised to the user, nothing is kept.)"""
        if not allow_raising:
            for move, move_data in moves_data.items():
                if move.emag_attachment_state in WAITING_STATES:
                    move.sudo().emag_attachment_message = self._format_error_text(
                        move_data["error"]
                    )
        return super()._hook_if_errors(moves_data, allow_raising=allow_raising)
