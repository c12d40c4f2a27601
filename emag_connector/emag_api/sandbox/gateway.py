"""What sits in front of the API: rate limiting and fault injection."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

# Fixed windows (like eMAG's Kong gateway), per username. (window seconds, limit)
RATE_LIMITS: dict[str, tuple[tuple[int, int], ...]] = {
    # §1.5: "Maximum 12 requests per second or 720 requests per minute for all
    # orders routes".
    "order": ((1, 12), (60, 720)),
    # §1.5: every other resource together (cumulative): 3/s and 180/min.
    "other": ((1, 3), (60, 180)),
    # §2.10: documentation/find_by_eans has its own quota.
    "find_by_eans": ((1, 5), (60, 200), (86400, 5000)),
}


def bucket_for(route: str) -> str:
    if route == "documentation/find_by_eans":
        return "find_by_eans"
    # order/read, order/count, order/save, order/acknowledge/{id},
    # order/attachments/save: every route of the "order" resource.
    if route == "order" or route.startswith("order/"):
        return "order"
    return "other"


class RateLimiter:
    """Counts requests in fixed windows; a refused request is not counted."""

    def __init__(self) -> None:
        self._counts: dict[tuple, int] = {}
        self._lock = threading.Lock()
        self.limits = copy.deepcopy(RATE_LIMITS)  # control route "limits"

    def allow(self, username: str, bucket: str, now: float) -> bool:
        windows = self.limits[bucket]
        keys = [(username, bucket, length, int(now // length)) for length, _ in windows]
        with self._lock:
            for key, (_, limit) in zip(keys, windows, strict=True):
                if self._counts.get(key, 0) >= limit:
                    return False
            for key in keys:
                self._counts[key] = self._counts.get(key, 0) + 1
            if len(self._counts) > 5000:
                self._prune(now)
        return True

    def _prune(self, now: float) -> None:
        self._counts = {
            key: n for key, n in self._counts.items() if key[3] >= int(now // key[2])
        }

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


FAULT_KINDS = ("429", "5xx", "timeout", "is_error", "malformed", "missing_is_error")


@dataclass
class Fault:
    """One injected fault, for the next ``remaining`` matching requests."""

    kind: str
    remaining: int = 1
    route: str | None = None  # only for this route ("product_offer/save"), else all
    status: int | None = None
    body: Any = None
    messages: list | None = None
    delay: float = 2.0

    def matches(self, route: str) -> bool:
        return self.remaining > 0 and (self.route is None or self.route == route)
