"""What eMAG keeps and proposes: commission estimates, the Smart Deals price
and campaign proposals.

Commission (v4.4.9 §2.12, documented only in eMAG's Swagger): public
integrations call ``GET /api/v1/commission/estimate/{seller offer id}``
(outside ``/api-3``) and read ``value`` (the commission, in percent of the
sale price with VAT), ``created`` and ``end_date``: the sandbox answers that
shape, from a rate per category (``seed_commissions``). Smart Deals: ``GET
smart-deals-price-check?productId=`` answers ``targetPrice`` (the shape is not
documented), 5% under the offer's price unless seeded. Campaign proposals:
``campaign_proposals/save`` with the documented limits.
"""

from __future__ import annotations

from ..campaigns import campaign_entity
from .protocol import Request, Response, envelope, error
from .validation import as_int, parse_datetime

#: eMAG's commission when nothing is seeded for the offer's category (%)
DEFAULT_COMMISSION = 15.0


class EconomicsRoutes:
    """Mixin of EmagSandbox: commissions, Smart Deals, campaign proposals."""

    def seed_commissions(self, rates: dict, default: float | None = None) -> None:
        """Commission (percent) per eMAG category id; ``default`` for others."""
        self.commission_rates = {int(k): float(v) for k, v in rates.items()}
        if default is not None:
            self.commission_default = float(default)

    def _commission_estimate(self, req: Request) -> Response:
        offer_id = as_int(req.param)
        offer = self.offers.get(offer_id) if offer_id else None
        if offer is None:
            return Response(
                status=404, payload={"message": f"Offer {req.param} not found"}
            )
        meta = self.offer_meta.get(offer_id, {})
        category = as_int(offer.get("category_id") or meta.get("category_id"))
        rates = getattr(self, "commission_rates", {})
        default = getattr(self, "commission_default", DEFAULT_COMMISSION)
        return Response(
            payload={
                "value": rates.get(category, default),
                "created": self.now_str(),
                "end_date": None,
            }
        )

    # ------------------------------------------------------------ Smart Deals

    def seed_smart_deals(self, prices: dict) -> None:
        """The Smart Deals price (without VAT) per seller offer id."""
        self.smart_deals_prices = {int(k): v for k, v in prices.items()}

    def _smart_deals_price_check(self, req: Request) -> Response:
        offer_id = as_int((req.query.get("productId") or [None])[0])
        offer = self.offers.get(offer_id) if offer_id else None
        if offer is None:
            return error(f"Product {offer_id} not found")
        seeded = getattr(self, "smart_deals_prices", {})
        price = seeded.get(offer_id)
        if price is None:
            price = round(float(offer.get("sale_price") or 0) * 0.95, 4)
        return envelope({"productId": offer_id, "targetPrice": price})

    # -------------------------------------------------------------- campaigns

    def _campaign_proposals_save(self, req: Request) -> Response:
        data = req.data if isinstance(req.data, list) else [req.data]
        problems = []
        proposals = getattr(self, "campaign_proposals", None)
        if proposals is None:
            proposals = self.campaign_proposals = {}
        accepted = []
        for item in data:
            if not isinstance(item, dict):
                problems.append("Each proposal must be an object")
                continue
            intervals = [
                (
                    parse_datetime(block.get("start_date", {}).get("date", "")[:19]),
                    parse_datetime(block.get("end_date", {}).get("date", "")[:19]),
                    as_int(block.get("voucher_discount")),
                )
                for block in item.get("date_intervals") or []
            ]
            _entity, found = campaign_entity(
                as_int(item.get("id")),
                as_int(item.get("campaign_id")),
                item.get("sale_price"),
                as_int(item.get("stock")),
                max_qty_per_order=as_int(item.get("max_qty_per_order")),
                voucher_discount=as_int(item.get("voucher_discount")),
                post_campaign_sale_price=item.get("post_campaign_sale_price"),
                intervals=intervals,
            )
            if as_int(item.get("id")) not in self.offers:
                found.append(f"Offer {item.get('id')} does not exist")
            problems += found
            accepted.append(item)
        if problems:
            return error(problems)
        for item in accepted:
            proposals[(int(item["campaign_id"]), int(item["id"]))] = item
        return envelope()
