"""Invoices on eMAG: the invoice PDF Odoo produced is attached to the eMAG order.

eMAG downloads the PDF from a URL on this Odoo (``controllers/invoice.py``)
carrying a secret token of the invoice. The connector never renders a PDF: it
waits until Odoo's Print & Send has stored one (``invoice_pdf_report_id``),
then a job gives eMAG the URL (order/attachments/save, type 1).

Triggers: posting (``_post``), the PDF being stored
(``account.move.send._link_invoice_documents``) and an hourly cron for the
invoices still waiting. ``_emag_invoice_ready`` is the hook deciding when an
invoice may be attached (the e-Factura bridge extends it).
"""

import secrets

from pydantic import ValidationError

from odoo import _, api, fields, models

from ..emag_api.schemas import OrderAttachmentSave, validation_messages
from ..tools.jobs import emag_retryable

#: eMAG attachment type of an invoice (5.1.3); credit notes are invoices too
INVOICE_ATTACHMENT_TYPE = 1
EMAG_MOVE_TYPES = ("out_invoice", "out_refund")
#: states the cron looks at again
WAITING_STATES = ("waiting_pdf", "waiting_efactura", "to_send")


class AccountMove(models.Model):
    _inherit = "account.move"

    emag_order_id = fields.Many2one(
        "emag.order",
        string="eMAG Order",
        compute="_compute_emag_order_id",
        store=True,
        recursive=True,
        index="btree_not_null",
        readonly=True,
        help="The eMAG order this invoice or credit note is for (from its sale "
        "order, or the invoice it reverses).",
    )
    emag_attachment_state = fields.Selection(
        [
            ("waiting_pdf", "Waiting for the invoice PDF"),
            ("waiting_efactura", "Waiting for e-Factura"),
            ("to_send", "To send"),
            ("attached", "Attached"),
            ("error", "Refused"),
        ],
        string="eMAG Attachment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Where the invoice PDF is on its way to the eMAG order: it is "
        "attached once the invoice is posted and its PDF exists in Odoo "
        "(Print & Send).",
    )
    emag_attachment_message = fields.Text(
        string="eMAG Attachment Message", readonly=True, copy=False
    )
    emag_waiting_reason = fields.Text(
        string="eMAG Attachment Status",
        compute="_compute_emag_waiting_reason",
        help="What the invoice waits for before its PDF reaches eMAG, and why.",
    )
    emag_attachment_date = fields.Datetime(
        string="Attached on eMAG", readonly=True, copy=False
    )
    emag_attachment_url = fields.Char(
        string="URL Given to eMAG",
        readonly=True,
        copy=False,
        groups="base.group_system",
    )
    emag_invoice_token = fields.Char(
        string="eMAG Invoice Token",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Secret part of the URL from which eMAG downloads the PDF.",
    )

    @api.depends(
        "line_ids.sale_line_ids.order_id.emag_order_id",
        "reversed_entry_id.emag_order_id",
    )
    def _compute_emag_order_id(self):
        for move in self:
            order = move.line_ids.sale_line_ids.order_id.emag_order_id[:1]
            move.emag_order_id = order or move.reversed_entry_id.emag_order_id

    @api.depends("emag_attachment_state", "emag_attachment_message")
    def _compute_emag_waiting_reason(self):
        for move in self:
            move.emag_waiting_reason = move._emag_waiting_reason() or False

    def _emag_waiting_reason(self):
        """Where the PDF is on its way to eMAG, in a sentence. Extension hook:
        the e-Factura bridge says what ANAF answered."""
        self.ensure_one()
        state, message = self.emag_attachment_state, self.emag_attachment_message
        if state == "waiting_pdf" and message:
            return _(
                "Odoo could not send the invoice, so its PDF does not exist yet: "
                "%s Fix this, then send the invoice again (Send & Print).",
                message,
            )
        if state == "waiting_pdf":
            return _(
                "Waiting for the invoice PDF: Odoo makes it when the invoice is "
                "sent (Send & Print); the PDF then goes to eMAG by itself."
            )
        if state == "waiting_efactura":
            return _(
                "Waiting for e-Factura: the PDF goes to eMAG once ANAF has the "
                "invoice, as the eMAG account asks."
            )
        if state == "to_send":
            return _("Being sent to eMAG by a job.")
        return message

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._emag_enqueue_attachment()
        return posted

    def _emag_invoices(self):
        """The posted invoices and credit notes of eMAG orders in ``self``."""
        return self.filtered(
            lambda m: (
                m.emag_order_id
                and m.move_type in EMAG_MOVE_TYPES
                and m.state == "posted"
            )
        )

    def _emag_invoice_ready(self):
        """Whether the invoice may be given to eMAG now: ``(True, False)``, or
        ``(False, waiting_state)`` with the ``emag_attachment_state`` to show.

        Extension hook: the e-Factura bridge also waits for ANAF here.
        """
        self.ensure_one()
        if self.state != "posted" or not self.invoice_pdf_report_id:
            return False, "waiting_pdf"
        return True, False

    def _emag_enqueue_attachment(self, force=False):
        """Enqueue the attachment of the invoices that are ready; mark the
        others as waiting. Never calls eMAG (this runs in users' transactions)."""
        for move in self._emag_invoices():
            ready, waiting = move._emag_invoice_ready()
            if not ready:
                if move.emag_attachment_state != waiting:
                    move.emag_attachment_state = waiting
                continue
            if move.emag_attachment_state == "attached" and not force:
                continue
            move.write(
                {"emag_attachment_state": "to_send", "emag_attachment_message": False}
            )
            move.with_delay(
                identity_key=f"emag-invoice-{move.id}",
                description=_("Attach %s to its eMAG order", move.name),
            )._job_emag_attach_invoice(force=force)
        return True

    @api.model
    def _cron_emag_attach_invoices(self):
        """Look again at the eMAG invoices still waiting (PDF, e-Factura)."""
        self.search(
            [
                ("emag_attachment_state", "in", WAITING_STATES),
                ("state", "=", "posted"),
            ]
        )._emag_enqueue_attachment()

    def action_emag_attach_invoice(self):
        """'Send to eMAG again': the PDF is downloaded by eMAG again."""
        self._emag_enqueue_attachment(force=True)
        return True

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------

    def _emag_invoice_url(self):
        """The URL eMAG downloads the PDF from (its token made once)."""
        self.ensure_one()
        move = self.sudo()
        if not move.emag_invoice_token:
            move.emag_invoice_token = secrets.token_urlsafe(32)
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return f"{base.rstrip('/')}/emag/invoice/{move.id}/{move.emag_invoice_token}"

    def _emag_attachment_payload(self, url):
        """The order/attachments/save entity, or a list of problems."""
        self.ensure_one()
        pdf = self.invoice_pdf_report_id
        if pdf.mimetype != "application/pdf":
            return None, [
                _(
                    "%(name)s: eMAG only accepts PDF files, but the stored document "
                    "%(file)s is %(type)s. Print the invoice as PDF again.",
                    name=self.name,
                    file=pdf.name,
                    type=pdf.mimetype or _("of unknown type"),
                )
            ]
        order = self.emag_order_id
        payload = {
            "order_id": order.emag_order_id,
            "order_type": int(order.order_type),
            "type": INVOICE_ATTACHMENT_TYPE,
            # eMAG shows at most 60 characters of the name
            "name": (self.name or "")[:60],
            "url": url,
            # the same URL again (a new PDF, "Send to eMAG again"): eMAG
            # downloads it only when asked to
            "force_download": 1 if self.emag_attachment_date else 0,
        }
        try:
            entity = OrderAttachmentSave.model_validate(payload).to_payload()
        except ValidationError as exc:
            return None, [f"{self.name}: {m}" for m in validation_messages(exc)]
        return entity, []

    def _job_emag_attach_invoice(self, force=False):
        """Give eMAG the URL of the invoice PDF (order/attachments/save)."""
        self.ensure_one()
        move = self.sudo()
        if not move._emag_invoices():
            return _("Not a posted invoice of an eMAG order.")
        ready, waiting = move._emag_invoice_ready()
        if not ready:
            move.emag_attachment_state = waiting
            return _("Not ready: %s", waiting)
        url = move._emag_invoice_url()
        if (
            not force
            and move.emag_attachment_state == "attached"
            and move.emag_attachment_url == url
        ):
            return _("Already attached.")
        entity, problems = move._emag_attachment_payload(url)
        if not problems:
            client = move.emag_order_id.account_id._emag_client()
            with emag_retryable():
                (outcome,) = client.save_order_attachments([entity])
            if outcome.error:
                problems = [_("eMAG refused the invoice: %s", outcome.error)]
        if problems:
            message = "\n".join(problems)
            move.write(
                {"emag_attachment_state": "error", "emag_attachment_message": message}
            )
            move.message_post(body=message)
            return message
        move.write(
            {
                "emag_attachment_state": "attached",
                "emag_attachment_message": False,
                "emag_attachment_url": url,
                "emag_attachment_date": fields.Datetime.now(),
            }
        )
        move.emag_order_id.message_post(
            body=_("%s attached to the eMAG order.", move.name)
        )
        return _("Attached.")
