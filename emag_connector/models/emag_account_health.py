"""The account's health: what on eMAG needs the seller now, counted for the
Overview (one card per account, empty when all is well), each count opening
the records with the action that fixes them, and a daily digest activity to
the connector managers when something is there."""

from datetime import timedelta

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.tools import format_datetime
from odoo.tools.translate import LazyTranslate

from ..emag_api.ratelimit import LIMITS, ORDERS, OTHER, route_group

_lt = LazyTranslate(__name__)

#: the health items, in the card's order: (field, model, label)
HEALTH_ITEMS = (
    ("health_orders_exception", "emag.order", _lt("Orders in exception")),
    ("health_orders_unacknowledged", "emag.order", _lt("Orders not acknowledged")),
    ("health_orders_late", "emag.order", _lt("Orders at risk of shipping late")),
    ("health_orders_cancelled", "emag.order", _lt("Cancellations to handle")),
    ("health_awb_errors", "emag.awb", _lt("AWBs in error")),
    ("health_invoices_waiting", "account.move", _lt("Invoices not on eMAG")),
    ("health_offers_refused", "emag.offer", _lt("Offers refused")),
    ("health_offers_not_sellable", "emag.offer", _lt("Offers not for sale")),
    ("health_returns_to_answer", "emag.rma", _lt("Returns to answer")),
    (
        "health_vendor_bills_exception",
        "emag.vendor.bill",
        _lt("eMAG invoices not billed"),
    ),
    ("health_jobs_failed", "queue.job", _lt("Failed eMAG jobs")),
)

#: eMAG order statuses whose goods are still to ship (new, in progress, prepared)
TO_SHIP = ("1", "2", "3")
#: return requests waiting for the seller: new (approve or refuse), received
#: (finalize or refuse)
RMA_TO_ANSWER = ("2", "6")


