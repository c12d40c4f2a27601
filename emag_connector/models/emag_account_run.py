"""One row per run of a scheduled eMAG flow (reading orders, returns,
cancellations; pushing and reconciling offers): what it read, created,
updated and failed, its eMAG calls and seconds. A row per run rather than
counters on the account, so that parallel jobs never update one row."""

import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api.client import calls_made

_logger = logging.getLogger(__name__)

FLOWS = [
    ("orders", "Orders read"),
    ("cancellations", "Cancellations re-read"),
    ("returns", "Returns read"),
    ("offers_push", "Offers pushed"),
    ("offers_reconcile", "Offers reconciled"),
    ("vendor_bills", "eMAG invoices read"),
]
#: runs kept this many days
KEEP_DAYS = 30


class EmagAccountRun(models.Model):
    _name = "emag.account.run"
    _description = "eMAG Flow Run"
    _order = "started desc, id desc"

    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    flow = fields.Selection(FLOWS, required=True, index=True)
    started = fields.Datetime(required=True, default=fields.Datetime.now)
    seconds = fields.Float(digits=(16, 1))
    read_count = fields.Integer(string="Read")
    created_count = fields.Integer(string="Created")
    updated_count = fields.Integer(string="Updated")
    failed_count = fields.Integer(string="Failed")
    calls = fields.Integer(string="eMAG Calls")
    error = fields.Text()

    @api.model
    @contextmanager
    def _emag_run(self, account, flow):
        """Count one run of ``flow``: yields a dict whose ``read``,
        ``created``, ``updated`` and ``failed`` the job fills. A run that
        fails is recorded with its error on a cursor of its own (the job's
        transaction is rolled back); a race retried later is not a run."""
        counts = dict.fromkeys(("read", "created", "updated", "failed"), 0)
        started, calls = time.monotonic(), calls_made()
        values = {
            "account_id": account.id,
            "flow": flow,
            "started": fields.Datetime.now(),
        }

        def finish(**extra):
            return dict(
                values,
                seconds=time.monotonic() - started,
                calls=calls_made() - calls,
                read_count=counts["read"],
                created_count=counts["created"],
                updated_count=counts["updated"],
                failed_count=counts["failed"],
                **extra,
            )

        try:
            yield counts
        except RetryableJobError:
            raise
        except Exception as exc:
            counts["failed"] += 1
            message = (
                exc.args[0] if isinstance(exc, UserError) else str(exc) or repr(exc)
            )
            try:
                with self.env.registry.cursor() as cr:
                    # an account not committed yet (made in this transaction)
                    # has no run to keep
                    cr.execute("SELECT 1 FROM emag_account WHERE id = %s", [account.id])
                    if cr.fetchone():
                        self.with_env(self.env(cr=cr)).sudo().create(
                            finish(error=str(message)[:2000])
                        )
            except Exception:  # noqa: BLE001 - the record never hides the error
                _logger.warning("Could not record the failed run of %s", flow)
            raise
        self.sudo().create(finish())

    @api.model
    def _cron_cleanup(self):
        self.search(
            [("started", "<", fields.Datetime.now() - timedelta(days=KEEP_DAYS))]
        ).unlink()

    def _emag_label(self):
        self.ensure_one()
        return dict(self._fields["flow"]._description_selection(self.env))[self.flow]

    def _emag_summary(self):
        """A line of the Overview's card."""
        self.ensure_one()
        if self.error:
            return _(
                "%(flow)s failed: %(error)s", flow=self._emag_label(), error=self.error
            )
        return _(
            "%(flow)s: %(read)s read, %(created)s new, %(updated)s updated, "
            "%(failed)s failed, %(calls)s eMAG calls, %(seconds).1f s",
            flow=self._emag_label(),
            read=self.read_count,
            created=self.created_count,
            updated=self.updated_count,
            failed=self.failed_count,
            calls=self.calls,
            seconds=self.seconds,
        )
