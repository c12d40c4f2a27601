"""eMAG AWBs: the delivery of an eMAG order handed to the courier.

Validating the delivery (``stock_picking.py``) records an AWB to issue and
enqueues ``_job_issue``: it re-reads the order, checks eMAG's rules, calls
awb/save and stores every id eMAG returns, nothing else, so that a later
failure can never lose them. The label (``_job_fetch_label``) and the order's
new status (finalized) follow in jobs of their own.

One AWB per delivery: a retried job, or a delivery validated again, finds the
AWB already issued and does not ask eMAG for a second one.
"""

import base64
import json
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api import EmagNetworkError, EmagServerError, EmagValidationError
from ..emag_api.awb import (
    AwbRefused,
    awb_ids,
    awb_payload,
    awb_phone,
    pickup_awb_payload,
)
from ..emag_api.orders import order_total
from ..emag_api.status import RMA_STATUS_LABELS
from ..tools.jobs import emag_retryable

_logger = logging.getLogger(__name__)

LABEL_MIMETYPES = {"ZPL": "application/x-zpl"}


class EmagAwb(models.Model):
    _name = "emag.awb"
    _description = "eMAG AWB"
    _order = "id desc"
    _rec_name = "awb_number"

    order_id = fields.Many2one(
        "emag.order", string="eMAG Order", required=True, ondelete="cascade", index=True
    )
    account_id = fields.Many2one(related="order_id.account_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", ondelete="restrict", index=True
    )
    rma_id = fields.Many2one(
        "emag.rma",
        string="eMAG Return",
        ondelete="cascade",
        index="btree_not_null",
        help="For the pickup of a return by the seller's own courier: the "
        "parcel goes from the customer to the seller.",
    )
    state = fields.Selection(
        [("pending", "To issue"), ("issued", "Issued"), ("error", "Error")],
        default="pending",
        required=True,
        readonly=True,
    )
    error_message = fields.Text(readonly=True)
    parcel_number = fields.Integer(string="Parcels", default=1)
    envelope_number = fields.Integer(string="Envelopes", default=0)
    weight = fields.Float(string="Weight (kg)", digits="Stock Weight")
    cod = fields.Float(string="Cash on Delivery", readonly=True)
    awb_number = fields.Char(string="AWB Number", readonly=True, copy=False)
    awb_barcode = fields.Char(string="AWB Barcode", readonly=True, copy=False)
    emag_id = fields.Integer(
        string="eMAG AWB ID",
        readonly=True,
        copy=False,
        help="eMAG's id of the AWB, needed to download its label.",
    )
    reservation_id = fields.Integer(
        string="eMAG Reservation ID", readonly=True, copy=False
    )
    courier_name = fields.Char(readonly=True)
    courier_emag_id = fields.Integer(string="eMAG Courier Account ID", readonly=True)
    issued_date = fields.Datetime(readonly=True, copy=False)
    courier_status = fields.Char(
        readonly=True,
        copy=False,
        help="The last status of the AWB on eMAG (e.g. Delivered), read when "
        "eMAG calls back for an AWB status change.",
    )
    courier_status_code = fields.Char(readonly=True, copy=False)
    label_id = fields.Many2one("ir.attachment", readonly=True)
    request_payload = fields.Text(readonly=True, help="The awb/save request sent.")
    response_payload = fields.Text(readonly=True, help="eMAG's answer to awb/save.")

    _sql_constraints = [
        (
            "picking_uniq",
            "unique(picking_id)",
            "This delivery already has an eMAG AWB.",
        ),
    ]

    @api.depends("awb_number", "state")
    def _compute_display_name(self):
        for awb in self:
            awb.display_name = awb.awb_number or _("AWB (%s)", awb.state)

    # ------------------------------------------------------------------
    # Issue
    # ------------------------------------------------------------------

    @api.model
    def _emag_request(self, failed, values):
        """An AWB to issue in a job: ``failed`` (an AWB in error) tried again
        with ``values``, else a new one. As superuser: whoever validates a
        delivery or a return needs no rights on AWBs."""
        values = dict(values, state="pending", error_message=False)
        if failed:
            awb = failed.sudo()
            awb.write(values)
        else:
            awb = self.sudo().create(values)
        awb._emag_enqueue_issue()
        return awb

    def _emag_enqueue_issue(self):
        for awb in self:
            awb.with_delay(
                identity_key=f"emag-awb-issue-{awb.id}",
                description=_("Issue the eMAG AWB of %s", awb.picking_id.name),
            )._job_issue()

    def _job_issue(self):
        """Issue the AWB on eMAG, once. The order is read first: eMAG's rules
        are checked on its current state, not on what Odoo last saw."""
        self.ensure_one()
        if self.state == "issued" or self.emag_id or self.reservation_id:
            return "already issued"
        if self.rma_id:
            return self._emag_issue_pickup()
        binding = self.order_id
        client = self.account_id._emag_client()
        with emag_retryable():
            order = client.read_order(binding.emag_order_id, int(binding.order_type))
        if not order:
            return self._emag_fail(_("eMAG has no order %s.", binding.emag_order_id))
        if int(order.get("status") or 0) == 1:
            # the acknowledgement job has not run yet: wait for it
            raise RetryableJobError(
                _("eMAG order %s is not acknowledged yet.", binding.emag_order_id),
                seconds=60,
            )
        issued = binding.awb_ids.filtered(lambda a: a.state == "issued") - self
        if int(order.get("status") or 0) == 4 and not issued:
            # finalized, yet Odoo holds no AWB: one was issued in eMAG's
            # interface, or by a call whose answer was lost. Never a second one.
            return self._emag_fail(
                _(
                    "eMAG order %s is already finalized, so it already has an AWB "
                    "that Odoo does not know. Check the order on eMAG; no second AWB "
                    "was issued.",
                    binding.emag_order_id,
                )
            )
        try:
            with emag_retryable():  # the sender's locality may be looked up
                payload = self._emag_payload(order, first=not issued)
        except (AwbRefused, UserError) as exc:
            return self._emag_fail(str(exc))
        self.write(
            {
                "request_payload": json.dumps(payload, ensure_ascii=False),
                "cod": payload["cod"],
            }
        )
        try:
            with emag_retryable():
                try:
                    result = client.save_awb(payload)
                except (EmagServerError, EmagNetworkError) as exc:
                    if issued:
                        # the AWB may exist; a later AWB of a finalized order
                        # cannot be told apart from it: a person checks
                        return self._emag_fail(
                            _(
                                "eMAG did not say whether it issued the AWB (%s). "
                                "Check the order on eMAG before issuing it again "
                                "by hand.",
                                exc,
                            )
                        )
                    raise  # retried: the order will show finalized if it was
        except EmagValidationError as exc:
            return self._emag_fail(_("eMAG refused the AWB: %s", exc))
        self._emag_store(result)
        return self.awb_number

    def _emag_issue_pickup(self):
        """The pickup AWB of a return (pickup by the seller's courier): the
        request is read again; a 5xx or timeout is retried (eMAG lists the
        request's AWBs: one already made for this picking is kept, never a
        second one)."""
        rma_binding = self.rma_id
        client = self.account_id._emag_client()
        with emag_retryable():
            rma = client.read_rma(rma_binding.emag_id)
        if not rma:
            return self._emag_fail(_("eMAG has no return %s.", rma_binding.emag_id))
        if int(rma.get("request_status") or 0) not in (3,):
            return self._emag_fail(
                _(
                    "A pickup AWB is issued for an approved return only; eMAG "
                    "shows %s.",
                    RMA_STATUS_LABELS.get(int(rma.get("request_status") or 0)),
                )
            )
        today = fields.Date.context_today(self)
        wanted = rma_binding.pickup_date and rma_binding.pickup_date.date()
        day = max(wanted or today, today + timedelta(days=1))
        try:
            with emag_retryable():
                payload = pickup_awb_payload(
                    rma,
                    self._emag_sender(),
                    day=day,
                    parcels=self.parcel_number,
                    weight=round(self.weight, 3) or None,
                    courier_account_id=self.account_id.courier_account_id.emag_id
                    or None,
                )
        except (AwbRefused, UserError) as exc:
            return self._emag_fail(str(exc))
        self.write({"request_payload": json.dumps(payload, ensure_ascii=False)})
        try:
            with emag_retryable():
                result = client.save_awb(payload)
        except EmagValidationError as exc:
            return self._emag_fail(_("eMAG refused the AWB: %s", exc))
        self._emag_store(result)
        return self.awb_number

    def _emag_payload(self, order, first=True):
        account = self.account_id
        return awb_payload(
            order,
            self._emag_sender(),
            parcels=self.parcel_number,
            envelopes=self.envelope_number,
            weight=round(self.weight, 3) or None,
            # the first AWB collects the money; later ones (backorders) do not
            cod=None if first else 0,
            courier_account_id=account.courier_account_id.emag_id or None,
            insured_value=order_total(order) if account.awb_insured else None,
            saturday_delivery=account.awb_saturday_delivery,
            sameday_delivery=account.awb_sameday_delivery,
        )

    def _emag_sender(self):
        """The sender block: the account's eMAG pickup address, else the
        address of the delivery's warehouse (its eMAG locality looked up)."""
        account = self.account_id
        company = account.company_id
        warehouse = self.picking_id.picking_type_id.warehouse_id or (
            account.warehouse_id
        )
        partner = warehouse.partner_id or company.partner_id
        phone = awb_phone(partner.phone or company.phone)
        if not phone:
            raise UserError(
                _(
                    "Set a phone number on %s: eMAG prints the sender's phone on "
                    "the AWB.",
                    partner.display_name,
                )
            )
        sender = {"name": company.name, "contact": partner.name, "phone1": phone}
        address = account.pickup_address_id
        if address:
            return dict(
                sender,
                address_id=address.address_id,
                locality_id=address.locality_id,
                street=address.address,
                zipcode=address.zipcode or None,
            )
        localities = self.env["emag.locality"]._emag_lookup(
            account, partner.city, partner.state_id.name, partner.country_id.code
        )
        if len(localities) != 1:
            raise UserError(
                _(
                    "eMAG does not know the locality of %(partner)s (%(city)s, "
                    "%(county)s): %(found)s. Choose the eMAG pickup address on the "
                    "account %(account)s, or correct the city and county of the "
                    "warehouse address.",
                    partner=partner.display_name,
                    city=partner.city or "-",
                    county=partner.state_id.name or "-",
                    found=_("several localities match")
                    if localities
                    else _("no locality matches"),
                    account=account.name,
                )
            )
        street = ", ".join(s for s in (partner.street, partner.street2) if s)
        return dict(
            sender,
            locality_id=localities.emag_id,
            street=street,
            zipcode=partner.zip or None,
        )

    def _emag_store(self, result):
        """Keep every id of eMAG's answer, then fetch the label and the order's
        new status in jobs of their own."""
        ids = awb_ids(result)
        self.write(
            {
                "state": "issued",
                "error_message": False,
                "issued_date": fields.Datetime.now(),
                "response_payload": json.dumps(result, ensure_ascii=False),
                "reservation_id": ids["reservation_id"] or 0,
                "emag_id": ids["emag_id"] or 0,
                "awb_number": ids["awb_number"],
                "awb_barcode": ids["awb_barcode"],
                "courier_name": ids["courier_name"],
                "courier_emag_id": ids["courier_account_id"] or 0,
            }
        )
        picking = self.picking_id
        if picking and self.awb_number:
            picking.carrier_tracking_ref = self.awb_number
            picking.message_post(
                body=_(
                    "eMAG AWB %(number)s issued (%(courier)s).",
                    number=self.awb_number,
                    courier=self.courier_name or "-",
                )
            )
        self._emag_enqueue_label()
        if self.rma_id:
            self.rma_id.action_retry()
            return
        self.order_id._emag_enqueue_import(
            self.account_id, order_id=self.order_id.emag_order_id
        )

    def _emag_fail(self, message):
        self.write({"state": "error", "error_message": message})
        (self.picking_id or self.order_id).message_post(
            body=_("eMAG AWB not issued: %s", message)
        )
        return "error"

    # ------------------------------------------------------------------
    # Label
    # ------------------------------------------------------------------

    def _emag_enqueue_label(self):
        for awb in self:
            awb.with_delay(
                identity_key=f"emag-awb-label-{awb.id}",
                description=_("Download the eMAG AWB label %s", awb.awb_number),
            )._job_fetch_label()

    def _job_fetch_label(self):
        """Download the label in the account's format and attach it to the
        delivery (it replaces an earlier download)."""
        self.ensure_one()
        if not self.emag_id:
            raise UserError(
                _(
                    "AWB %s has no eMAG id: its label cannot be downloaded.",
                    self.display_name,
                )
            )
        paper = self.account_id.awb_format
        with emag_retryable():
            content = self.account_id._emag_client().read_awb_pdf(self.emag_id, paper)
        extension = "zpl" if paper == "ZPL" else "pdf"
        label = self.env["ir.attachment"].create(
            {
                "name": f"AWB-{self.awb_number or self.emag_id}.{extension}",
                "datas": base64.b64encode(content),
                "mimetype": LABEL_MIMETYPES.get(paper, "application/pdf"),
                "res_model": "stock.picking" if self.picking_id else "emag.order",
                "res_id": self.picking_id.id or self.order_id.id,
            }
        )
        old, self.label_id = self.label_id, label
        old.unlink()
        (self.picking_id or self.order_id).message_post(
            body=_("eMAG AWB label %s.", self.awb_number), attachment_ids=label.ids
        )
        return label.name

    # ------------------------------------------------------------------
    # Courier status
    # ------------------------------------------------------------------

    def _emag_enqueue_status(self):
        for awb in self.filtered("emag_id"):
            awb.with_delay(
                identity_key=f"emag-awb-status-{awb.id}",
                description=_("Read the status of the eMAG AWB %s", awb.awb_number),
            )._job_read_status()

    def _job_read_status(self):
        """Read the AWB's statuses on eMAG (awb/read) and keep the last one."""
        self.ensure_one()
        with emag_retryable():
            record = self.account_id._emag_client().read_awb(emag_id=self.emag_id)
        statuses = (record or {}).get("status") or []
        if isinstance(statuses, dict):
            statuses = [statuses]
        last = statuses[-1] if statuses else {}
        code = last.get("code") or False
        name = last.get("name") or last.get("description") or code
        if (code, name) != (self.courier_status_code, self.courier_status):
            self.write({"courier_status_code": code, "courier_status": name})
            (self.picking_id or self.order_id).message_post(
                body=_(
                    "eMAG AWB %(number)s: %(status)s.",
                    number=self.display_name,
                    status=name,
                )
            )
        return name

    def action_retry(self):
        """Issue the AWBs in error again (in a job)."""
        for awb in self.filtered(lambda a: a.state == "error"):
            awb._emag_request(awb, {})
        return True

    def action_refresh_status(self):
        self._emag_enqueue_status()
        return True

    def action_download_label(self):
        """Download the label again (in a job: eMAG is never called here)."""
        issued = self.filtered("emag_id")
        if not issued:
            raise UserError(_("No AWB has been issued yet."))
        issued._emag_enqueue_label()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _("The label is being downloaded from eMAG."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
