from odoo import http
from odoo.http import content_disposition, request
from odoo.tools import consteq


class EmagInvoiceController(http.Controller):
    """The invoice PDF eMAG downloads (order/attachments/save gives it this
    URL). The URL carries the invoice's secret token; the PDF served is the
    one Odoo stored, byte for byte: nothing is rendered here."""

    @http.route(
        "/emag/invoice/<int:move_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def emag_invoice_pdf(self, move_id, token, **params):
        move = request.env["account.move"].sudo().browse(move_id).exists()
        stored_token = move.emag_invoice_token if move else False
        if not stored_token or not consteq(stored_token, token or ""):
            raise request.not_found()
        pdf = move.invoice_pdf_report_id
        if move.state != "posted" or not pdf or pdf.mimetype != "application/pdf":
            raise request.not_found()
        return request.make_response(
            pdf.raw,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", content_disposition(pdf.name)),
            ],
        )
