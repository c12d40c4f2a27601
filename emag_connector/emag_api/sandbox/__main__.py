"""Demo server: python -m emag_connector.emag_api.sandbox --port 8900 --seed-demo

With ``--state FILE`` what the sandbox holds is written to FILE every few
seconds and when it stops (SIGINT or SIGTERM), and read back when it starts:
a sandbox started again goes on where the last one stopped.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from ..platforms import PLATFORMS
from . import state
from .catalogue import seed_shop
from .core import EmagSandbox


def _stop(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m emag_connector.emag_api.sandbox",
        description="Local simulator of the eMAG Marketplace API (v4.4.9).",
    )
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default="demo")
    parser.add_argument(
        "--seed-demo",
        action="store_true",
        help="load demo data: catalogue, offers, orders (B2C, B2B, locker, card)",
    )
    parser.add_argument(
        "--demo-shop",
        action="store_true",
        help="load the demo shop's categories and eMAG catalogue (no offers, no "
        "orders: customers buy what the seller publishes, control route 'shop')",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="keep the sandbox's data in FILE (read at start, written every "
        "--save-every seconds and at the end)",
    )
    parser.add_argument("--save-every", type=float, default=5.0, metavar="SECONDS")
    parser.add_argument("--no-rate-limit", action="store_true")
    parser.add_argument(
        "--platform",
        default="emag_ro",
        choices=list(PLATFORMS),
    )
    args = parser.parse_args(argv)
    sandbox = EmagSandbox(
        username=args.username,
        password=args.password,
        rate_limit=not args.no_rate_limit,
        platform=args.platform,
    )
    restored = bool(args.state) and state.restore(sandbox, args.state)
    if args.seed_demo and not restored:
        sandbox.seed_demo()
    if args.demo_shop and not restored:
        seed_shop(sandbox)
    signal.signal(signal.SIGTERM, _stop)
    base_url = sandbox.start(port=args.port, host=args.host)
    sys.stdout.write(
        f"eMAG sandbox listening on {base_url} (user {args.username!r}); Ctrl-C stops\n"
    )
    sys.stdout.flush()
    try:
        while True:
            time.sleep(args.save_every if args.state else 3600)
            if args.state:
                state.save(sandbox, args.state)
    except KeyboardInterrupt:
        sys.stdout.write("stopping\n")
    finally:
        sandbox.stop()
        if args.state:
            state.save(sandbox, args.state)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
