"""What eMAG leaves the seller on an offer: eMAG's commission estimate (read
weekly and after a price change), and the margin of the price sent: price
ex-VAT, minus the commission (eMAG's percentage of the price with VAT),
minus the product's cost. A commission that cannot be read leaves the margin
unknown, never zero. The account's margin floor holds back a price that would
sell below it, unless the offer allows it."""

import hashlib
import logging
from decimal import Decimal

from odoo import _, api, fields, models

from ..emag_api import EmagError
from ..emag_api.economics import commission_amount
from ..tools.jobs import emag_retryable

_logger = logging.getLogger(__name__)


class EmagOfferMargin(models.AbstractModel):
    _name = "emag.offer.margin"
    _description = "eMAG Offer Commission and Margin"

    commission_percent = fields.Float(
        string="eMAG Commission (%)",
        digits=(5, 2),
        readonly=True,
        copy=False,
        help="eMAG's commission estimate for the offer, in percent of the sale "
        "price with VAT.",
    )
    commission_known = fields.Boolean(readonly=True, copy=False)
    commission_date = fields.Datetime(
        string="Commission Read On", readonly=True, copy=False
    )
    commission_end_date = fields.Char(
        string="Commission Valid Until",
        readonly=True,
        copy=False,
        help="eMAG's end date of the estimate, as eMAG gives it.",
    )
    commission_message = fields.Char(
        readonly=True,
        copy=False,
        help="Why the commission is unknown, when it is.",
    )
    margin = fields.Float(
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="Of the price sent: price ex-VAT minus eMAG's commission minus the "
        "product's cost, in the offer's currency. Empty while the commission "
        "is unknown.",
    )
    margin_percent = fields.Float(
        string="Margin (%)", digits=(5, 1), readonly=True, copy=False
    )
    margin_known = fields.Boolean(readonly=True, copy=False)
    margin_below_floor = fields.Boolean(
        readonly=True, copy=False, help="The margin is below the account's floor."
    )
    sell_below_floor = fields.Boolean(
        help="Send this offer's price even when its margin is below the "
        "account's margin floor.",
    )

    # ------------------------------------------------------------------
    # Commission
    # ------------------------------------------------------------------

    def action_read_commission(self):
        """Read eMAG's commission of these offers now (in a job)."""
        for account, offers in (
            self.filtered("emag_offer_id").grouped("account_id").items()
        ):
            offers._emag_enqueue_commissions(account)
        return True

    def _emag_enqueue_commissions(self, account):
        ids = hashlib.sha1(",".join(map(str, self.ids)).encode()).hexdigest()[:12]
        self.with_delay(
            identity_key=f"emag-commissions-{account.id}-{ids}",
            description=_("Read eMAG commissions of %s", account.name),
        )._job_read_commissions()

    @api.model
    def _cron_read_commissions(self):
        """Weekly: the commission of every published offer."""
        offers = self.search([("state", "=", "published")])
        for account, mine in offers.grouped("account_id").items():
            mine._emag_enqueue_commissions(account)

    def _emag_read_each(self, read, missing):
        """``(offer, value, problem)`` for each offer (one account): ``read(
        client, offer)`` at the budget's pace; ``problem`` is eMAG's error, or
        ``missing`` when it gave no value, and ``value`` then None."""
        client = self.account_id._emag_client()
        for offer in self:
            try:
                with emag_retryable():
                    value = read(client, offer)
            except EmagError as exc:
                yield offer, None, str(exc)
                continue
            yield offer, value, missing if value is None else None

    def _job_read_commissions(self):
        """One call per offer, at the budget's pace; an answer eMAG does not
        give in the expected shape leaves the commission unknown."""
        self.account_id.ensure_one()
        now = fields.Datetime.now()
        for offer, estimate, problem in self._emag_read_each(
            lambda client, offer: client.read_commission(offer.emag_offer_id),
            _("eMAG's answer has no commission value."),
        ):
            if estimate is None:
                _logger.info(
                    "eMAG commission of offer %s unknown: %s", offer.id, problem
                )
                offer.write(
                    {
                        "commission_known": False,
                        "commission_message": problem[:250],
                        "commission_date": now,
                    }
                )
            else:
                offer.write(
                    {
                        "commission_percent": float(estimate["value"]),
                        "commission_known": True,
                        "commission_message": False,
                        "commission_date": now,
                        "commission_end_date": estimate["end_date"] or False,
                    }
                )
        self._emag_update_margins()
        return len(self)

    # ------------------------------------------------------------------
    # Margin
    # ------------------------------------------------------------------

    def _emag_margin_of(self, price, cost=None):
        """``(margin, percent)`` of one unit sold at ``price`` ex-VAT, in the
        offer's currency; None while the commission is unknown."""
        self.ensure_one()
        if not self.commission_known:
            return None
        rate = self._emag_vat_rate(self.account_id._emag_fiscal_position()) or 0.0
        with_vat = Decimal(str(price)) * (1 + Decimal(str(rate)))
        commission = commission_amount(self.commission_percent, with_vat)
        if cost is None:
            cost = self._emag_unit_cost()
        margin = Decimal(str(price)) - commission - Decimal(str(cost))
        percent = margin / Decimal(str(price)) * 100 if price else Decimal(0)
        return float(margin), float(percent)

    def _emag_unit_cost(self):
        """The product's cost, in the offer's currency."""
        company = self.account_id.company_id
        cost = self.product_id.with_company(company).standard_price
        currency = self.currency_id or company.currency_id
        return company.currency_id._convert(
            cost, currency, company, fields.Date.context_today(self)
        )

    def _emag_line_margin(self, line):
        """The commission and margin values of a sale order line made from an
        eMAG order line (``emag_api.orders.SaleLine``: price with VAT), in
        the order's currency."""
        self.ensure_one()
        if not self.commission_known:
            return {"emag_margin_known": False}
        quantity = Decimal(str(line.quantity))
        with_vat = Decimal(str(line.unit_price))
        without_vat = with_vat / (1 + Decimal(str(line.vat_rate or 0)))
        commission = commission_amount(self.commission_percent, with_vat) * quantity
        cost = Decimal(str(self._emag_unit_cost())) * quantity
        return {
            "emag_commission": float(commission),
            "emag_margin": float(without_vat * quantity - commission - cost),
            "emag_margin_known": True,
        }

    def _emag_update_margins(self):
        """The margin of the price eMAG has (the last one sent)."""
        for offer in self:
            price = (offer.pushed_values or {}).get("sale_price")
            found = offer._emag_margin_of(price) if price else None
            if found is None:
                values = {"margin": 0.0, "margin_percent": 0.0, "margin_known": False}
            else:
                values = {
                    "margin": found[0],
                    "margin_percent": found[1],
                    "margin_known": True,
                }
            values["margin_below_floor"] = bool(
                values["margin_known"]
                and values["margin_percent"] < offer.account_id.margin_floor
            )
            offer.write(values)

    def _emag_margin_problem(self, sale_price):
        """Why ``sale_price`` must be held back for the account's margin
        floor, or None (no floor, unknown commission, or allowed)."""
        self.ensure_one()
        floor = self.account_id.margin_floor
        if not floor or self.sell_below_floor:
            return None
        found = self._emag_margin_of(sale_price)
        if found is None or found[1] >= floor:
            return None
        return _(
            "%(product)s: the price %(price)s (ex-VAT) leaves a margin of "
            "%(margin).1f%% after eMAG's commission (%(commission)s%%) and the "
            "cost, below the account's floor of %(floor)s%%; it was not sent. "
            "Raise the price, or tick Sell Below Floor on the offer.",
            product=self.product_id.display_name,
            price=sale_price,
            margin=found[1],
            commission=self.commission_percent,
            floor=floor,
        )