class EmagAccountHealth(models.AbstractModel):
    """What ``emag.account`` counts for the Overview (inherited by it)."""

    _name = "emag.account.health"
    _description = "eMAG Account Health"

    ack_alert_minutes = fields.Integer(
        string="Acknowledgement Alert (min)",
        default=30,
        help="The Overview shows a new order still not acknowledged on eMAG "
        "this many minutes after it arrived.",
    )
    late_alert_hours = fields.Integer(
        string="Late Shipment Alert (h)",
        default=6,
        help="The Overview shows an order whose shipping deadline is within "
        "this many hours and whose delivery is not validated.",
    )
    invoice_alert_hours = fields.Integer(
        string="Invoice Alert (h)",
        default=24,
        help="The Overview shows a posted invoice not attached on eMAG this "
        "many hours after it was posted.",
    )
    health_orders_exception = fields.Integer(
        string="Orders in exception", compute="_compute_health"
    )
    health_orders_unacknowledged = fields.Integer(
        string="Orders not acknowledged", compute="_compute_health"
    )
    health_orders_late = fields.Integer(
        string="Orders at risk of shipping late", compute="_compute_health"
    )
    health_orders_cancelled = fields.Integer(
        string="Cancellations to handle", compute="_compute_health"
    )
    health_awb_errors = fields.Integer(
        string="AWBs in error", compute="_compute_health"
    )
    health_invoices_waiting = fields.Integer(
        string="Invoices not on eMAG", compute="_compute_health"
    )
    health_offers_refused = fields.Integer(
        string="Offers refused", compute="_compute_health"
    )
    health_offers_not_sellable = fields.Integer(
        string="Offers not for sale", compute="_compute_health"
    )
    health_returns_to_answer = fields.Integer(
        string="Returns to answer", compute="_compute_health"
    )
    health_vendor_bills_exception = fields.Integer(
        string="eMAG invoices not billed", compute="_compute_health"
    )
    health_jobs_failed = fields.Integer(
        string="Failed eMAG jobs", compute="_compute_health"
    )
    health_total = fields.Integer(
        string="Things to Do",
        compute="_compute_health",
        help="Things on eMAG that need someone now.",
    )
    budget_last_hour = fields.Char(
        string="eMAG Budget Used (last hour)",
        compute="_compute_budget_last_hour",
        help="The calls to eMAG of the last hour, against what eMAG's limits "
        "allow in an hour, for the orders routes and for the others.",
    )
    run_summary = fields.Html(
        string="Last Runs",
        compute="_compute_run_summary",
        sanitize=False,
        help="The last run of each scheduled flow, and its last success.",
    )

    # ------------------------------------------------------------------
    # What each item counts
    # ------------------------------------------------------------------

    def _health_items(self):
        """``[(field, model, label)]`` of the card. Extension hook: the
        e-Factura bridge adds its rejections."""
        return list(HEALTH_ITEMS)

    def _health_domain(self, item):
        """The domain of the records of one health item, for these accounts
        (``queue.job`` has no account: failed eMAG jobs count on every card)."""
        now = fields.Datetime.now()
        accounts = [("account_id", "in", self.ids)]
        if item == "health_orders_exception":
            return accounts + [("state", "=", "exception")]
        if item == "health_orders_unacknowledged":
            since = min(self.mapped("ack_alert_minutes") or [30])
            return accounts + [
                ("state", "=", "done"),
                ("emag_status", "=", "1"),
                ("acknowledged", "=", False),
                ("create_date", "<", now - timedelta(minutes=since)),
            ]
        if item == "health_orders_late":
            hours = max(self.mapped("late_alert_hours") or [6])
            return accounts + [
                ("order_type", "=", "3"),
                ("emag_status", "in", TO_SHIP),
                ("shipping_deadline", "<", now + timedelta(hours=hours)),
                ("sale_order_id.picking_ids.state", "not in", ("done", "cancel")),
            ]
        if item == "health_orders_cancelled":
            return accounts + [
                ("emag_status", "=", "0"),
                ("sale_order_id", "!=", False),
                ("sale_order_id.state", "!=", "cancel"),
            ]
        if item == "health_awb_errors":
            return accounts + [("state", "=", "error")]
        if item == "health_invoices_waiting":
            hours = min(self.mapped("invoice_alert_hours") or [24])
            return [
                ("emag_order_id.account_id", "in", self.ids),
                ("state", "=", "posted"),
                ("emag_attachment_state", "not in", (False, "attached")),
                ("write_date", "<", now - timedelta(hours=hours)),
            ]
        if item == "health_offers_refused":
            return accounts + [
                "|",
                ("state", "=", "error"),
                ("sync_error", "!=", False),
            ]
        if item == "health_offers_not_sellable":
            return accounts + [
                ("state", "=", "published"),
                ("readback_date", "!=", False),
                ("sellable", "=", False),
                ("product_id.active", "=", True),
            ]
        if item == "health_returns_to_answer":
            return accounts + [
                "|",
                ("state", "=", "exception"),
                ("request_status", "in", RMA_TO_ANSWER),
            ]
        if item == "health_vendor_bills_exception":
            return accounts + [("state", "=", "exception")]
        if item == "health_jobs_failed":
            return [("state", "=", "failed"), ("channel", "=like", "root.emag%")]
        raise ValueError(item)

    @api.depends_context("uid")
    def _compute_health(self):
        totals = dict.fromkeys(self.ids, 0)
        for item, model, _label in self._health_items():
            counts = self._health_counts(item, model)
            for account in self:
                count = counts.get(account.id, 0)
                account[item] = count
                totals[account.id] = totals.get(account.id, 0) + count
        for account in self:
            account.health_total = totals.get(account.id, 0)

    def _health_counts(self, item, model):
        """``{account id: count}`` of one item (0 where the user may not read
        the records: the card shows what its reader can fix)."""
        if not self.ids or not self.env[model].has_access("read"):
            return {}
        # the domain crosses records the reader may not open (a delivery's
        # state): counted as superuser, on the accounts the reader sees
        Model = self.env[model].sudo()
        domain = self._health_domain(item)
        if model == "queue.job":
            count = Model.search_count(domain)
            return dict.fromkeys(self.ids, count)
        if model == "account.move":  # the account is on the invoice's order
            return {
                account.id: Model.search_count(
                    domain + [("emag_order_id.account_id", "=", account.id)]
                )
                for account in self
            }
        return {
            account.id: count
            for account, count in Model._read_group(domain, ["account_id"], ["__count"])
        }

    def _compute_budget_last_hour(self):
        since = fields.Datetime.now() - timedelta(hours=1)
        Log = self.env["emag.call.log"].sudo()
        per_hour = {g: LIMITS[g][1][0] * 60 for g in (ORDERS, OTHER)}
        for account in self:
            calls = dict.fromkeys(per_hour, 0)
            for route, count in Log._read_group(
                [("account_id", "=", account.id), ("create_date", ">=", since)],
                ["route"],
                ["__count"],
            ):
                group = route_group(route)
                if group in calls:
                    calls[group] += count
            account.budget_last_hour = _(
                "orders %(orders)s calls (%(orders_share).1f%%), other routes "
                "%(other)s calls (%(other_share).1f%%)",
                orders=calls[ORDERS],
                orders_share=100 * calls[ORDERS] / per_hour[ORDERS],
                other=calls[OTHER],
                other_share=100 * calls[OTHER] / per_hour[OTHER],
            )

    def _compute_run_summary(self):
        Run = self.env["emag.account.run"].sudo()
        flows = [flow for flow, _label in Run._fields["flow"].selection]
        domain = [("account_id", "in", self.ids)]
        # the last run and the last success of each flow: two queries in all
        last = {
            (account.id, flow): run_id
            for account, flow, run_id in Run._read_group(
                domain, ["account_id", "flow"], ["id:max"]
            )
        }
        success = {
            (account.id, flow): started
            for account, flow, started in Run._read_group(
                domain + [("error", "=", False)],
                ["account_id", "flow"],
                ["started:max"],
            )
        }
        runs = Run.browse(last.values())
        for account in self:
            lines = []
            for flow in flows:
                run = runs.browse(last.get((account.id, flow)))
                if not run:
                    continue
                when = format_datetime(self.env, run.started, dt_format="short")
                line = Markup("<li>%s <span class='text-muted'>(%s)</span></li>") % (
                    run._emag_summary(),
                    when,
                )
                if run.error:
                    succeeded = success.get((account.id, flow))
                    line += Markup("<li class='text-muted'>%s</li>") % _(
                        "Last success: %s",
                        format_datetime(self.env, succeeded, dt_format="short")
                        if succeeded
                        else _("never"),
                    )
                lines.append(line)
            account.run_summary = (
                Markup("<ul class='list-unstyled mb-0'>%s</ul>") % Markup().join(lines)
                if lines
                else False
            )

    # ------------------------------------------------------------------
    # Opening the records
    # ------------------------------------------------------------------

    def action_open_health(self):
        """The records behind one count of the card (``health_item`` in the
        context), in a list with what fixes them."""
        self.ensure_one()
        item = self.env.context.get("health_item")
        model, label = {i: (m, lbl) for i, m, lbl in self._health_items()}[item]
        action = {
            "type": "ir.actions.act_window",
            "name": f"{self.name}: {self.env._(label)}",
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": self._health_domain(item),
            "context": {"create": False},
        }
        if model == "account.move":
            list_view = self.env.ref("emag_connector.account_move_view_list_emag")
            action["views"] = [(list_view.id, "list"), (False, "form")]
        return action

    # ------------------------------------------------------------------
    # Daily digest
    # ------------------------------------------------------------------

    def _health_lines(self):
        """``[(label, count)]`` of the items that need someone."""
        self.ensure_one()
        return [
            (self.env._(label), self[item])
            for item, _model, label in self._health_items()
            if self[item]
        ]

    @api.model
    def _cron_health_digest(self):
        """One to-do per connector manager on each account that needs them,
        updated rather than repeated while it stays open."""
        managers = self.env.ref("emag_connector.group_emag_manager").users
        todo = self.env.ref("mail.mail_activity_data_todo")
        accounts = self.search([])
        accounts.invalidate_recordset()  # counts of now, not of the cache
        for account in accounts:
            lines = account._health_lines()
            if not lines:
                continue
            note = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s: %s</li>") % (escape(label), count)
                for label, count in lines
            )
            summary = _("eMAG: %s things need you", account.health_total)
            open_digests = account.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id == todo
                    and a.summary
                    and a.summary.startswith("eMAG:")
                )
            )
            for user in managers.filtered(
                lambda u, account=account: account.company_id in u.company_ids
            ):
                mine = open_digests.filtered(lambda a, user=user: a.user_id == user)
                if mine:
                    mine.write({"summary": summary, "note": note})
                else:
                    account.activity_schedule(
                        "mail.mail_activity_data_todo",
                        summary=summary,
                        note=note,
                        user_id=user.id,
                    )
