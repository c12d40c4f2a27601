from odoo import fields, models


def selection_label(record, field_name):
    """The label of a selection field's value, or False."""
    if not record or not record[field_name]:
        return False
    field = record._fields[field_name]
    return dict(field._description_selection(record.env)).get(record[field_name])


class EmagOrder(models.Model):
    _inherit = "emag.order"

    # the way of an order after its import, step by step (non-stored: read
    # from the deliveries and the invoice when the order is shown)
    emag_delivery_date = fields.Datetime(
        string="Delivery Validated",
        compute="_compute_emag_delivery_date",
        help="When its last outgoing delivery was validated.",
    )
    emag_invoice_id = fields.Many2one(
        "account.move",
        string="Invoice Posted",
        compute="_compute_emag_invoice",
        groups="account.group_account_invoice",
        help="Its first posted invoice.",
    )
    emag_invoice_date = fields.Date(
        string="Invoice Date",
        compute="_compute_emag_invoice",
        groups="account.group_account_invoice",
    )
    emag_invoice_attached_date = fields.Datetime(
        string="PDF Attached on eMAG",
        compute="_compute_emag_invoice",
        groups="account.group_account_invoice",
    )
    emag_efactura_state = fields.Char(
        string="e-Factura",
        compute="_compute_emag_invoice",
        groups="account.group_account_invoice",
        help="The e-Factura state of the invoice, as Odoo's Romanian "
        "localisation keeps it.",
    )
    emag_efactura_rejected = fields.Boolean(
        string="Rejected by e-Factura",
        compute="_compute_emag_invoice",
        groups="account.group_account_invoice",
    )
    emag_invoice_attachment_state = fields.Char(
        string="Invoice on eMAG",
        compute="_compute_emag_invoice",
        groups="account.group_account_invoice",
    )

    def _compute_emag_delivery_date(self):
        for order in self:
            pickings = order.sudo().sale_order_id.picking_ids.filtered(
                lambda p: p.state == "done" and p.picking_type_code == "outgoing"
            )
            order.emag_delivery_date = max(pickings.mapped("date_done"), default=False)

    def _compute_emag_invoice(self):
        for order in self:
            invoice = order.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            ).sorted("id")[:1]
            order.emag_invoice_id = invoice
            order.emag_invoice_date = invoice.invoice_date
            order.emag_invoice_attached_date = invoice.emag_attachment_date
            order.emag_efactura_state = selection_label(invoice, "l10n_ro_edi_state")
            order.emag_efactura_rejected = invoice.emag_efactura_rejected
            order.emag_invoice_attachment_state = selection_label(
                invoice, "emag_attachment_state"
            )
