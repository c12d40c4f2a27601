from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..emag_api import PLATFORMS, EmagClient, EmagError
from ..emag_api.errors import EmagAuthError, EmagNetworkError, EmagRateLimited
from ..tools.pg_rate_budget import PgRateBudget, create_table

CUSTOM_PLATFORM = "custom"


class EmagAccount(models.Model):
    """One eMAG seller account on one platform."""

    _name = "emag.account"
    _description = "eMAG Account"
    _inherit = ["mail.thread"]
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

    @api.depends("api_url")
    def _compute_budget_key(self):
        for account in self.sudo():
            account.budget_key = "{}|{}".format(
                (account.api_url or "").rstrip("/"), account.username or ""
            )

    @api.onchange("username", "password", "api_url")
    def _onchange_credentials(self):
        self.connection_state = "unknown"

    def _emag_client(self, **kw):
        """The eMAG client of this account, on the budget shared by all workers."""
        self.ensure_one()
        account = self.sudo()
        if not (account.username and account.password):
            raise UserError(
                _(
                    "Set the API username and password of the eMAG account %s.",
                    account.name,
                )
            )
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
            return _(
                "eMAG refused the IP address of this Odoo server (HTTP 403). Ask "
                "eMAG Marketplace support to whitelist this server's public IP "
                "address for your API user."
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
