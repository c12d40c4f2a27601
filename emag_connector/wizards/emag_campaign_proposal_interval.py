from odoo import fields, models


class EmagCampaignProposalInterval(models.TransientModel):
    _name = "emag.campaign.proposal.interval"
    _description = "Date Interval of an eMAG Campaign Proposal"

    proposal_id = fields.Many2one(
        "emag.campaign.proposal", required=True, ondelete="cascade"
    )
    start = fields.Datetime(required=True)
    end = fields.Datetime(required=True)
    voucher_discount = fields.Integer(string="Discount (%)", required=True)
