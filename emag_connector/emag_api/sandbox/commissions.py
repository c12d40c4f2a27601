"""Commission estimates (v4.4.9 §2.12, documented only in eMAG's Swagger).

Public integrations call ``GET /api/v1/commission/estimate/{seller offer id}``
(outside ``/api-3``) and read ``value`` (the commission, in percent of the
sale price with VAT), ``created`` and ``end_date``: the sandbox answers that
shape, from a rate per category (``seed_commissions``).
"""

from __future__ import annotations

from .protocol import Request, Response
from .validation import as_int

#: eMAG's commission when nothing is seeded for the offer's category (%)
DEFAULT_COMMISSION = 15.0


class CommissionRoutes:
    """Mixin of EmagSandbox: the commission estimate of an offer."""

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
