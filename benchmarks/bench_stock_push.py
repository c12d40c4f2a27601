"""Push the stock of N offers through the client into the eMAG sandbox.

    python benchmarks/bench_stock_push.py --offers 1000

The sandbox runs on a localhost port with eMAG's rate limits on the real
clock; the client paces itself with its in-process rate budget. Prints the
requests made against the lower bound ceil(N/50), the 429 answers received,
and the elapsed time against the shortest time eMAG's limits allow for that
many requests.
"""

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emag_connector.emag_api import EmagClient
from emag_connector.emag_api.batching import MAX_ENTITIES
from emag_connector.emag_api.ratelimit import LIMITS, OTHER, next_slot
from emag_connector.emag_api.sandbox import EmagSandbox


def shortest_time(requests, limits):
    """Seconds from the first to the last of ``requests`` calls under ``limits``."""
    history = []
    for _ in range(requests):
        history.append(next_slot(history, 0.0, limits))
    return history[-1] if history else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=1000)
    args = parser.parse_args()
    n = args.offers

    with EmagSandbox(username="bench", password="bench") as sandbox:
        sandbox.seed_offers(
            [
                {
                    "id": i,
                    "status": 1,
                    "sale_price": 100,
                    "min_sale_price": 50,
                    "max_sale_price": 200,
                    "vat_id": 1,
                    "stock": [{"warehouse_id": 1, "value": 0}],
                }
                for i in range(1, n + 1)
            ]
        )
        client = EmagClient(sandbox.base_url, "bench", "bench")
        offers = [
            {"id": i, "stock": [{"warehouse_id": 1, "value": i % 100}]}
            for i in range(1, n + 1)
        ]
        started = time.monotonic()
        outcomes = client.save_light_offers(offers)
        elapsed = time.monotonic() - started

        calls = sandbox.calls("offer/save")
        refused = [o for o in outcomes if o.error]
        pushed = sum(
            sandbox.offers[i]["stock"][0]["value"] == i % 100 for i in range(1, n + 1)
        )
        requests = len(calls)
        print(f"offers pushed            {pushed} / {n}")
        print(f"requests made            {requests}")
        print(f"lower bound ceil(N/50)   {math.ceil(n / MAX_ENTITIES)}")
        print(f"HTTP 429 received        {sum(c.status == 429 for c in calls)}")
        print(f"batches refused          {len(refused)}")
        print(f"elapsed                  {elapsed:.2f} s")
        print(
            f"shortest time allowed    {shortest_time(requests, LIMITS[OTHER]):.2f} s "
            "(3 requests/s and 180/min, first burst free)"
        )
        return 0 if pushed == n and not refused else 1


if __name__ == "__main__":
    sys.exit(main())
