"""One row per HTTP request to eMAG (each attempt of a call retried after a
429 included): its route, outcome, eMAG's messages, duration, entities and
the eMAG ids it concerns, and its bodies for failures and a sample of
successes (``emag_api/calllog.py`` decides what is kept and masks personal
data and secrets).

Rows are written by the client's ``call_log`` hook with one INSERT on a
cursor of their own, committed at once: a caller that rolls back (a failed
job) keeps the log of its calls, and a log that cannot be written only
costs a warning. The hook holds no environment, so the thread that sends
the offer batches (``emag_api/pipeline.py``) writes its rows too."""

import logging
import random
import threading
from datetime import timedelta

from odoo import _, api, fields, models

from ..emag_api.calllog import call_record

_logger = logging.getLogger(__name__)

SAMPLE_PARAM = "emag_connector.call_log_sample_percent"
DAYS_PARAM = "emag_connector.call_log_days"
#: successful calls kept with their bodies, in percent (failures always are)
DEFAULT_SAMPLE = 1.0
DEFAULT_DAYS = 30
#: rows deleted per run of the cleanup (the cron runs again while rows remain)
CLEANUP_BATCH = 10000
#: the kind of eMAG id of each record, and its field
ID_FIELDS = {
    "emag.offer": ("offer", "emag_offer_id"),
    "emag.order": ("order", "emag_order_id"),
    "emag.awb": ("awb", "emag_id"),
    "emag.rma": ("rma", "emag_id"),
}

#: a row of the account's company, skipped when the account is not visible
#: to other transactions (created by the caller's, not committed yet)
INSERT = """
    INSERT INTO emag_call_log (
        account_id, company_id, route, method, http_status, outcome, is_error,
        messages, duration_ms, entity_count, emag_ids, job_uuid, request_body,
        response_body, create_uid, create_date, write_uid, write_date
    )
    SELECT id, company_id, %(route)s, %(method)s, %(http_status)s, %(outcome)s,
           %(is_error)s, %(messages)s, %(duration_ms)s, %(entity_count)s,
           %(emag_ids)s, %(job_uuid)s, %(request_body)s, %(response_body)s,
           %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
      FROM emag_account
     WHERE id = %(account_id)s
"""

#: not empty once a failure to write was logged: once per process
_warned = set()


def _warn_once():
    if not _warned:
        _warned.add(True)
        _logger.warning(
            "An eMAG call could not be written to the call log (the call went "
            "on; this is not repeated until a restart).",
            exc_info=True,  # noqa: LOG014 - called in the except blocks
        )


