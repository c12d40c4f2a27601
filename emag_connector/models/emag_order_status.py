"""eMAG order statuses pushed from Odoo: the acknowledgement (after the sale
order is committed), prepared, and the seller's cancellation, each in a job,
checked against eMAG's status matrix first."""

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api import EmagValidationError
from ..emag_api.status import (
    ORDER_STATUS_LABELS,
    TransitionRefused,
    check_order_transition,
)
from ..tools.jobs import emag_retryable


class EmagOrder(models.Model):
    _inherit = "emag.order"

    # ------------------------------------------------------------------
    # Acknowledgement: after the commit, only while the order is new
    # ------------------------------------------------------------------

    def _emag_to_acknowledge(self, status):
        """Only new orders fulfilled by the seller are acknowledged (5.2)."""
        return status == 1 and self.order_type == "3"

    def _emag_enqueue_acknowledge(self):
        self.ensure_one()
        self.with_delay(
            identity_key=f"emag-order-ack-{self.id}",
            description=_("Acknowledge %s", self.name),
        )._job_acknowledge()

    def _job_acknowledge(self):
        """Acknowledge (status 1 -> 2). "Already in progress" counts as done.

        No read here: the acknowledgement changes the order's "modified", so
        the next pull reads it again in a page (eMAG's advice is to re-read an
        order after acknowledging it: staff may have changed it before) and
        applies what changed. Only when eMAG refuses (the customer had it
        cancelled meanwhile) is the order read at once and applied.
        """
        self.ensure_one()
        client = self.account_id._emag_client()
        with emag_retryable():
            try:
                done_now = client.acknowledge_order(self.emag_order_id)
            except EmagValidationError:
                order = client.read_order(self.emag_order_id, int(self.order_type))
                if not order or int(order.get("status") or 0) == 1:
                    raise
                self._emag_import(self.account_id, order)
                return False
        values = {"acknowledged": True, "acknowledged_date": fields.Datetime.now()}
        if done_now and self.emag_status == "1":
            values["emag_status"] = "2"
        self.write(values)
        return True

    def _job_push_cancellation(self, reason):
        """Cancel the order on eMAG, with the seller's reason."""
        return self._emag_push_status(0, reason_cancellation=reason)

    def _emag_enqueue_prepared(self):
        self.ensure_one()
        self.with_delay(
            identity_key=f"emag-order-prepared-{self.id}",
            description=_("Mark %s prepared", self.name),
        )._job_mark_prepared()

    def _job_mark_prepared(self):
        """The delivery is validated: the order is prepared (status 3) on eMAG,
        unless it already is, or is finalized."""
        self.ensure_one()
        return self._emag_push_status(3, skip_from=(3, 4))

    def _emag_check_transition(self, current, status):
        """eMAG's status matrix and its time windows (5.3), from the order's
        finalization; raises TransitionRefused."""
        self.ensure_one()
        check_order_transition(
            current,
            status,
            finalized_at=self.finalized_date or None,
            now=fields.Datetime.now(),
        )

    def _emag_push_status(self, status, skip_from=None, **changes):
        """Change the order's status on eMAG: order/save sends back every field
        read, with the new status (and ``changes``); then read it again. The
        status matrix is checked first; an order already in one of
        ``skip_from`` (default: ``status``) is left alone."""
        self.ensure_one()
        client = self.account_id._emag_client()
        with emag_retryable():
            order = client.read_order(self.emag_order_id, int(self.order_type))
            current = int(order.get("status") or 0)
            if current == 1 and status != 0:
                # the acknowledgement job has not run yet: wait for it
                raise RetryableJobError(
                    _("eMAG order %s is not acknowledged yet.", self.emag_order_id),
                    seconds=60,
                )
            if current not in (skip_from or (status,)):
                try:
                    self._emag_check_transition(current, status)
                except TransitionRefused as exc:
                    self.message_post(body=_("Not sent to eMAG: %s", exc))
                    raise UserError(str(exc)) from None
                (outcome,) = client.save_orders([dict(order, status=status, **changes)])
                if outcome.error:
                    self.message_post(
                        body=_(
                            "eMAG refused the status %(status)s: %(error)s",
                            status=ORDER_STATUS_LABELS.get(status, status),
                            error=outcome.error,
                        )
                    )
                    raise UserError(str(outcome.error))
                order = client.read_order(self.emag_order_id, int(self.order_type))
        self._emag_import(self.account_id, order)
        return True
