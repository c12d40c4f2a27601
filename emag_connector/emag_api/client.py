"""HTTP client of the eMAG Marketplace API v4.4.9.

Every call goes through ``EmagClient.call``: Basic auth, the account's rate
budget, connect/read timeouts, the response envelope check and the mapping of
each failure to one exception type (``errors.py``). Above it, one method per
route the connector uses (``routes.py``), reading all pages and splitting
saves into batches eMAG accepts. Callers pass and receive plain data (dicts,
lists); pydantic models from ``schemas`` may be passed to the save methods.
"""

import json
import threading
import time
from collections import namedtuple
from urllib.parse import urlsplit

import requests

from . import batching, ratelimit
from .errors import (
    EmagAuthError,
    EmagDocumentationError,
    EmagNetworkError,
    EmagProtocolError,
    EmagRateLimited,
    EmagServerError,
    EmagValidationError,
)
from .platforms import PLATFORMS
from .routes import EmagRoutes, as_payload

#: product_offer/save messages that mean nothing was saved (integrator lessons)
NOTHING_SAVED_MARKERS = (
    "maximum input vars",
    "already hold a product",
    "is a duplicated product",
    "already hold an offer",
    "is not a valid ean",
)


_thread = threading.local()


def calls_made():
    """HTTP requests sent to eMAG by this thread so far (all clients): a job
    counts its calls as the difference of two readings."""
    return getattr(_thread, "calls", 0)


def is_documentation_error(texts):
    """True when every message of a product_offer/save refusal is a documentation
    error, the one case where eMAG saves the offer anyway (1.4, 2.4.2).

    Anything else, or any message saying nothing was saved, is a refusal: taking
    a refused offer for saved would hide it, while the opposite only costs a
    resend, which is harmless.
    """
    lowered = [t.lower() for t in texts]
    return bool(lowered) and all(
        "documentation" in t and not any(m in t for m in NOTHING_SAVED_MARKERS)
        for t in lowered
    )


LOG_BODY_LIMIT = 20000
#: seconds after its slot past which a call takes a new slot
LATE_WAKEUP = ratelimit.GUARD * 2 / 3

BatchOutcome = namedtuple("BatchOutcome", "entities results error")


def message_text(message):
    """eMAG messages are strings or objects; make a readable line of each."""
    if isinstance(message, dict):
        for key in ("message", "msg", "error", "description"):
            if message.get(key):
                return str(message[key])
        return json.dumps(message, ensure_ascii=False, sort_keys=True)
    return str(message)


