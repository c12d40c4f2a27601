from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..emag_api.campaigns import campaign_entity


class EmagCampaignProposal(models.TransientModel):
    """Propose offers to an eMAG campaign (campaign_proposals/save): the same
    campaign terms for every selected offer, each with its campaign price and
    the stock it reserves. Every documented limit is checked here, before the
    job calls eMAG."""

    _name = "emag.campaign.proposal"
    _description = "Propose eMAG Offers to a Campaign"

    campaign_id = fields.Integer(
        string="eMAG Campaign ID",
        required=True,
        help="The campaign's id in eMAG's Marketplace (Campaigns).",
    )
    campaign_end = fields.Date(
        string="Campaign Ends",
        required=True,
        help="The stock proposed stays reserved until this day included.",
    )
    line_ids = fields.One2many(
        "emag.campaign.proposal.line", "proposal_id", string="Offers"
    )
    max_qty_per_order = fields.Integer(
        string="Max per Order", help="Required by eMAG for stock-in-site campaigns."
    )
    voucher_discount = fields.Integer(
        string="Voucher Discount (%)", help="10 to 100, when the campaign asks one."
    )
    not_available_post_campaign = fields.Boolean(
        string="Not Available After",
        help="The offers stop being sold on eMAG when the campaign ends.",
    )
    multideals = fields.Boolean(
        string="MultiDeals", help="A MultiDeals campaign: date intervals required."
    )
    interval_ids = fields.One2many(
        "emag.campaign.proposal.interval", "proposal_id", string="Date Intervals"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        offers = self.env["emag.offer"].browse(self.env.context.get("active_ids"))
        if "line_ids" in fields_list and offers:
            prices = offers._emag_sale_prices()
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "offer_id": offer.id,
                        "sale_price": float(prices[offer.id]),
                        "post_campaign_sale_price": float(prices[offer.id]),
                    }
                )
                for offer in offers
            ]
        values.setdefault(
            "campaign_end", fields.Date.context_today(self) + timedelta(days=7)
        )
        return values

    def _entities(self):
        """The entities to send, or a UserError listing every problem."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(_("Select the offers to propose."))
        if len(self.line_ids.offer_id.account_id) != 1:
            raise UserError(_("Propose the offers of one eMAG account at a time."))
        account = self.line_ids.offer_id.account_id
        intervals = [  # eMAG's dates are Bucharest time
            (
                account._emag_local(i.start),
                account._emag_local(i.end),
                i.voucher_discount,
            )
            for i in self.interval_ids.sorted("start")
        ]
        entities, problems = [], []
        for line in self.line_ids:
            offer = line.offer_id
            if offer.state != "published":
                problems.append(_("%s is not published on eMAG.", offer.display_name))
            margin_problem = offer._emag_margin_problem(line.sale_price)
            if margin_problem:
                problems.append(margin_problem)
            entity, found = campaign_entity(
                offer.emag_offer_id,
                self.campaign_id,
                line.sale_price,
                line.stock,
                max_qty_per_order=self.max_qty_per_order or None,
                voucher_discount=self.voucher_discount or None,
                post_campaign_sale_price=line.post_campaign_sale_price or None,
                not_available_post_campaign=self.not_available_post_campaign,
                intervals=intervals,
                multideals=self.multideals,
                name=offer.product_id.display_name,
            )
            entities.append(entity)
            problems += found
        if problems:
            raise UserError("\n".join(dict.fromkeys(problems)))
        return entities

    def action_propose(self):
        entities = self._entities()
        offers = self.line_ids.offer_id
        for line in self.line_ids:
            line.offer_id.write(
                {
                    "campaign_stock": line.offer_id._emag_campaign_reserved()
                    + line.stock,
                    "campaign_until": max(
                        self.campaign_end,
                        line.offer_id.campaign_until or self.campaign_end,
                    ),
                }
            )
        offers.with_delay(
            description=_(
                "Propose %(count)s offers to eMAG campaign %(id)s",
                count=len(offers),
                id=self.campaign_id,
            ),
        )._job_propose_to_campaign(self.campaign_id, entities)
        return {"type": "ir.actions.act_window_close"}
