from odoo import fields, models


class EmagCampaignProposalLine(models.TransientModel):
    _name = "emag.campaign.proposal.line"
    _description = "Offer Proposed to an eMAG Campaign"

    proposal_id = fields.Many2one(
        "emag.campaign.proposal", required=True, ondelete="cascade"
    )
    offer_id = fields.Many2one("emag.offer", required=True)
    sale_price = fields.Float(
        string="Campaign Price", digits=(16, 4), help="Without VAT."
    )
    stock = fields.Integer(
        string="Campaign Stock", help="0 to 255 units, reserved for the campaign."
    )
    post_campaign_sale_price = fields.Float(
        string="Price After", digits=(16, 4), help="Without VAT."
    )
