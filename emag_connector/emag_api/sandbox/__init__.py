"""A local simulator of the eMAG Marketplace API (v4.4.9), standard library only.

    from emag_connector.emag_api.sandbox import EmagSandbox, FakeClock

    clock = FakeClock()
    with EmagSandbox(username="seller", password="secret", clock=clock) as sb:
        sb.seed_orders([{"id": 1}])
        ...  # call sb.base_url over HTTP

It follows the eMAG documentation, not the project's client, so that tests over
real HTTP catch the client's mistakes.  Run ``python -m
emag_connector.emag_api.sandbox --help`` for the demo server.
"""

from .clock import FakeClock, RealClock
from .core import ROUTES, EmagSandbox, RequestRecord
from .gateway import FAULT_KINDS, RATE_LIMITS

__all__ = [
    "FAULT_KINDS",
    "RATE_LIMITS",
    "ROUTES",
    "EmagSandbox",
    "FakeClock",
    "RealClock",
    "RequestRecord",
]
