"""eMAG Marketplace API v4.4.9 in plain Python (no Odoo import anywhere here).

- ``client``: the HTTP client, one method per route the connector uses;
- ``errors``: one exception type per cause of failure;
- ``platforms``: the five platforms, their country and currency by date;
- ``ratelimit``: the rate budgets of an eMAG account;
- ``batching``: pages, order date windows, save batches;
- ``schemas``: pydantic models of the payloads with eMAG's documented limits;
- ``status``: the order and return (RMA) status matrices;
- ``sandbox``: a local simulator of the API for tests, demos and benchmarks.
"""

from .client import EmagClient
from .errors import (
    EmagAuthError,
    EmagDocumentationError,
    EmagError,
    EmagNetworkError,
    EmagProtocolError,
    EmagRateLimited,
    EmagServerError,
    EmagValidationError,
)
from .platforms import PLATFORMS, currency_on, offer_currency_type
from .ratelimit import MemoryRateBudget, NoRateBudget, RateBudget

__all__ = [
    "PLATFORMS",
    "EmagAuthError",
    "EmagClient",
    "EmagDocumentationError",
    "EmagError",
    "EmagNetworkError",
    "EmagProtocolError",
    "EmagRateLimited",
    "EmagServerError",
    "EmagValidationError",
    "MemoryRateBudget",
    "NoRateBudget",
    "RateBudget",
    "currency_on",
    "offer_currency_type",
]
