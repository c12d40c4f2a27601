"""Routes of orders (§5): read, count, acknowledge, save, attachments."""

from __future__ import annotations

import copy
from datetime import timedelta
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
from .validation import as_decimal, as_int, parse_datetime, validate_attachment

HOURS_48 = 48 * 3600
TYPE_2_READ_ONLY = (
    "orders fulfilled by eMAG (type 2) cannot be edited; only attachments can be "
    "uploaded"
)
MAX_DATE_WINDOW = timedelta(days=31)  # "Maximum 1 month difference" (§5.4)

# §5.3 order status matrix: current status -> statuses a save may set.
# 1 -> 2 happens only through order/acknowledge; nothing leaves 5 (returned).
# Time windows are checked separately (_check_transition).
ORDER_TRANSITIONS: dict[int, set[int]] = {
    1: set(),
    2: {2, 3, 4, 0},
    3: {3, 4, 0},
    4: {4, 3, 0, 5},
    0: {0, 2, 3, 4},
    5: set(),
}
ORDER_STATUS_NAMES = {
    0: "canceled",
    1: "new",
    2: "in progress",
    3: "prepared",
    4: "finalized",
    5: "returned",
}


def _field_in(key: str, wanted: Any):
    """Predicate: order[key] is the filter value (or one of the listed values)."""
    values = {as_int(v) for v in as_list(wanted)}
    return lambda order: as_int(order.get(key)) in values


def _line_problems(line: dict, old: dict, current: int) -> list[str]:
    line_id = old.get("id")
    problems = [
        f"product line {line_id}: '{key}' cannot be changed"
        for key in ("product_id", "part_number", "ext_part_number")
        if key in line and str(line[key]) != str(old.get(key))
    ]
    if "sale_price" in line and as_decimal(line["sale_price"]) != as_decimal(
        old.get("sale_price")
    ):
        problems.append(
            f"product line {line_id}: updating product prices is no longer available"
        )
    removed = as_int(line.get("status", 1)) == 0
    if current in (2, 3) and not removed and as_int(line.get("quantity")) == 0:
        problems.append(
            f"product line {line_id}: quantity must be positive; remove a product "
            "with status 0"
        )
    return problems


def _active_quantity(line: dict) -> int:
    if as_int(line.get("status", 1)) == 0:
        return 0
    return as_int(line.get("quantity")) or 0


def _compare_lines(stored: dict, lines: list, current: int) -> tuple[list, bool, bool]:
    """(problems, reduced, increased) between the stored and the sent lines."""
    old_lines = {as_int(p.get("id")): p for p in stored.get("products") or []}
    problems: list[str] = []
    reduced = increased = False
    seen = set()
    for line in lines:
        if not isinstance(line, dict):
            problems.append("each product must be an object")
            continue
        qty = as_int(line.get("quantity"))
        if qty is None or qty < 0:
            problems.append(
                f"product line {line.get('id')}: negative or invalid quantity"
            )
            continue
        old = old_lines.get(as_int(line.get("id")))
        if old is None:  # §5.5.2 adding a product
            if "product_id" not in line or "sale_price" not in line:
                problems.append("a new product line needs product_id and sale_price")
            increased = True
            continue
        seen.add(as_int(old.get("id")))
        problems.extend(_line_problems(line, old, current))
        reduced |= _active_quantity(line) < _active_quantity(old)
        increased |= _active_quantity(line) > _active_quantity(old)
    # "To remove a product ... do not send it at all" (§5.5.1).
    reduced |= any(
        line_id not in seen and _active_quantity(old)
        for line_id, old in old_lines.items()
    )
    return problems, reduced, increased


