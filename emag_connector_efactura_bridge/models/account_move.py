from odoo import _, api, fields, models

#: e-Factura states (``l10n_ro_edi_state``) each policy accepts; a state a
#: later Odoo adds (invoice_not_indexed, invoice_refused) is never "ready"
READY_STATES = {
    "sent": ("invoice_sent", "invoice_validated"),
    "validated": ("invoice_validated",),
}
#: document states meaning ANAF did not take the invoice (18.0, and later)
FAILED_DOCUMENT_STATES = ("invoice_sending_failed", "invoice_refused")


class AccountMove(models.Model):
    _inherit = "account.move"

    emag_efactura_rejected = fields.Boolean(
        string="Rejected by e-Factura",
        compute="_compute_emag_efactura_rejected",
        search="_search_emag_efactura_rejected",
        help="Sending to e-Factura failed or ANAF refused the invoice, and no "
        "later sending succeeded.",
    )

    def _emag_invoice_ready(self):
        """Wait, besides the PDF, for the e-Factura state the account asks."""
        ready, waiting = super()._emag_invoice_ready()
        if not ready:
            return ready, waiting
        policy = self.emag_order_id.account_id.efactura_attach_policy
        if (
            policy in READY_STATES
            and self.l10n_ro_edi_state not in READY_STATES[policy]
        ):
            return False, "waiting_efactura"
        return True, False

    def _emag_waiting_reason(self):
        """Say what e-Factura answered, for an invoice that waits for it."""
        reason = super()._emag_waiting_reason()
        if self.emag_attachment_state != "waiting_efactura":
            return reason
        if self.emag_efactura_rejected:
            failed = self.l10n_ro_edi_document_ids.filtered(
                lambda d: d.state in FAILED_DOCUMENT_STATES
            )[:1]
            return _(
                "e-Factura did not take the invoice: %s Correct it and send it "
                "to e-Factura again; its PDF then goes to eMAG.",
                failed.message or _("(no message from ANAF)"),
            )
        state = dict(
            self._fields["l10n_ro_edi_state"]._description_selection(self.env)
        ).get(self.l10n_ro_edi_state, _("not sent to e-Factura yet"))
        return _("%(reason)s Now: %(state)s.", reason=reason, state=state)

    @api.model
    def _emag_has_refused_state(self):
        """Whether this Odoo's e-Factura has an "invoice_refused" move state
        (later versions; 18.0 only keeps failed documents)."""
        field = self._fields["l10n_ro_edi_state"]
        return "invoice_refused" in dict(field._description_selection(self.env))

    @api.depends("l10n_ro_edi_state", "l10n_ro_edi_document_ids.state")
    def _compute_emag_waiting_reason(self):
        return super()._compute_emag_waiting_reason()

    @api.depends("l10n_ro_edi_state", "l10n_ro_edi_document_ids.state")
    def _compute_emag_efactura_rejected(self):
        for move in self:
            move.emag_efactura_rejected = (
                move.l10n_ro_edi_state == "invoice_refused"
                or (
                    not move.l10n_ro_edi_state
                    and any(
                        state in FAILED_DOCUMENT_STATES
                        for state in move.l10n_ro_edi_document_ids.mapped("state")
                    )
                )
            )

    def _search_emag_efactura_rejected(self, operator, value):
        domain = [
            ("l10n_ro_edi_state", "=", False),
            ("l10n_ro_edi_document_ids.state", "=", "invoice_sending_failed"),
        ]
        if self._emag_has_refused_state():
            domain = ["|", ("l10n_ro_edi_state", "=", "invoice_refused"), "&", *domain]
        rejected = (operator == "=") == bool(value)
        return [("id", "in" if rejected else "not in", self._search(domain))]
