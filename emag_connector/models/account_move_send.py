from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _link_invoice_documents(self, invoices_data):
        """The invoice PDF now exists in Odoo: attach it to the eMAG order."""
        result = super()._link_invoice_documents(invoices_data)
        invoices = self.env["account.move"].union(*invoices_data)
        invoices._emag_enqueue_attachment()
        return result
