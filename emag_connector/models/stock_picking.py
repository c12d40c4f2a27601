from odoo import _, api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    emag_order_id = fields.Many2one(related="sale_id.emag_order_id")
    emag_awb_ids = fields.One2many("emag.awb", "picking_id", string="eMAG AWBs")
    emag_awb_id = fields.Many2one(
        "emag.awb", string="eMAG AWB", compute="_compute_emag_awb"
    )
    emag_awb_state = fields.Selection(
        [("pending", "To issue"), ("issued", "Issued"), ("error", "Error")],
        string="AWB State",
        compute="_compute_emag_awb",
    )
    emag_awb_error = fields.Text(string="AWB Error", compute="_compute_emag_awb")
    emag_rma_id = fields.Many2one(
        "emag.rma",
        string="eMAG Return",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The eMAG return request whose goods this picking receives.",
    )

    @api.depends("emag_awb_ids.state", "emag_awb_ids.error_message")
    def _compute_emag_awb(self):
        for picking in self:
            awb = picking.emag_awb_ids[:1]
            picking.emag_awb_id = awb
            picking.emag_awb_state = awb.state
            picking.emag_awb_error = awb.error_message

    def _emag_seller_transfers(self):
        """Transfers of eMAG orders the seller ships (not fulfilled by eMAG),
        as superuser: warehouse users need no access to the eMAG setup."""
        return self.sudo().filtered(
            lambda p: p.emag_order_id.order_type == "3" and p.state != "cancel"
        )

    def _emag_ships(self):
        """The deliveries among them."""
        return self._emag_seller_transfers().filtered(
            lambda p: p.picking_type_code == "outgoing"
        )

    def _emag_parcels(self):
        """Parcels and weight (kg) of the delivery: one parcel per package, plus
        one for what is not packed; its shipping weight."""
        self.ensure_one()
        lines = self.move_line_ids.filtered("quantity")
        packages = lines.result_package_id
        loose = lines.filtered(lambda line: not line.result_package_id)
        weight_uom = self.env[
            "product.template"
        ]._get_weight_uom_id_from_ir_config_parameter()
        weight = weight_uom._compute_quantity(
            self.shipping_weight, self.env.ref("uom.product_uom_kgm")
        )
        return {
            "parcel_number": len(packages) + (1 if loose or not packages else 0),
            "envelope_number": 0,
            "weight": weight,
        }

    def button_validate(self):
        """Ask for parcels and weight first when the eMAG account wants it."""
        if self.env.context.get("emag_awb_values") is None:
            ask = self._emag_ships().filtered(
                lambda p: (
                    p.emag_order_id.account_id.delivery_action == "awb"
                    and p.emag_order_id.account_id.awb_ask_parcels
                    and not p.emag_awb_ids
                )
            )
            if ask:
                return self.env["emag.awb.wizard"]._emag_action(ask, validate=self)
        return super().button_validate()

    def _action_done(self):
        res = super()._action_done()
        done = self.filtered(lambda p: p.state == "done")
        done._emag_delivery_done()
        done._emag_rma_received()
        return res

    def action_view_emag_rma(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "emag.rma",
            "res_id": self.emag_rma_id.id,
            "view_mode": "form",
        }

    def _emag_rma_received(self):
        """The goods of an approved eMAG return are back: Received goes to
        eMAG in a job."""
        for rma in self.sudo().emag_rma_id:
            if rma.request_status == "3" and rma.state == "done":
                rma._emag_enqueue_push(6)

    def _emag_delivery_done(self):
        """The eMAG side of validated transfers, in jobs, per account: the
        delivery marks the order prepared, or issues its AWB (which finalizes
        it); the earlier steps of a delivery in several steps (pick, pack) mark
        it prepared."""
        values = self.env.context.get("emag_awb_values") or {}
        for picking in self._emag_seller_transfers():
            action = picking.emag_order_id.account_id.delivery_action
            step = picking.picking_type_code
            if action == "none" or step not in ("internal", "outgoing"):
                continue
            if step == "internal" or action == "prepared":
                picking.emag_order_id._emag_enqueue_prepared()
            elif not picking.emag_awb_ids:
                picking._emag_request_awb(values.get(str(picking.id)))

    def _emag_request_awb(self, values=None):
        """Record the AWB of this delivery and issue it in a job; an AWB in
        error is tried again with the new values."""
        self.ensure_one()
        values = dict(values or self._emag_parcels())
        awb = self.sudo().emag_awb_ids[:1]
        if awb.state in ("pending", "issued"):
            raise UserError(
                _("Delivery %s already has an eMAG AWB.", self.display_name)
            )
        return self.env["emag.awb"]._emag_request(
            awb, dict(values, order_id=self.emag_order_id.id, picking_id=self.id)
        )

    def action_emag_issue_awb(self):
        """Issue an AWB by hand: parcels and weight are asked first."""
        pickings = self._emag_ships()
        if not pickings:
            raise UserError(
                _("Only deliveries of orders shipped by the seller get an eMAG AWB.")
            )
        return self.env["emag.awb.wizard"]._emag_action(pickings)

    def action_emag_download_label(self):
        return self.emag_awb_ids.action_download_label()
