"""The goods of an eMAG return request: what it names checked against the
order Odoo imported (products, quantities delivered and not already claimed),
its return pickings made once with Odoo's own return wizard, and the pickup
AWB when the seller's courier collects the parcel."""

from collections import defaultdict

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..emag_api.status import RMA_STATUS_LABELS


class EmagRmaStock(models.AbstractModel):
    _name = "emag.rma.stock"
    _description = "eMAG Return: Goods"

    # ------------------------------------------------------------------
    # Checks against the order
    # ------------------------------------------------------------------

    def _emag_check(self):
        """What the request names must exist in Odoo, and no more than was
        delivered may come back: otherwise the request is an exception."""
        self.ensure_one()
        order = self.order_id
        if not order.sale_order_id:
            if not order:
                self.env["emag.order"]._emag_enqueue_import(
                    self.account_id, order_id=self.emag_order_number
                )
            raise UserError(
                _(
                    "The eMAG order %s of this return is not imported (yet): "
                    "the return is imported again once it is.",
                    self.emag_order_number,
                )
            )
        unknown = self.line_ids.filtered(lambda line: not line.product_id)
        if unknown:
            raise UserError(
                _(
                    "Unknown product on the return: no offer with seller id "
                    "%(ids)s (%(names)s).",
                    ids=", ".join(str(x) for x in unknown.mapped("seller_product_id")),
                    names=", ".join(unknown.mapped("product_name")),
                )
            )
        if not self.line_ids:
            raise UserError(_("The eMAG return lists no product."))
        if self.return_kind == "2":
            return
        delivered = self._emag_delivered()
        wanted = self._emag_quantities()
        for product, quantity in wanted.items():
            rounding = product.uom_id.rounding
            if (
                float_compare(
                    quantity,
                    delivered.get(product, 0.0),
                    precision_rounding=rounding,
                )
                > 0
            ):
                raise UserError(
                    _(
                        "%(product)s: %(qty)s to return, but %(delivered)s "
                        "delivered on %(order)s and not returned by another "
                        "request.",
                        product=product.display_name,
                        qty=quantity,
                        delivered=delivered.get(product, 0.0),
                        order=self.sale_order_id.name,
                    )
                )

    def _emag_quantities(self):
        """{product: quantity} the request returns."""
        quantities = defaultdict(float)
        for line in self.line_ids:
            quantities[line.product_id] += line.quantity
        return quantities

    def _emag_deliveries(self):
        """The done deliveries of the order, oldest first."""
        return self.sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        ).sorted("date_done")

    def _emag_delivered(self):
        """{product: quantity} delivered to the customer and not claimed by
        another return request of the order that is still alive (a request in
        exception claims nothing: it has no picking)."""
        delivered = defaultdict(float)
        for move in self._emag_deliveries().move_ids:
            if move.state == "done":
                delivered[move.product_id] += move.product_qty
        others = self.search(
            [
                ("order_id", "=", self.order_id.id),
                ("id", "!=", self.id),
                ("request_status", "not in", ("1", "4", "5")),
                ("state", "=", "done"),
            ]
        )
        for line in others.line_ids:
            delivered[line.product_id] -= line.quantity
        return delivered

    # ------------------------------------------------------------------
    # Return pickings: Odoo's own return wizard, once
    # ------------------------------------------------------------------

    def _emag_make_return_pickings(self):
        """The return pickings of an approved request, from the deliveries
        that shipped its products, into the account's return location.
        Requests fulfilled by eMAG never touch the seller's stock."""
        self.ensure_one()
        if self.return_kind == "2" or self.return_picking_ids:
            return self.return_picking_ids
        remaining = self._emag_quantities()
        pickings = self.env["stock.picking"]
        values = {"emag_rma_id": self.id, "origin": self.name}
        location = self.account_id.return_location_id
        if location:
            values["location_dest_id"] = location.id
        for delivery in self._emag_deliveries():
            wizard = (
                self.env["stock.return.picking"]
                .with_context(emag_rma_values=values)
                .create({"picking_id": delivery.id})
            )
            for line in wizard.product_return_moves:
                line.quantity = min(
                    remaining.get(line.product_id, 0.0), line.move_id.product_qty
                )
                remaining[line.product_id] = (
                    remaining.get(line.product_id, 0.0) - line.quantity
                )
            if not any(wizard.product_return_moves.mapped("quantity")):
                continue
            picking = wizard._create_return()
            pickings |= picking
        return pickings

    def _emag_cancel_return_pickings(self):
        """A refused or cancelled request expects nothing back any more."""
        waiting = self.return_picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if waiting:
            waiting.action_cancel()
            self.message_post(
                body=_(
                    "Return picking %(pickings)s cancelled: the return is "
                    "%(status)s on eMAG.",
                    pickings=", ".join(waiting.mapped("name")),
                    status=RMA_STATUS_LABELS.get(int(self.request_status or 0)),
                )
            )

    # ------------------------------------------------------------------
    # Pickup AWB
    # ------------------------------------------------------------------

    def action_issue_pickup_awb(self):
        """The seller collects the parcel with their own courier account
        (pickup method 2): a pickup AWB for the return picking, in a job."""
        self.ensure_one()
        picking = self.return_picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )[:1]
        if self.request_status != "3" or not picking:
            raise UserError(
                _(
                    "A pickup AWB is issued for an approved return whose goods "
                    "are still expected."
                )
            )
        if self.awb_ids.filtered(lambda a: a.state in ("pending", "issued")):
            raise UserError(_("%s already has a pickup AWB.", self.name))
        self.env["emag.awb"]._emag_request(
            self.sudo().awb_ids.filtered(lambda a: a.state == "error")[:1],
            dict(
                picking._emag_parcels(),
                order_id=self.order_id.id,
                rma_id=self.id,
                picking_id=picking.id,
            ),
        )
        return True

    def action_view_return_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("id", "in", self.return_picking_ids.ids)]
        if len(self.return_picking_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.return_picking_ids.id)
        return action
