"""Competing on eMAG from Odoo: the price that wins the Smart Deals badge
(read on demand and weekly, applied in one click within the offer's bounds
and the margin floor), a fixed eMAG price that replaces the pricelist's, and
the stock reserved for campaigns, which the regular stock push leaves out."""

import logging
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.jobs import emag_retryable

_logger = logging.getLogger(__name__)


class EmagOfferCampaign(models.AbstractModel):
    _name = "emag.offer.campaign"
    _description = "eMAG Offer Smart Deals and Campaigns"

    fixed_price = fields.Float(
        string="Fixed eMAG Price",
        digits=(16, 4),
        tracking=True,
        help="Sale price without VAT sent to eMAG instead of the pricelist's "
        "(set by Apply Smart Deals Price, for instance); 0 to follow the "
        "pricelist again.",
    )
    smart_deals_price = fields.Float(
        digits=(16, 4),
        readonly=True,
        copy=False,
        help="The price without VAT that wins eMAG's Smart Deals badge.",
    )
    smart_deals_date = fields.Datetime(
        string="Smart Deals Read On", readonly=True, copy=False
    )
    smart_deals_margin_percent = fields.Float(
        string="Margin at Smart Deals Price (%)",
        digits=(5, 1),
        readonly=True,
        copy=False,
    )
    smart_deals_message = fields.Char(readonly=True, copy=False)
    campaign_stock = fields.Integer(
        string="Reserved for Campaigns",
        copy=False,
        help="Units proposed to eMAG campaigns: the regular stock sent to eMAG "
        "leaves them out until the campaign ends.",
    )
    campaign_until = fields.Date(
        string="Reserved Until",
        copy=False,
        help="The day the reservation ends (the campaign's last day).",
    )

    _sql_constraints = [
        (
            "campaign_stock_positive",
            "CHECK(campaign_stock >= 0)",
            "The stock reserved for campaigns cannot be negative.",
        ),
    ]

    def _emag_campaign_reserved(self):
        """Units the regular stock push must leave out today."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.campaign_until and self.campaign_until < today:
            return 0
        return self.campaign_stock

    def _job_propose_to_campaign(self, campaign_id, entities):
        """campaign_proposals/save; a refusal gives back the reserved stock and
        stays on the offers with eMAG's words."""
        account = self.account_id
        account.ensure_one()
        by_id = {offer.emag_offer_id: offer for offer in self}
        with emag_retryable():
            outcomes = account._emag_client().propose_to_campaign(entities)
        for outcome in outcomes:
            for entity in outcome.entities:
                offer = by_id[entity["id"]]
                if outcome.error is None:
                    offer.message_post(
                        body=_(
                            "Proposed to eMAG campaign %(id)s: %(price)s without "
                            "VAT, %(stock)s units reserved.",
                            id=campaign_id,
                            price=entity["sale_price"],
                            stock=entity["stock"],
                        )
                    )
                    continue
                offer.write(
                    {
                        "campaign_stock": max(
                            0, offer.campaign_stock - entity["stock"]
                        ),
                        "sync_error": _(
                            "eMAG refused the proposal to campaign %(id)s: %(error)s",
                            id=campaign_id,
                            error="; ".join(outcome.error.messages)
                            or str(outcome.error),
                        ),
                    }
                )
        return len(entities)

    # ------------------------------------------------------------------
    # Smart Deals
    # ------------------------------------------------------------------

    def action_read_smart_deals(self):
        """Read the Smart Deals price of these offers now (in a job)."""
        for account, offers in (
            self.filtered("emag_offer_id").grouped("account_id").items()
        ):
            offers.with_delay(
                description=_("Read eMAG Smart Deals prices of %s", account.name),
            )._job_read_smart_deals()
        return True

    @api.model
    def _cron_read_smart_deals(self):
        offers = self.search([("state", "=", "published")])
        for mine in offers.grouped("account_id").values():
            mine.with_delay(
                identity_key=f"emag-smart-deals-{mine.account_id.id}",
            )._job_read_smart_deals()

    def _job_read_smart_deals(self):
        self.account_id.ensure_one()
        now = fields.Datetime.now()
        for offer, price, problem in self._emag_read_each(
            lambda client, offer: client.read_smart_deals_price(offer.emag_offer_id),
            _("eMAG gives no Smart Deals price for this offer."),
        ):
            values = {"smart_deals_date": now}
            if price is None:
                values.update(smart_deals_price=0.0, smart_deals_message=problem[:250])
            else:
                margin = offer._emag_margin_of(float(price))
                values.update(
                    smart_deals_price=float(price),
                    smart_deals_message=False,
                    smart_deals_margin_percent=margin[1] if margin else 0.0,
                )
            offer.write(values)
        return len(self)

    def action_apply_smart_deals(self):
        """Send the Smart Deals price as the offer's fixed price, when it is
        within the offer's bounds and leaves the account's margin floor."""
        for offer in self:
            price = offer.smart_deals_price
            if not price:
                raise UserError(
                    _("%s: read the Smart Deals price first.", offer.display_name)
                )
            problem = offer._emag_price_problem(price)
            if problem:
                raise UserError(problem)
            offer.fixed_price = float(Decimal(str(price)))
        self.action_push_now()
        return True
