"""Control routes: drive a sandbox that runs as a process of its own.

Tests and benchmarks that start real Odoo workers against the sandbox reach it
only over HTTP. Under ``/_sandbox/`` (Basic credentials of the API, answered
before the rate limiter, never counted as an eMAG call):

* ``GET stats``: calls per route, statuses, the first and last call's time,
  429 answers, acknowledgements, and how many offers, orders and returns
  eMAG holds;
* ``POST reset_log``: forget the calls so far;
* ``POST orders`` ``{"orders": [spec, ...]}``: seed orders, answers their ids;
* ``POST offers`` ``{"offers": [offer, ...]}``: seed offers;
* ``POST returns`` ``{"order_id": id, "products": [...], ...}``: a customer
  returns products of a finalized order (``create_return``), answers its id;
* ``POST callbacks`` ``{"order": url, "return": url, ...}``: the callback URLs
  eMAG calls (as entered in the eMAG Marketplace interface);
* ``POST limits`` ``{"order": [[1, 12], [60, 720]], "other": [[6, 1]]}``: the
  rate limits of those buckets (eMAG lowers them on campaign days);
  ``{"reset": true}`` restores the documented ones;
* ``POST fault``: ``inject_fault`` (kind, count, route, status, delay);
* ``POST shop`` ``{"count": n, "days": d, "fbe": k, "seed": s, "notify":
  true}``: customers buy from the offers for sale (``shop.place_orders``),
  answers the new orders' ids;
* ``POST approve`` ``{"offer_ids": [...]}`` (default: every one waiting):
  eMAG approves the documentation of new products, gives them a
  part_number_key and calls the "documentation" callback.
"""

from __future__ import annotations

import copy
from collections import Counter

from .gateway import FAULT_KINDS, RATE_LIMITS
from .protocol import Response
from .shop import notify_all, place_orders

PREFIX = "_sandbox/"


def _bad(message: str) -> Response:
    return Response(status=400, payload={"error": message})


class ControlRoutes:
    def _control(self, action: str, body) -> Response:
        handler = getattr(self, f"_control_{action}", None)
        if handler is None:
            return Response(status=404, payload={"error": f"no control {action!r}"})
        body = body if isinstance(body, dict) else {}
        with self._lock:
            return handler(body)

    def _control_stats(self, body) -> Response:
        statuses: dict[str, Counter] = {}
        spans: dict[str, list] = {}
        for record in self.requests:
            statuses.setdefault(record.route, Counter())[str(record.status)] += 1
            span = spans.setdefault(record.route, [record.time, record.time])
            span[1] = record.time
        return Response(
            payload={
                "calls": {route: sum(c.values()) for route, c in statuses.items()},
                "statuses": {route: dict(c) for route, c in statuses.items()},
                "spans": spans,  # route: [first call, last call], in seconds
                "total": len(self.requests),
                "rate_limited": sum(r.status == 429 for r in self.requests),
                "acknowledgements": {
                    str(k): v for k, v in self.acknowledgements.items()
                },
                "held": {
                    "offers": len(self.offers),
                    "orders": len(self.orders),
                    "returns": len(self.rmas),
                },
            }
        )

    def _control_reset_log(self, body) -> Response:
        self.requests.clear()
        return Response(payload={"ok": True})

    def _control_orders(self, body) -> Response:
        specs = body.get("orders")
        if not isinstance(specs, list):
            return _bad("'orders' must be a list of order specs")
        return Response(payload={"ids": [o["id"] for o in self.seed_orders(specs)]})

    def _control_offers(self, body) -> Response:
        offers = body.get("offers")
        if not isinstance(offers, list):
            return _bad("'offers' must be a list of offers")
        self.seed_offers(offers)
        return Response(payload={"count": len(offers)})

    def _control_returns(self, body) -> Response:
        fields = dict(body)
        order_id = fields.pop("order_id", None)
        products = fields.pop("products", None)
        try:
            rma = self.create_return(order_id, products, **fields)
        except (KeyError, ValueError) as exc:
            return _bad(str(exc).strip("'\""))
        return Response(payload={"emag_id": rma["emag_id"]})

    def _control_callbacks(self, body) -> Response:
        if not all(isinstance(v, str) for v in body.values()):
            return _bad("each callback kind takes a URL")
        self.callback_urls.update(body)
        return Response(payload={"callbacks": self.callback_urls})

    def _control_limits(self, body) -> Response:
        if body.get("reset"):
            self._limiter.limits = copy.deepcopy(RATE_LIMITS)
            self._limiter.reset()
            return Response(payload={"limits": self._limiter.limits})
        for bucket, windows in body.items():
            if bucket not in RATE_LIMITS:
                return _bad(
                    f"unknown bucket {bucket!r}; use one of {list(RATE_LIMITS)}"
                )
            if not (
                isinstance(windows, list)
                and windows
                and all(
                    isinstance(w, list)
                    and len(w) == 2
                    and all(isinstance(n, int) and n > 0 for n in w)
                    for w in windows
                )
            ):
                return _bad(f"{bucket}: a list of [window seconds, limit], positive")
        for bucket, windows in body.items():
            self._limiter.limits[bucket] = tuple(tuple(w) for w in windows)
        self._limiter.reset()
        return Response(payload={"limits": self._limiter.limits})

    def _control_fault(self, body) -> Response:
        kind = body.get("kind")
        if kind not in FAULT_KINDS:
            return _bad(f"'kind' must be one of {FAULT_KINDS}")
        self.inject_fault(
            kind,
            int(body.get("count") or 1),
            body.get("route"),
            status=body.get("status"),
            delay=float(body.get("delay") or 2.0),
        )
        return Response(payload={"ok": True})

    def _control_shop(self, body) -> Response:
        try:
            ids = place_orders(
                self,
                int(body.get("count") or 1),
                days=float(body.get("days") or 0),
                fbe=int(body.get("fbe") or 0),
                seed=body.get("seed"),
                notify=bool(body.get("notify")),
            )
        except (TypeError, ValueError) as exc:
            return _bad(str(exc))
        return Response(payload={"ids": ids})

    def _control_approve(self, body) -> Response:
        wanted = body.get("offer_ids")
        waiting = [
            offer_id
            for offer_id, meta in sorted(self.offer_meta.items())
            if meta.get("validation_status") != 9
            and (wanted is None or offer_id in wanted)
        ]
        keys = {offer_id: self.approve_documentation(offer_id) for offer_id in waiting}
        if waiting and "documentation" in self.callback_urls:
            notify_all(self, "documentation", waiting)
        return Response(payload={"approved": {str(k): v for k, v in keys.items()}})