class OrderRoutes:
    """Mixin of EmagSandbox: order/*."""

    # ------------------------------------------------------------- filters

    def _order_filters(self, data: Any, *, for_count: bool) -> tuple[list, list]:
        """Returns (errors, predicates) for order/read and order/count (§5.4)."""
        data = data if isinstance(data, dict) else {}
        errors: list[str] = []
        predicates = []
        for prefix, field in (("created", "date"), ("modified", "modified")):
            before_key, after_key = prefix + "Before", prefix + "After"
            bounds = {}
            for key in (before_key, after_key):
                if key in data:
                    bounds[key] = parse_datetime(data[key])
                    if bounds[key] is None:
                        errors.append(
                            f"'{key}' must be a date in YYYY-mm-dd HH:ii:ss format"
                        )
            if errors:
                continue
            before, after = bounds.get(before_key), bounds.get(after_key)
            if before and not after:
                errors.append(
                    f"'{before_key}' can only be set if '{after_key}' is present"
                )
            # On order/count both bounds require each other; order/read documents
            # only "Before needs After" (After alone reads up to now).
            if for_count and after and not before:
                errors.append(
                    f"'{after_key}' can only be set if '{before_key}' is present"
                )
            if before and after and before - after > MAX_DATE_WINDOW:
                errors.append(
                    f"'{after_key}' and '{before_key}' can have at most 1 month "
                    "difference"
                )
            if after:
                predicates.append(
                    lambda o, f=field, a=after: (parse_datetime(o.get(f)) or a) >= a
                )
            if before:
                predicates.append(
                    lambda o, f=field, b=before: (parse_datetime(o.get(f)) or b) <= b
                )
        for key in ("id", "status", "payment_mode_id", "is_complete"):
            if key in data:
                predicates.append(_field_in(key, data[key]))
        # order/read: "type ... Default value = 3" - eMAG-fulfilled (type 2) orders
        # are invisible unless asked for.  order/count lost that default in v4.4.9,
        # so a count without type counts both types.
        order_type = data.get("type", None if for_count else 3)
        if order_type is not None:
            predicates.append(_field_in("type", order_type))
        return errors, predicates

    def _filtered_orders(self, data: Any, *, for_count: bool) -> tuple[list, list]:
        errors, predicates = self._order_filters(data, for_count=for_count)
        if errors:
            return errors, []
        rows = [o for o in self.orders.values() if all(p(o) for p in predicates)]
        # "By default on /order/read we expose the last 100 orders": newest first.
        rows.sort(key=lambda o: (o.get("date") or "", o["id"]), reverse=True)
        return [], rows

    def _order_read(self, req: Request) -> Response:
        errors, rows = self._filtered_orders(req.data, for_count=False)
        if errors:
            return error(errors)
        return envelope(copy.deepcopy(paginate(rows, req.data)))

    def _order_count(self, req: Request) -> Response:
        errors, rows = self._filtered_orders(req.data, for_count=True)
        if errors:
            return error(errors)
        return envelope(count_result(len(rows), req.data))

    # --------------------------------------------------------- acknowledge

    def _order_acknowledge(self, req: Request) -> Response:
        """order/acknowledge/{id}: the only way from 1 (new) to 2 (in progress)."""
        order_id = as_int(req.param)
        if order_id is not None:
            self.acknowledgements[order_id] = self.acknowledgements.get(order_id, 0) + 1
        order = self.orders.get(order_id) if order_id is not None else None
        if order is None:
            return error(f"Order {req.param} does not exist", status=400)
        if as_int(order.get("type")) == 2:
            return error(
                f"Order {order_id}: acknowledge is available only for 3P orders",
                status=400,
            )
        status = as_int(order.get("status"))
        if status == 0:
            # Not documented; eMAG cancels unacknowledged orders on customer
            # request, so acknowledging one is refused like an order in progress.
            return error(f"Order {order_id} is canceled", status=400)
        if status != 1:
            # integrator-lessons: HTTP 400 "Order is already in progress".
            return error("Order is already in progress", status=400)
        order["status"] = 2
        order["modified"] = self.now_str()
        return envelope([])

    # ----------------------------------------------------------------- save

    def _order_save(self, req: Request) -> Response:
        entities = self._entities(req)
        if isinstance(entities, Response):
            return entities
        messages: list[str] = []
        for index, sent in enumerate(entities):
            problems = self._save_one_order(sent, index)
            messages.extend(problems)
        return envelope([], messages, is_error=bool(messages))

    def _save_one_order(self, sent: Any, index: int) -> list[str]:
        if not isinstance(sent, dict):
            return [f"Order #{index + 1}: must be an object"]
        order_id = as_int(sent.get("id"))
        stored = self.orders.get(order_id) if order_id is not None else None
        label = f"Order {order_id}" if order_id is not None else f"Order #{index + 1}"
        if stored is None:
            return [f"{label}: order does not exist (orders cannot be created by API)"]
        if as_int(stored.get("type")) == 2:
            return [f"{label}: {TYPE_2_READ_ONLY}"]
        # §5.5 "the seller should send ALL the fields initially read": a save that
        # drops keys read from order/read is refused (it would erase data).
        missing = sorted(k for k in stored if k not in sent)
        if missing:
            listed = ", ".join(missing)
            return [
                f"{label}: send back every field read (order/read); missing: {listed}"
            ]
        current = as_int(stored.get("status"))
        new = as_int(sent.get("status"))
        if new not in ORDER_STATUS_NAMES:
            return [f"{label}: 'status' must be an integer between 0 and 5"]
        problems = self._check_transition(order_id, current, new)
        if new == 0 and current != 0 and not sent.get("reason_cancellation"):
            problems.append("'reason_cancellation' is required when canceling an order")
        if not problems:
            problems = self._check_products(stored, sent, current)
        if problems:
            return [f"{label}: {p}" for p in problems]
        self._apply_order_save(order_id, stored, sent, current, new)
        return []

    def _check_transition(self, order_id: int, current: int, new: int) -> list[str]:
        """§5.3 status matrix, with its time windows."""
        if current == 1 and new == 2:
            return [
                "status 1 (new) -> 2 (in progress) is done only by order/acknowledge"
            ]
        if new not in ORDER_TRANSITIONS.get(current, set()):
            names = ORDER_STATUS_NAMES
            change = f"{current} ({names[current]}) -> {new} ({names[new]})"
            return [f"status change {change} is not allowed"]
        now = self.clock.time()
        finalized = self.order_finalized_at.get(order_id, now)
        message = ""
        if current == 4 and new in (3, 0) and now - finalized > HOURS_48:
            message = (
                f"a finalized order can go back to status {new} only within 48 "
                "hours of finalization"
            )
        days = self.return_time_days + 5
        if current == 4 and new == 5 and now - finalized > days * 86400:
            message = (
                "status 5 (returned) is allowed only within the return time + 5 days "
                f"({days} days) of finalization"
            )
        canceled = self.order_canceled_at.get(order_id, now)
        if current == 0 and new in (2, 3, 4) and now - canceled > HOURS_48:
            message = "a canceled order cannot be reactivated after 48 hours"
        return [message] if message else []

    def _check_products(self, stored: dict, sent: dict, current: int) -> list[str]:
        """Product edits (§5.5, §5.5.1-3)."""
        lines = sent.get("products")
        if not isinstance(lines, list):
            return ["'products' must be a list"]
        problems, reduced, increased = _compare_lines(stored, lines, current)
        if problems:
            return problems
        storno = sent.get("is_storno") is True
        if storno and current != 4:
            return ["'is_storno' can be sent only for an order in status 4 (finalized)"]
        if not (reduced or increased):
            if storno:
                return ["'is_storno' was sent without any change to an order line"]
            return []
        message = ""
        if current in (2, 3):
            if reduced and as_int(stored.get("payment_mode_id")) == 3:
                message = (
                    "removing products or reducing quantities is not possible for "
                    "orders paid by online card"
                )
        elif current == 4:
            if not storno:
                message = "a finalized order cannot be modified without 'is_storno'"
            elif increased:
                message = "a storno can only reduce quantities"
        else:
            message = "products can be edited only in status 2 or 3"
        return [message] if message else []

    def _apply_order_save(
        self, order_id: int, stored: dict, sent: dict, current: int, new: int
    ) -> None:
        order = copy.deepcopy(sent)
        order["id"] = order_id
        order["status"] = new
        now = self.now_str()
        for line in order.get("products") or []:
            if as_int(line.get("id")) is None:
                line["id"] = self._next_line_id()
                line.setdefault("status", 1)
                line.setdefault("created", now)
            line["modified"] = now
        # Once applied, a storno is not pending any more (a re-save of the read
        # order must not look like a second storno).
        order["is_storno"] = False
        order["modified"] = now
        if new == 0 and current != 0:
            self.order_canceled_at[order_id] = self.clock.time()
        if new == 4 and current != 4:
            self._finalize(order)
        self.orders[order_id] = order

    def _finalize(self, order: dict) -> None:
        self.order_finalized_at[order["id"]] = self.clock.time()
        order["status"] = 4
        order["finalization_date"] = self.now_str()
        order["modified"] = self.now_str()

    # ---------------------------------------------------------- attachments

    def _order_attachments_save(self, req: Request) -> Response:
        entities = self._entities(req)
        if isinstance(entities, Response):
            return entities
        messages: list[str] = []
        for index, att in enumerate(entities):
            problems = validate_attachment(att, index)
            if not problems:
                problems = self._attachment_cross_checks(att, index)
            if problems:
                messages.extend(problems)
                continue
            self._store_attachment(att)
        return envelope([], messages, is_error=bool(messages))

    def _attachment_cross_checks(self, att: dict, index: int) -> list[str]:
        label = f"Attachment #{index + 1}"
        order_id = as_int(att["order_id"])
        order = self.orders.get(order_id)
        if order is None:
            return [f"{label}: order {order_id} does not exist"]
        if as_int(att["order_type"]) != as_int(order.get("type")):
            found = f"order {order_id} has type {order.get('type')}"
            return [f"{label}: order_type {att['order_type']} does not match: {found}"]
        if "order_product_id" in att:
            line_id = as_int(att["order_product_id"])
            if line_id not in {
                as_int(p.get("id")) for p in order.get("products") or []
            }:
                return [
                    f"{label}: order_product_id {line_id} is not a line of the order"
                ]
        if as_int(att.get("type", 1)) == 3:
            for other in self.attachments.get(order_id, []):
                if (
                    as_int(other.get("type", 1)) == 3
                    and as_int(other.get("order_product_id"))
                    == as_int(att["order_product_id"])
                    and other.get("url") != att.get("url")
                ):
                    line = att["order_product_id"]
                    return [f"{label}: only one warranty per product (line {line})"]
        return []

    def _store_attachment(self, att: dict) -> None:
        order_id = as_int(att["order_id"])
        stored = self.attachments.setdefault(order_id, [])
        att = copy.deepcopy(att)
        att.setdefault("type", 1)
        key = (as_int(att["type"]), att["url"], as_int(att.get("order_product_id")))
        for i, other in enumerate(stored):
            other_key = (
                as_int(other["type"]),
                other["url"],
                as_int(other.get("order_product_id")),
            )
            if other_key == key:
                stored[i] = att  # same document sent again: replaced, not duplicated
                break
        else:
            stored.append(att)
        order = self.orders[order_id]
        order["attachments"] = [
            {k: v for k, v in a.items() if k not in ("order_id", "order_type")}
            for a in stored
        ]
