from odoo import api, models


class L10nRoEdiDocument(models.Model):
    _inherit = "l10n_ro_edi.document"

    @api.model_create_multi
    def create(self, vals_list):
        """A new e-Factura state (sent, validated): attach the eMAG invoices
        that waited for it (in a job, as always)."""
        documents = super().create(vals_list)
        documents.invoice_id._emag_enqueue_attachment()
        return documents
