"""How far eMAG's invoices to the seller have been read, per account.

A row of its own rather than a field on the account: the job reading an
account's invoices locks it for its whole run, so that two reads of one
account never run together, and moves it only once everything read is
imported.
"""

from odoo import _, api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..tools.bindings import locked_binding


class EmagVendorBillCursor(models.Model):
    _name = "emag.vendor.bill.cursor"
    _description = "eMAG Invoices Read Cursor"
    _rec_name = "account_id"

    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, precompute=True
    )
    read_until = fields.Date(
        help="eMAG's invoices are read up to this day (eMAG's date); the next "
        "read starts a few days before it."
    )
    last_read = fields.Datetime(readonly=True)
    last_summary = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "emag_vendor_bill_cursor_uniq",
            "unique(account_id)",
            "An eMAG account has one cursor of its invoices.",
        ),
    ]

    @api.model
    def _emag_lock(self, account):
        """The account's cursor, created once, locked for this transaction;
        RetryableJobError when another job holds it."""

        # the message is made now: once the lock is refused, the transaction
        # can read nothing more
        busy = RetryableJobError(
            _("eMAG invoices of %s are being read by another job.", account.name),
            seconds=60,
        )
        return locked_binding(
            self,
            [("account_id", "=", account.id)],
            {"account_id": account.id},
            lambda: busy,
        )
