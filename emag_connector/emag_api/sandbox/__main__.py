"""Demo server: python -m emag_connector.emag_api.sandbox --port 8900 --seed-demo"""

from __future__ import annotations

import argparse
import sys
import time

from ..platforms import PLATFORMS
from .core import EmagSandbox


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
    if args.seed_demo:
        sandbox.seed_demo()
    base_url = sandbox.start(port=args.port, host=args.host)
    sys.stdout.write(
        f"eMAG sandbox listening on {base_url} (user {args.username!r}); Ctrl-C stops\n"
    )
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sys.stdout.write("stopping\n")
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
