import secrets
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq

from ..emag_api import PLATFORMS, EmagClient, EmagError
from ..emag_api.batching import DATE_FORMAT
from ..emag_api.errors import EmagAuthError, EmagNetworkError, EmagRateLimited
from ..tools.jobs import emag_retryable
from ..tools.pg_rate_budget import PgRateBudget, create_table
from ..tools.urls import is_public_https

CUSTOM_PLATFORM = "custom"
#: reference data imported from eMAG for each account (localities come on demand)
REFERENCE_MODELS = (
    "emag.vat",
    "emag.handling.time",
    "emag.courier.account",
    "emag.address",
    "emag.category",
)


class EmagAccount(models.Model):
    """One eMAG seller account on one platform."""

    _name = "emag.account"
    _description = "eMAG Account"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "emag.account.health",
        "emag.account.setup",
    ]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    platform = fields.Selection(
        selection=[(p.code, p.name) for p in PLATFORMS.values()]
        + [(CUSTOM_PLATFORM, "Custom URL (eMAG sandbox)")],
        required=True,
        default="emag_ro",
        tracking=True,
    )
    api_url = fields.Char(
        string="API URL",
        compute="_compute_api_url",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="MARKETPLACE_API_URL of the platform, ending in /api-3.",
    )
    username = fields.Char(
        string="API Username",
        groups="emag_connector.group_emag_manager",
        copy=False,
    )
    password = fields.Char(
        string="API Password",
        groups="emag_connector.group_emag_manager",
        copy=False,
    )
    budget_key = fields.Char(
        compute="_compute_budget_key",
        help="Identifies the eMAG account in the shared rate budget: every "
        "record using the same API user on the same URL shares eMAG's limits.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        default=lambda self: self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
        check_company=True,
        help="The warehouse whose free (unreserved) stock is offered on eMAG.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Prices sent to eMAG come from this pricelist (in the platform's "
        "currency). Without one, the product's sales price is used.",
    )
    stock_buffer = fields.Integer(
        default=2,
        help="Units kept back from eMAG: the quantity offered is the free "
        "quantity of the warehouse minus this buffer (never below 0). An offer "
        "can set its own buffer.",
    )
    default_handling_time = fields.Integer(
        default=1,
        help="Days between the order and its hand-over to the courier, for "
        "offers that do not set their own (0 to 255).",
    )
    push_delay = fields.Integer(
        string="Stock Push Delay (s)",
        default=60,
        help="Stock and price changes are collected for this many seconds, then "
        "sent to eMAG together in batches of up to 50 offers.",
    )
    fbe_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Fulfilled by eMAG Warehouse",
        check_company=True,
        help="Orders fulfilled by eMAG (FBE) are recorded on this warehouse, so "
        "they never take the stock offered from the seller's warehouse.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    acknowledge_exceptions = fields.Boolean(
        help="Acknowledge on eMAG the orders that could not be imported (eMAG "
        "then stops notifying them). By default they stay new on eMAG until "
        "they are imported.",
    )
    delivery_action = fields.Selection(
        [
            ("awb", "Issue the AWB (finalizes the order)"),
            ("prepared", "Mark the order prepared"),
            ("none", "Nothing"),
        ],
        string="When a Delivery Is Validated",
        default="awb",
        required=True,
        help="What validating the delivery of an eMAG order does on eMAG, in a "
        "job after the validation. Issuing the AWB finalizes the order.",
    )
    awb_ask_parcels = fields.Boolean(
        string="Ask Parcels Before Validation",
        help="Validating a delivery first asks for the number of parcels and "
        "envelopes and the weight. Otherwise they come from the delivery: one "
        "parcel per package (or one parcel), and its shipping weight.",
    )
    awb_format = fields.Selection(
        [("A4", "A4"), ("A5", "A5"), ("A6", "A6"), ("ZPL", "ZPL (label printer)")],
        string="AWB Label Format",
        default="A4",
        required=True,
    )
    pickup_address_id = fields.Many2one(
        "emag.address",
        domain="[('account_id', '=', id), ('address_type_id', '=', '2')]",
        help="The eMAG pickup address the courier collects parcels from. "
        "Without one, the address of the warehouse is sent.",
    )
    courier_account_id = fields.Many2one(
        "emag.courier.account",
        domain="[('account_id', '=', id)]",
        help="Courier account of the AWBs, unless the order enforces others. "
        "Without one, eMAG uses the default account of the seller.",
    )
    awb_insured = fields.Boolean(
        string="Insure Parcels",
        help="Insure each AWB for the order's total with VAT.",
    )
    awb_saturday_delivery = fields.Boolean(string="Saturday Delivery")
    awb_sameday_delivery = fields.Boolean(string="Same-Day Delivery")
    orders_cursor = fields.Datetime(
        string="Orders Read Until",
        copy=False,
        help="Orders modified after this moment (less a safety overlap) are read "
        "at the next pull.",
    )
    last_orders_pull = fields.Datetime(readonly=True, copy=False)
    returns_cursor = fields.Datetime(
        string="Returns Read Until",
        copy=False,
        help="Return requests placed after this moment (less a safety overlap) "
        "are read at the next pull; open ones are read at every pull.",
    )
    last_returns_pull = fields.Datetime(readonly=True, copy=False)
    return_location_id = fields.Many2one(
        "stock.location",
        string="Returns Location",
        domain="[('usage', '=', 'internal'), "
        "('company_id', 'in', [company_id, False])]",
        help="Where the goods of approved eMAG returns are received. Empty: "
        "where Odoo's return of the delivery takes them (the warehouse's stock).",
    )
    return_days = fields.Integer(
        string="Return Time (days)",
        default=14,
        help="The return time offered to customers, as set in the eMAG "
        "Marketplace interface (14 days at least): eMAG accepts the status "
        "Returned for a finalized order up to this many days plus 5.",
    )
    callback_token = fields.Char(
        groups="emag_connector.group_emag_manager",
        copy=False,
        default=lambda self: secrets.token_urlsafe(32),
        help="Secret part of the callback URLs to enter in the eMAG Marketplace "
        "interface.",
    )
    callback_url = fields.Char(
        compute="_compute_callback_url",
        groups="emag_connector.group_emag_manager",
        help="Add 'order', 'cancellation', 'return', 'awb' or 'documentation' to "
        "this URL for each callback set up in the eMAG Marketplace interface.",
    )
    callback_urls = fields.Text(
        string="Callback URLs",
        compute="_compute_callback_url",
        groups="emag_connector.group_emag_manager",
        help="The URL to enter in the eMAG Marketplace interface for each of "
        "eMAG's callbacks.",
    )
    invoice_url_warning = fields.Text(
        string="Invoice URL Warning",
        compute="_compute_invoice_url_warning",
        help="eMAG downloads invoice PDFs from this Odoo: its base URL "
        "(web.base.url) must be public and HTTPS.",
    )
    offer_ids = fields.One2many("emag.offer", "account_id")
    offer_count = fields.Integer(compute="_compute_offer_count")
    last_reconcile_date = fields.Datetime(readonly=True, copy=False)
    last_reconcile_summary = fields.Text(readonly=True, copy=False)
    connection_state = fields.Selection(
        selection=[
            ("unknown", "Not tested"),
            ("ok", "Connected"),
            ("failed", "Failed"),
        ],
        default="unknown",
        readonly=True,
        copy=False,
    )
    connection_message = fields.Text(readonly=True, copy=False)
    connection_date = fields.Datetime(
        string="Last Connection Test", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An eMAG account with this name already exists in this company.",
        ),
        (
            "stock_buffer_positive",
            "CHECK(stock_buffer >= 0)",
            "The stock buffer cannot be negative.",
        ),
        (
            "handling_time_range",
            "CHECK(default_handling_time BETWEEN 0 AND 255)",
            "eMAG accepts a handling time of 0 to 255 days.",
        ),
    ]

    def init(self):
        create_table(self.env.cr)

    @api.depends("platform")
    def _compute_api_url(self):
        for account in self:
            if account.platform in PLATFORMS:
                account.api_url = PLATFORMS[account.platform].api_url
            else:  # custom: whatever the user typed
                account.api_url = account.api_url

    @api.model
    def _emag_by_token(self, token):
        """The account whose callback token is ``token`` (compared in constant time)."""
        for account in self.sudo().search([]):
            if account.callback_token and consteq(account.callback_token, token or ""):
                return account
        return self.browse()

    @api.depends("callback_token")
    def _compute_callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        callbacks = [
            (_("New order"), "order"),
            (_("Order cancellation"), "cancellation"),
            (_("New return & status change"), "return"),
            (_("AWB status change"), "awb"),
            (_("Approved documentation"), "documentation"),
        ]
        for account in self.sudo():
            url = (
                f"{base}/emag/callback/{account.callback_token}/"
                if account.callback_token
                else False
            )
            account.callback_url = url
            account.callback_urls = url and "\n".join(
                f"{label}: {url}{kind}" for label, kind in callbacks
            )

    def _compute_invoice_url_warning(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        warning = False
        if not is_public_https(base):
            warning = _(
                "eMAG cannot download invoice PDFs from %s: the base URL of this "
                "Odoo (System Parameters, web.base.url) must be a public HTTPS "
                "address, or the invoices given to eMAG never reach the customer.",
                base or _("an empty base URL"),
            )
        self.invoice_url_warning = warning

    def _compute_offer_count(self):
        counts = dict(
            self.env["emag.offer"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        for account in self:
            account.offer_count = counts.get(account, 0)

    def action_view_offers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "emag_connector.emag_offer_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action

    def action_push_offers(self):
        """Send every published offer's stock and price now (in a job)."""
        return self.offer_ids.action_push_now()

    def action_reconcile_offers(self):
        for account in self:
            self.env["emag.offer"].with_delay(
                identity_key=f"emag-reconcile-{account.id}",
                description=_("Reconcile eMAG offers of %s", account.name),
            )._job_reconcile(account)

    def action_import_reference_data(self):
        """Import categories, VAT rates, handling times, couriers and addresses."""
        for account in self:
            account.with_delay(
                identity_key=f"emag-reference-{account.id}",
                description=_("Import eMAG reference data of %s", account.name),
            )._job_import_reference_data()
        return True

    def _job_import_reference_data(self):
        self.ensure_one()
        client = self._emag_client()
        with emag_retryable():
            counts = {
                self.env[model]._description: self.env[model]._emag_import(self, client)
                for model in REFERENCE_MODELS
            }
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.message_post(body=_("eMAG reference data imported (%s).", summary))
        return summary

    @api.model
    def _cron_import_reference_data(self):
        self.search([]).action_import_reference_data()

    def action_pull_orders(self):
        for account in self:
            self.env["emag.order"].with_delay(
                identity_key=f"emag-pull-orders-{account.id}",
                description=_("Read eMAG orders of %s", account.name),
            )._job_pull_orders(account)
        return True

    @api.model
    def _cron_pull_orders(self):
        self.search([]).action_pull_orders()

    @api.model
    def _cron_reread_cancellations(self):
        for account in self.search([]):
            self.env["emag.order"].with_delay(
                identity_key=f"emag-reread-cancellations-{account.id}",
                description=_("Re-read cancelled eMAG orders of %s", account.name),
            )._job_reread_cancellations(account)

    def action_pull_returns(self):
        for account in self:
            self.env["emag.rma"].with_delay(
                identity_key=f"emag-pull-returns-{account.id}",
                description=_("Read eMAG returns of %s", account.name),
            )._job_pull_returns(account)
        return True

    @api.model
    def _cron_pull_returns(self):
        self.search([]).action_pull_returns()

    def _emag_tz(self):
        """eMAG's dates are local times of the platform."""
        self.ensure_one()
        platform = PLATFORMS.get(self.platform)
        return ZoneInfo(platform.timezone if platform else "Europe/Bucharest")

    def _emag_local(self, utc_naive):
        """A datetime of Odoo (naive UTC) in eMAG's local time (naive)."""
        moment = utc_naive.replace(tzinfo=timezone.utc).astimezone(self._emag_tz())
        return moment.replace(tzinfo=None)

    def _emag_utc(self, local_naive):
        """A date eMAG sent (naive, local) as Odoo stores it (naive UTC)."""
        moment = local_naive.replace(tzinfo=self._emag_tz()).astimezone(timezone.utc)
        return moment.replace(tzinfo=None)

    def _emag_datetime(self, value):
        """An eMAG date text ("YYYY-mm-dd HH:ii:ss", local) as Odoo stores it."""
        try:
            local = datetime.strptime(str(value), DATE_FORMAT)
        except ValueError:
            return False
        return self._emag_utc(local)

    def _emag_shipping_deadline(self, order):
        """When an order must be handed to the courier (UTC): eMAG's
        maximum_date_for_shipment, else its date plus the handling time (at
        least a day)."""
        deadline = self._emag_datetime(order.get("maximum_date_for_shipment"))
        placed = self._emag_datetime(order.get("date"))
        if deadline or not placed:
            return deadline
        return placed + timedelta(days=max(self.default_handling_time, 1))

    def _emag_service_product(self, kind):
        """The product of shipping, voucher and SGR deposit lines (by its
        cached external id: ``env.ref`` would query it again for each line)."""
        product_id = self.env["ir.model.data"]._xmlid_to_res_id(
            f"emag_connector.product_emag_{kind}", raise_if_not_found=True
        )
        return self.env["product.product"].browse(product_id)

    @api.model
    def _cron_reconcile_offers(self):
        self.search([]).action_reconcile_offers()

    @api.model
    def _cron_refresh_offers(self):
        """Weekly resend of every published offer, as eMAG recommends."""
        for account in self.search([]):
            self.env["emag.offer"].with_delay(
                identity_key=f"emag-refresh-{account.id}",
                description=_("Weekly refresh of eMAG offers of %s", account.name),
            )._job_refresh(account)

    @api.depends("api_url")
    def _compute_budget_key(self):
        for account in self.sudo():
            account.budget_key = "{}|{}".format(
                (account.api_url or "").rstrip("/"), account.username or ""
            )

    #: account fields whose change may change every offer's quantity or price
    OFFER_FIELDS = {
        "warehouse_id",
        "pricelist_id",
        "stock_buffer",
        "stock_share",
        "offer_currency",
        "custom_currency_id",
        "platform",
    }

    def write(self, vals):
        result = super().write(vals)
        if self.OFFER_FIELDS & set(vals):
            # every offer's quantity or price may have changed
            self.offer_ids.filtered(lambda o: o.state == "published")._emag_set_dirty()
        return result

    @api.onchange("username", "password", "api_url")
    def _onchange_credentials(self):
        self.connection_state = "unknown"

    def _emag_client(self, **kw):
        """The eMAG client of this account, on the budget shared by all
        workers, each of its calls written to the call log."""
        self.ensure_one()
        account = self.sudo()
        if not (account.username and account.password):
            raise UserError(
                _(
                    "Set the API username and password of the eMAG account %s.",
                    account.name,
                )
            )
        kw.setdefault("call_log", self.env["emag.call.log"]._emag_writer(account))
        return EmagClient(
            account.api_url,
            account.username,
            account.password,
            budget=PgRateBudget(self.env.cr.dbname),
            budget_key=account.budget_key,
            **kw,
        )

    def action_test_connection(self):
        """Call eMAG once (vat/read) and tell the user what happened."""
        self.ensure_one()
        try:
            vat_rates = self._emag_client(max_rate_limit_retries=0).read_vat_rates()
        except EmagError as exc:
            state, message = "failed", self._connection_error_message(exc)
        else:
            state = "ok"
            message = _(
                "Connected to %(url)s: eMAG answered with %(count)s VAT rates.",
                url=self.api_url,
                count=len(vat_rates),
            )
        self.write(
            {
                "connection_state": state,
                "connection_message": message,
                "connection_date": fields.Datetime.now(),
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("eMAG connection: %s", self.name),
                "message": message,
                "type": "success" if state == "ok" else "danger",
                "sticky": state != "ok",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _connection_error_message(self, exc):
        if isinstance(exc, EmagAuthError) and exc.cause == "credentials":
            return _(
                "eMAG refused the API username or password (HTTP 401). Check "
                "them, and that this eMAG user has been granted API rights."
            )
        if isinstance(exc, EmagAuthError):
            address = self._emag_outbound_ip(self.api_url)
            return _(
                "eMAG refused the IP address of this Odoo server (HTTP 403). Ask "
                "eMAG Marketplace support to whitelist this server's public IP "
                "address for your API user. This server reaches eMAG from "
                "%(address)s; behind a NAT or a proxy, eMAG sees the gateway's "
                "public address instead. eMAG answered: %(answer)s",
                address=address or _("an address it could not determine"),
                answer="; ".join(map(str, exc.messages)) or exc.raw or exc,
            )
        if isinstance(exc, EmagNetworkError):
            return _(
                "eMAG could not be reached at %(url)s: %(error)s",
                url=self.api_url,
                error=exc,
            )
        if isinstance(exc, EmagRateLimited):
            return _(
                "eMAG's rate limit is reached for this account; try again in "
                "%s seconds.",
                round(exc.retry_after),
            )
        return _("eMAG answered with an error: %s", exc)
