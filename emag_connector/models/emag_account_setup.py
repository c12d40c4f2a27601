"""The first setup of an eMAG account: a checklist of what is still missing
before its first offer can go out and its first order come in, each step
saying where to do it, shown on the account until it is empty."""

import socket
from urllib.parse import urlsplit

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.urls import is_public_https


class EmagAccountSetup(models.AbstractModel):
    """The first-setup checklist of ``emag.account`` (inherited by it)."""

    _name = "emag.account.setup"
    _description = "eMAG Account First Setup"

    setup_todo = fields.Integer(
        string="Setup Steps Left",
        compute="_compute_setup",
        help="Steps of the first setup still missing.",
    )
    setup_checklist = fields.Html(
        compute="_compute_setup",
        sanitize=False,
    )

    def _setup_steps(self):
        """``[(done, text)]``: the first setup, in the order to follow."""
        self.ensure_one()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        Vat = self.env["emag.vat"].sudo()
        has_vats = bool(Vat.search_count([("account_id", "=", self.id)], limit=1))
        has_couriers = bool(
            self.env["emag.courier.account"]
            .sudo()
            .search_count([("account_id", "=", self.id)], limit=1)
        )
        return [
            (
                bool(self.sudo().username and self.sudo().password),
                _("Type the API username and password from eMAG (API Credentials)."),
            ),
            (
                self.connection_state == "ok",
                _(
                    "Click Test Connection: eMAG must accept the credentials and "
                    "this server's IP address (eMAG whitelists it on request)."
                ),
            ),
            (
                has_vats and has_couriers,
                _(
                    "Click Import Reference Data: categories, VAT rates, handling "
                    "times, courier accounts and your pickup addresses on eMAG."
                ),
            ),
            (
                bool(self.warehouse_id and self.pricelist_id)
                and not self._emag_price_currency_problem(),
                _(
                    "Choose the warehouse whose stock is offered and a pricelist "
                    "in %s.",
                    self.currency_id.name or _("the platform's currency"),
                ),
            ),
            (
                not has_vats or self._setup_taxes_named(),
                _(
                    "Click Propose Taxes (Taxes tab): each eMAG VAT rate needs "
                    "a tax included in price."
                ),
            ),
            (
                bool(self.courier_account_id and self.pickup_address_id),
                _(
                    "Choose the courier account and the pickup address of your "
                    "AWBs (Shipping tab)."
                ),
            ),
            (
                is_public_https(base),
                _(
                    "Give Odoo a public HTTPS address (System Parameters, "
                    "web.base.url): eMAG's callbacks and invoice downloads use it."
                ),
            ),
            (
                bool(self.callback_token),
                _(
                    "Paste each callback URL shown under API Credentials in "
                    "eMAG's Marketplace settings (orders, cancellations, returns, "
                    "AWBs, documentation)."
                ),
            ),
            (
                bool(self.offer_count),
                _(
                    "Publish your first offer: the eMAG tab of a product, or "
                    "eMAG > Offers."
                ),
            ),
        ]

    def _setup_taxes_named(self):
        """Whether every eMAG VAT rate of the account finds its tax."""
        try:
            for rate in self._emag_known_rates():
                self._emag_sale_tax(rate)
        except UserError:
            return False
        return True

    @api.depends_context("uid")
    def _compute_setup(self):
        for account in self:
            if not account.id:
                account.setup_todo = 0
                account.setup_checklist = False
                continue
            steps = account._setup_steps()
            account.setup_todo = sum(1 for done, _text in steps if not done)
            account.setup_checklist = Markup("<ol class='mb-0'>%s</ol>") % Markup(
                ""
            ).join(
                Markup("<li class='%s'>%s</li>")
                % ("text-muted text-decoration-line-through" if done else "", text)
                for done, text in steps
            )

    @api.model
    def _emag_outbound_ip(self, url):
        """The local address this server uses to reach ``url`` (no packet is
        sent): the address eMAG sees, unless a NAT or proxy is in between."""
        host = urlsplit(url or "").hostname
        if not host:
            return False
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect((host, 443))
                return probe.getsockname()[0]
        except OSError:
            return False