class EmagClient(EmagRoutes):
    """Client of one eMAG seller account on one platform (or the sandbox)."""

    def __init__(
        self,
        base_url,
        username,
        password,
        *,
        budget=None,
        budget_key=None,
        session=None,
        connect_timeout=10.0,
        read_timeout=30.0,
        sleep=time.sleep,
        clock=time.monotonic,
        max_rate_limit_retries=3,
        max_wait=60.0,
        call_log=None,
    ):
        self.base_url = base_url.rstrip("/")
        self.auth = (username, password)
        self.budget = budget or ratelimit.MemoryRateBudget()
        self.budget_key = budget_key or f"{self.base_url}|{username}"
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.sleep = sleep
        self.clock = clock
        self.max_rate_limit_retries = max_rate_limit_retries
        self.max_wait = max_wait
        self.call_log = call_log

    @classmethod
    def for_platform(cls, platform, username, password, **kw):
        return cls(PLATFORMS[platform].api_url, username, password, **kw)

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------

    def call(
        self,
        route,
        data=None,
        *,
        method="POST",
        params=None,
        binary=False,
        body=None,
        envelope=True,
    ):
        """Call ``route`` ("resource/action") and return the envelope's results.

        ``data`` is sent as ``{"data": data}``; ``body`` replaces that wrapper
        for the few routes that take another shape. ``binary`` routes return
        the bytes of a successful non-JSON answer (AWB labels). A ``route``
        starting with "/" is outside the API's base path (``/api/v1/...``);
        ``envelope=False`` returns its JSON answer as it is (it has no
        ``isError``).

        A 429 slows the shared budget down and is retried once eMAG's
        Retry-After has passed, up to ``max_rate_limit_retries`` times (the
        request was certainly not processed); every other failure raises
        at once, because a save that failed with a 5xx or a timeout may have
        been processed and only the caller knows whether it is safe to repeat.
        """
        attempt = 0
        while True:
            try:
                if body is None and data is not None:
                    body = {"data": data}
                return self._call_once(route, body, method, params, binary, envelope)
            except EmagRateLimited as exc:
                if exc.status == 429:
                    # eMAG itself refused: every worker on the budget slows down
                    wait = self.budget.slow_down(
                        self.budget_key, ratelimit.route_group(route), exc.retry_after
                    )
                else:  # the budget is used up for longer than max_wait
                    raise
                attempt += 1
                if (
                    attempt > self.max_rate_limit_retries
                    or exc.retry_after > self.max_wait
                ):
                    raise
                if wait > 0:
                    self.sleep(wait)

    def _call_once(self, route, body, method, params, binary, envelope=True):
        self._wait_for_slot(route)
        _thread.calls = calls_made() + 1
        url = f"{self.base_url}/{route}"
        if route.startswith("/"):
            root = urlsplit(self.base_url)
            url = f"{root.scheme}://{root.netloc}{route}"
        started = time.monotonic()
        response = error = None
        try:
            response = self.session.request(
                method,
                url,
                json=body,
                params=params,
                auth=self.auth,
                timeout=self.timeout,
                headers={"Accept": "application/json"},
            )
            return self._parse(route, response, binary, envelope)
        except requests.Timeout as exc:
            error = EmagNetworkError(
                f"eMAG did not answer {route} within {self.timeout[1]:g} seconds "
                f"(or the connection took over {self.timeout[0]:g} seconds).",
                route=route,
            )
            raise error from exc
        except requests.RequestException as exc:
            error = EmagNetworkError(
                f"Could not reach eMAG at {self.base_url} for {route}: {exc}",
                route=route,
            )
            raise error from exc
        except Exception as exc:
            error = exc
            raise
        finally:
            self._log(route, method, params, body, response, error, started)

    def _wait_for_slot(self, route):
        """Wait for the call's slot in the budget. A caller that wakes up well
        after its slot (a busy machine) takes a new one: calls sent late would
        bunch up with the next slots and meet eMAG's 429."""
        for _attempt in range(3):
            wait = self.budget.reserve(self.budget_key, ratelimit.route_group(route))
            if wait > self.max_wait:
                raise EmagRateLimited(
                    f"The eMAG rate budget for {route} is used up for the next "
                    f"{wait:.0f} seconds.",
                    route=route,
                    retry_after=wait,
                )
            started = self.clock()
            if wait > 0:
                self.sleep(wait)
            if self.clock() - started - wait <= LATE_WAKEUP:
                return

    def _parse(self, route, response, binary, envelope=True):
        status = response.status_code
        text = response.text if not binary else ""
        if status == 401:
            raise EmagAuthError(
                "eMAG refused the API username or password (HTTP 401). Check them, "
                "and that this eMAG user has been granted API rights.",
                cause="credentials",
                route=route,
                status=status,
                raw=text,
            )
        if status == 403:
            raise EmagAuthError(
                "eMAG refused this server's IP address (HTTP 403): ask eMAG "
                "Marketplace support to whitelist the public IP address of this "
                "Odoo server for your API user.",
                cause="ip_not_whitelisted",
                route=route,
                status=status,
                raw=text,
            )
        if status == 429:
            retry_after = _retry_after(response)
            raise EmagRateLimited(
                f"eMAG's rate limit was exceeded on {route}; retry in "
                f"{retry_after:g} seconds.",
                route=route,
                status=status,
                retry_after=retry_after,
                raw=text,
            )
        if status >= 500:
            raise EmagServerError(
                f"eMAG answered {route} with a server error (HTTP {status}).",
                route=route,
                status=status,
                raw=text[:LOG_BODY_LIMIT],
            )
        if (
            binary
            and status == 200
            and "json" not in response.headers.get("Content-Type", "")
        ):
            return response.content
        if binary:
            text = response.text
        try:
            answer = response.json()
        except ValueError:
            raise EmagProtocolError(
                f"eMAG answered {route} with something that is not JSON "
                f"(HTTP {status}): {text[:200]!r}",
                route=route,
                status=status,
                raw=text[:LOG_BODY_LIMIT],
            ) from None
        if not envelope:
            if status >= 400:
                raise EmagValidationError(
                    f"eMAG refused {route} (HTTP {status}): {text[:200]}",
                    route=route,
                    status=status,
                    messages=[text[:200]],
                    raw=answer,
                )
            return answer
        if not isinstance(answer, dict) or "isError" not in answer:
            raise EmagProtocolError(
                f"eMAG's answer to {route} has no isError key (HTTP {status}); "
                "the call was most likely not interpreted.",
                route=route,
                status=status,
                raw=answer,
            )
        messages = answer.get("messages") or []
        if not isinstance(messages, list):
            messages = [messages]
        if answer["isError"] is not False or status >= 400:
            texts = [message_text(m) for m in messages] or [f"HTTP {status}"]
            error_class = EmagValidationError
            if route == "product_offer/save" and is_documentation_error(texts):
                error_class = EmagDocumentationError
            raise error_class(
                f"eMAG refused {route}: " + "; ".join(texts),
                route=route,
                status=status,
                messages=texts,
                raw=answer,
            )
        return answer.get("results")

    def _log(self, route, method, params, body, response, error, started):
        if not self.call_log:
            return
        self.call_log(
            {
                "route": route,
                "method": method,
                "params": params,
                "request": _truncate(json.dumps(body, ensure_ascii=False))
                if body is not None
                else None,
                "status": response.status_code if response is not None else None,
                "response": _truncate(response.text)
                if response is not None
                and "json" in response.headers.get("Content-Type", "")
                else None,
                "error": type(error).__name__ if error else None,
                "error_message": str(error) if error else None,
                "duration": time.monotonic() - started,
            }
        )

    # ------------------------------------------------------------------
    # Generic helpers: all pages, save batches
    # ------------------------------------------------------------------

    def read_all(self, route, filters=None, page_size=batching.MAX_PAGE_SIZE):
        """Every item of a read route: page after page until a short page."""
        page_size = min(page_size, batching.MAX_PAGE_SIZE)
        page = 1
        while True:
            data = dict(filters or {}, currentPage=page, itemsPerPage=page_size)
            results = self.call(route, data)
            if results is None:
                results = []
            if not isinstance(results, list):
                raise EmagProtocolError(
                    f"eMAG answered {route} page {page} with a {type(results).__name__}"
                    " where a list was expected.",
                    route=route,
                    raw=results,
                )
            yield from results
            if len(results) < page_size:
                return
            page += 1

    def count(self, route, filters=None):
        results = self.call(route, dict(filters or {}))
        if isinstance(results, dict):
            for key in ("noOfItems", "count", "total"):
                if key in results:
                    return int(results[key])
        if isinstance(results, (int, str)):
            return int(results)
        raise EmagProtocolError(
            f"eMAG's answer to {route} holds no count: {results!r}", route=route
        )

    def save(self, route, entities):
        """Send ``entities`` in batches eMAG accepts; one outcome per batch.

        A batch eMAG refuses (``isError``) is reported in its outcome and the
        other batches still go; rate limits, server and network errors raise,
        since the whole push is worth retrying later.
        """
        payloads = [as_payload(e) for e in entities]
        try:
            batches = batching.save_batches(payloads)
        except batching.OversizedEntity as exc:
            raise EmagValidationError(str(exc), route=route) from None
        outcomes = []
        for batch in batches:
            try:
                outcomes.append(BatchOutcome(batch, self.call(route, batch), None))
            except EmagValidationError as exc:
                outcomes.append(BatchOutcome(batch, None, exc))
        return outcomes


def _retry_after(response):
    try:
        return max(float(response.headers.get("Retry-After", 1.0)), 0.0)
    except ValueError:
        return 1.0


def _truncate(text):
    if text and len(text) > LOG_BODY_LIMIT:
        return text[:LOG_BODY_LIMIT] + "..."
    return text
