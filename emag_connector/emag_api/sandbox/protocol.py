"""Request/response objects shared by the sandbox's route handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .validation import MAX_ITEMS_PER_PAGE, as_int

RATE_LIMIT_BODY = {"message": "API rate limit exceeded"}  # §1.5, verbatim


@dataclass
class Request:
    """A parsed API call, as seen by a route handler."""

    method: str
    path: str
    route: str  # "product_offer/save", "order/acknowledge", ...
    param: str | None  # the {id} of order/acknowledge/{id} and offer_stock/{id}
    query: dict[str, list[str]]
    body: Any  # parsed JSON body (or None)
    data: Any  # body["data"] (or None)
    username: str = ""
    client_ip: str = ""


@dataclass
class Response:
    status: int = 200
    payload: Any = None  # JSON-serialisable; ignored when raw is set
    raw: bytes | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # real seconds to wait before answering (timeout fault)

    def body_bytes(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.payload, ensure_ascii=False).encode("utf-8")


def envelope(
    results: Any = None,
    messages: list | None = None,
    *,
    is_error: bool = False,
    status: int = 200,
) -> Response:
    """The documented response envelope (§1.4)."""
    return Response(
        status=status,
        payload={
            "isError": is_error,
            "messages": list(messages or []),
            "results": [] if results is None else results,
        },
    )


def error(messages: list | str, status: int = 200, results: Any = None) -> Response:
    if isinstance(messages, str):
        messages = [messages]
    return envelope(results, messages, is_error=True, status=status)


def page_args(data: Any) -> tuple[int, int]:
    """(currentPage, itemsPerPage): itemsPerPage silently capped at 100 (§1.3)."""
    data = data if isinstance(data, dict) else {}
    per_page = as_int(data.get("itemsPerPage"))
    if per_page is None or per_page < 1:
        per_page = MAX_ITEMS_PER_PAGE
    per_page = min(per_page, MAX_ITEMS_PER_PAGE)
    page = as_int(data.get("currentPage"))
    if page is None or page < 1:
        page = 1
    return page, per_page


def paginate(items: list, data: Any) -> list:
    page, per_page = page_args(data)
    start = (page - 1) * per_page
    return items[start : start + per_page]


def count_result(total: int, data: Any) -> dict:
    """Shape of every */count answer: noOfItems, noOfPages, itemsPerPage."""
    _, per_page = page_args(data)
    return {
        "noOfItems": total,
        "noOfPages": (total + per_page - 1) // per_page,
        "itemsPerPage": per_page,
    }


def as_list(value: Any) -> list:
    """A filter that is "a single value or a list of values"."""
    return value if isinstance(value, list) else [value]
