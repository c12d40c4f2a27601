"""Routes of return requests (§7): rma/read, rma/count, rma/save."""

from __future__ import annotations

import copy
from typing import Any

from .protocol import (
    Request,
    Response,
    as_list,
    count_result,
    envelope,
    error,
    paginate,
)
from .validation import as_int, parse_datetime

# §7.2 status change permissions: current request_status -> allowed new ones.
# Status 1 (incomplete) is "left out by design": a seller cannot move it.
RMA_TRANSITIONS: dict[int, set[int]] = {
    1: {1},
    2: {2, 3, 5},
    3: {3, 5, 6},
    4: {4},
    5: {5},
    6: {4, 6, 7},
    7: {7},
}


class ReturnRoutes:
    """Mixin of EmagSandbox: rma/*."""

    def _filtered_rmas(self, data: Any) -> tuple[list[str], list[dict]]:
        data = data if isinstance(data, dict) else {}
        errors = []
        rows = list(self.rmas.values())
        for key in ("emag_id", "id", "order_id", "type"):
            if key in data:
                rows = [r for r in rows if as_int(r.get(key)) == as_int(data[key])]
        if "request_status" in data:
            wanted = {as_int(v) for v in as_list(data["request_status"])}
            rows = [r for r in rows if as_int(r.get("request_status")) in wanted]
        for key in ("product_id", "product_emag_id"):
            if key in data:
                rows = [
                    r
                    for r in rows
                    if any(
                        as_int(p.get(key)) == as_int(data[key])
                        for p in r.get("products") or []
                    )
                ]
        for key, keep in (
            ("date_start", lambda d, b: d >= b),
            ("date_end", lambda d, b: d <= b),
        ):
            if key in data:
                bound = parse_datetime(data[key])
                if bound is None:
                    errors.append(
                        f"'{key}' must be a date in YYYY-mm-dd HH:ii:ss format"
                    )
                    continue
                rows = [
                    r
                    for r in rows
                    if keep(parse_datetime(r.get("date")) or bound, bound)
                ]
        rows.sort(key=lambda r: (r.get("date") or "", r["emag_id"]), reverse=True)
        return errors, rows

    def _rma_read(self, req: Request) -> Response:
        errors, rows = self._filtered_rmas(req.data)
        if errors:
            return error(errors)
        return envelope(copy.deepcopy(paginate(rows, req.data)))

    def _rma_count(self, req: Request) -> Response:
        errors, rows = self._filtered_rmas(req.data)
        if errors:
            return error(errors)
        return envelope(count_result(len(rows), req.data))

    def _rma_save(self, req: Request) -> Response:
        entities = self._entities(req)
        if isinstance(entities, Response):
            return entities
        messages: list[str] = []
        for index, sent in enumerate(entities):
            problems = self._check_rma(sent, index)
            if problems:
                messages.extend(problems)
                continue
            stored = self.rmas[as_int(sent["emag_id"])]
            stored.update(copy.deepcopy(sent))
            stored["emag_id"] = as_int(sent["emag_id"])
            if "request_status" in sent:
                stored["request_status"] = as_int(sent["request_status"])
        return envelope([], messages, is_error=bool(messages))

    def _check_rma(self, sent: Any, index: int) -> list[str]:
        if not isinstance(sent, dict):
            return [f"Return #{index + 1}: must be an object"]
        emag_id = as_int(sent.get("emag_id"))
        label = f"Return {emag_id}" if emag_id is not None else f"Return #{index + 1}"
        stored = self.rmas.get(emag_id) if emag_id is not None else None
        if stored is None:
            return [f"{label}: 'emag_id' must be an existing return request"]
        problems = []
        if as_int(sent.get("type")) not in (2, 3):
            problems.append("'type' is required (2 or 3)")
        elif as_int(sent["type"]) != as_int(stored.get("type")):
            problems.append("'type' does not match the return request")
        if "request_status" in sent:
            current = as_int(stored.get("request_status"))
            new = as_int(sent["request_status"])
            if new not in RMA_TRANSITIONS.get(current, set()):
                problems.append(
                    f"request_status change {current} -> {new} is not allowed"
                )
        if "order_id" in sent and as_int(sent["order_id"]) != as_int(
            stored["order_id"]
        ):
            problems.append("'order_id' cannot be changed")
        return [f"{label}: {p}" for p in problems]
