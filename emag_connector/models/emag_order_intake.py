"""How eMAG orders reach Odoo (``emag.order`` inherits this): the pull every
5 minutes and its sweep of the orders still new, the daily re-read of the
day's cancellations, and one import job per order (from a pull, or from a
callback, which the job reads from eMAG first). ``_emag_import``, in
``emag_order.py``, applies what was read."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.jobs import emag_retryable

#: read orders modified this long before the cursor again: nothing slips through
PULL_OVERLAP = timedelta(minutes=15)


class EmagOrderIntake(models.AbstractModel):
    _name = "emag.order.intake"
    _description = "eMAG Order Intake"

    @api.model
    def _job_pull_orders(self, account):
        """Read the orders modified since the account's cursor (both types,
        every page) and enqueue the import of each; then sweep the orders eMAG
        still has as new, whatever their date, so that an order whose callback
        and pull both passed while its import died still arrives. The cursor
        moves only when every page was read."""
        account = account.sudo()
        now = fields.Datetime.now().replace(microsecond=0)
        since = (account.orders_cursor or now - timedelta(days=7)) - PULL_OVERLAP
        with self.env["emag.account.run"]._emag_run(account, "orders") as run:
            client = account._emag_client()
            with emag_retryable():
                orders = list(
                    client.read_orders(
                        account._emag_local(since), account._emag_local(now)
                    )
                )
                new_orders = list(client.read_new_orders())
            known = self._emag_known(account, orders)
            for order in orders:
                binding = known.get(int(order["id"]))
                if binding and binding._emag_applied(order):
                    continue  # the overlap read it again, unchanged
                self._emag_enqueue_import(account, order)
                run["updated" if binding else "created"] += 1
            self._emag_sweep_new(account, new_orders)
            account.write({"orders_cursor": now, "last_orders_pull": now})
            run["read"] = len(orders)
        return len(orders)

    @api.model
    def _emag_known(self, account, orders):
        """``{eMAG id: binding}`` of the ``orders`` Odoo has already."""
        bindings = self.search(
            [
                ("account_id", "=", account.id),
                ("emag_order_id", "in", [int(order["id"]) for order in orders]),
            ]
        )
        return {binding.emag_order_id: binding for binding in bindings}

    def _emag_applied(self, order):
        """Whether this binding already applied eMAG's ``order`` exactly as
        read now: importing it again would change nothing. (Comparing the
        data, not eMAG's ``modified``, which counts whole seconds.)"""
        self.ensure_one()
        return bool(
            self.state in ("done", "exception", "cancelled")
            and self.raw_payload
            and self._payload() == order
        )

    @api.model
    def _job_reread_cancellations(self, account):
        """Daily safety net for a lost cancellation callback: read the orders
        eMAG cancelled over the last day and import those that Odoo still has
        as not cancelled."""
        account = account.sudo()
        now = fields.Datetime.now().replace(microsecond=0)
        with self.env["emag.account.run"]._emag_run(account, "cancellations") as run:
            client = account._emag_client()
            with emag_retryable():
                cancelled = list(
                    client.read_orders(
                        account._emag_local(now - timedelta(days=1) - PULL_OVERLAP),
                        account._emag_local(now),
                        status=0,
                    )
                )
            missed = self.search(
                [
                    ("account_id", "=", account.id),
                    ("emag_order_id", "in", [int(o["id"]) for o in cancelled]),
                    ("emag_status", "!=", "0"),
                ]
            )
            by_id = {int(order["id"]): order for order in cancelled}
            for binding in missed:
                self._emag_enqueue_import(account, by_id[binding.emag_order_id])
            run["read"] = len(cancelled)
            run["updated"] = len(missed)
        return len(missed)

    @api.model
    def _emag_sweep_new(self, account, orders):
        """Orders still new on eMAG: import those Odoo does not have yet and
        acknowledge those imported but not acknowledged (its job was lost).
        Orders in exception wait for the seller's Retry."""
        known = {
            binding.emag_order_id: binding
            for binding in self.search(
                [
                    ("account_id", "=", account.id),
                    ("emag_order_id", "in", [int(order["id"]) for order in orders]),
                ]
            )
        }
        for order in orders:
            binding = known.get(int(order["id"]))
            if not binding:
                self._emag_enqueue_import(account, order)
            elif binding.state == "done" and binding._emag_to_acknowledge(1):
                binding._emag_enqueue_acknowledge()

    @api.model
    def _emag_enqueue_import(self, account, order=None, order_id=None):
        """One import job per order: from the order read, or by id (callbacks,
        whose content is never trusted: the job reads the order from eMAG)."""
        order_id = int(order["id"]) if order else int(order_id)
        return (
            self.sudo()
            .with_delay(
                identity_key=f"emag-order-{account.id}-{order_id}",
                description=_("Import eMAG order %s", order_id),
            )
            ._job_import(account, order_id, order)
        )

    @api.model
    def _job_import(self, account, order_id, order=None):
        if order is None and self._emag_read_after_this_job(account, order_id):
            return "coalesced"
        read_at = None
        if order is None:
            client = account._emag_client()
            read_at = fields.Datetime.now()
            with emag_retryable():
                order = client.read_order(order_id)
            if not order:
                raise UserError(_("eMAG has no order %s.", order_id))
        return self._emag_import(account, order, read_at)

    @api.model
    def _emag_read_after_this_job(self, account, order_id):
        """Whether the order was read from eMAG after this job was created
        (after the callback that made it) by another import: that read saw
        the change this job was woken for, so this one gives way instead of
        reading the order again."""
        uuid = self.env.context.get("job_uuid")
        if not uuid:
            return False
        self.flush_model(["emag_read_at"])
        self.env.cr.execute(
            """
            SELECT 1 FROM emag_order o, queue_job j
             WHERE o.account_id = %s AND o.emag_order_id = %s
               AND j.uuid = %s AND o.emag_read_at > j.date_created
            """,
            [account.id, order_id, uuid],
        )
        return bool(self.env.cr.fetchone())