class EmagCallLog(models.Model):
    _name = "emag.call.log"
    _description = "eMAG API Call"
    _order = "id desc"
    _rec_name = "route"

    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    route = fields.Char(required=True, index=True, readonly=True)
    method = fields.Char(readonly=True)
    http_status = fields.Integer(
        string="HTTP Status", readonly=True, help="0: eMAG was not reached."
    )
    outcome = fields.Selection(
        [
            ("ok", "OK"),
            ("emag_error", "Refused by eMAG"),
            ("http_error", "HTTP error"),
            ("rate_limited", "Rate limited (429)"),
            ("network", "Network error"),
            ("invalid", "Invalid answer"),
        ],
        required=True,
        readonly=True,
    )
    is_error = fields.Boolean(
        string="isError", readonly=True, help="eMAG's isError in its answer."
    )
    messages = fields.Text(readonly=True, help="eMAG's messages, or the error.")
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    entity_count = fields.Integer(
        string="Entities",
        readonly=True,
        help="Entities sent, or results read. Of a body longer than the log "
        "keeps, the entities it holds in full.",
    )
    emag_ids = fields.Char(
        string="eMAG IDs",
        index="trigram",
        readonly=True,
        help="The eMAG ids the call concerns, as kind:id (offer, order, awb, rma).",
    )
    job_uuid = fields.Char(string="Job UUID", index=True, readonly=True)
    job_id = fields.Many2one(
        "queue.job",
        compute="_compute_job_id",
        groups="queue_job.group_queue_job_manager",
    )
    request_body = fields.Text(readonly=True)
    response_body = fields.Text(readonly=True)
    create_date = fields.Datetime(string="Date", index=True, readonly=True)

    @api.depends("job_uuid")
    def _compute_job_id(self):
        uuids = set(self.mapped("job_uuid")) - {False}
        jobs = self.env["queue.job"].sudo().search([("uuid", "in", list(uuids))])
        by_uuid = {job.uuid: job.id for job in jobs}
        for log in self:
            log.job_id = by_uuid.get(log.job_uuid, False)

    @api.model
    def _emag_writer(self, account):
        """The ``call_log`` hook of a client of ``account``."""
        sample = self._emag_param(SAMPLE_PARAM, DEFAULT_SAMPLE)
        registry = self.env.registry
        values = {
            "account_id": account.id,
            "job_uuid": self._emag_job_uuid(),
            "uid": self.env.uid,
        }
        secrets = [account.sudo().password or ""]

        # A row is written by the thread that made the client. The offer
        # push's sender thread leaves its rows to it (``write.flush`` at each
        # batch's outcome): that thread must never wait for a cursor the
        # caller may hold (every cursor is the test's one in browser tests).
        owner = threading.get_ident()
        waiting = []

        def flush():
            if threading.get_ident() != owner or not waiting:
                return
            rows = [waiting.pop(0) for _row in list(waiting)]
            try:
                with registry.cursor() as cr:
                    for row in rows:
                        cr.execute(INSERT, row)
            except Exception:  # noqa: BLE001 - the log never breaks the call
                _warn_once()

        def write(entry):
            try:
                keep = random.random() * 100 < sample
                waiting.append(dict(call_record(entry, keep, secrets), **values))
            except Exception:  # noqa: BLE001 - the log never breaks the call
                _warn_once()
            flush()

        write.flush = flush
        return write

    @api.model
    def _emag_param(self, key, default):
        """A number of the system parameters (its default if it is none)."""
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return max(float(value), 0.0)
        except (TypeError, ValueError):
            return default

    @api.model
    def _emag_job_uuid(self):
        """The queue job running in this transaction: queue_job puts its uuid
        in the context of the job's records only, and the account often
        comes as an argument of the job."""
        uuid = self.env.context.get("job_uuid")
        if uuid:
            return uuid
        found = {env.context.get("job_uuid") for env in self.env.transaction.envs}
        found.discard(None)
        return found.pop() if len(found) == 1 else None

    @api.model
    def _cron_cleanup(self, batch=CLEANUP_BATCH):
        """Delete the rows older than the kept days, a batch at a time."""
        days = self._emag_param(DAYS_PARAM, DEFAULT_DAYS)
        limit = fields.Datetime.now() - timedelta(days=days)
        self.env.cr.execute(
            """
            DELETE FROM emag_call_log WHERE id IN (
                SELECT id FROM emag_call_log WHERE create_date < %s LIMIT %s
            )
            """,
            [limit, batch],
        )
        done = self.env.cr.rowcount
        self.invalidate_model()
        remaining = 0
        if done == batch:
            remaining = self.sudo().search_count([("create_date", "<", limit)])
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _emag_domain_for(self, record):
        """The calls of an offer, order, AWB or return."""
        kind, field = ID_FIELDS[record._name]
        domain = [("emag_ids", "like", f" {kind}:{record[field]} ")]
        if record._name == "emag.awb":
            # its awb/save calls, failed ones too, name its return or order
            owner = (
                f"rma:{record.rma_id.emag_id}"
                if record.rma_id
                else f"order:{record.order_id.emag_order_id}"
            )
            domain = [
                "|",
                *domain,
                "&",
                ("route", "=", "awb/save"),
                ("emag_ids", "like", f" {owner} "),
            ]
        return [("account_id", "=", record.account_id.id), *domain]

    @api.model
    def _emag_action_for(self, record):
        """The log filtered on ``record`` (its smart button)."""
        record.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "emag_connector.emag_call_log_action"
        )
        action["domain"] = self._emag_domain_for(record)
        action["name"] = _("eMAG API Calls of %s", record.display_name)
        return action
