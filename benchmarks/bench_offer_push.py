"""Quantities, prices and a full push of N offers, in a real Odoo database.

    <odoo's python> benchmarks/bench_offer_push.py -d DATABASE [--offers 10000]
        [--addons-path PATHS]

DATABASE must have emag_connector installed. Everything the benchmark creates
(products, stock, offers) is rolled back at the end. eMAG is the project's
sandbox, started as a process of its own, with its rate limits on the real
clock; the connector paces itself with the rate budget it shares through
PostgreSQL, so a full push of 10,000 offers takes about a minute (200
requests at 3 a second) and one of 100,000 offers about 11 minutes.

Prints the SQL queries and seconds to compute the quantity and the price of
every offer, and for the full push: the requests against the lower bound
ceil(N/50), the 429 answers, the SQL queries, the seconds against the
shortest time eMAG's limits allow, and the process's peak memory.
"""

import math
import resource
import sys
import time

from odoo_bench import SandboxProcess, odoo_env, parse_args, row, sandbox_account

#: products created per ORM call during the setup
SETUP_CHUNK = 5000


def main():
    args = parse_args(__doc__, "offers", 10000)
    n = args.offers
    with SandboxProcess() as sandbox, odoo_env(args) as (env, _local):
        cr = env.cr
        warehouse = env["stock.warehouse"].search([], limit=1)
        account = sandbox_account(env, sandbox, warehouse_id=warehouse.id)
        started = time.monotonic()
        quiet = env["product.product"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        offers = env["emag.offer"]
        for start in range(0, n, SETUP_CHUNK):
            products = quiet.create(
                [
                    {"name": f"Bench {i}", "is_storable": True, "list_price": 100}
                    for i in range(start, min(n, start + SETUP_CHUNK))
                ]
            )
            env["stock.quant"].sudo().create(
                [
                    {
                        "product_id": p.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "quantity": 5 + i % 20,
                    }
                    for i, p in enumerate(products)
                ]
            )
            offers |= offers.create(
                [
                    {
                        "account_id": account.id,
                        "product_id": p.id,
                        "min_sale_price": 50,
                        "max_sale_price": 200,
                        "state": "published",
                    }
                    for p in products
                ]
            )
            env.flush_all()
            env.invalidate_all()
        sandbox.control(
            "offers",
            {
                "offers": [
                    {"id": o.emag_offer_id, "status": 1, "sale_price": 100}
                    for o in offers
                ]
            },
        )
        print(f"setup of {n} products, their stock and offers")
        row("seconds", f"{time.monotonic() - started:.1f}")

        env.invalidate_all()
        before, started = cr.sql_log_count, time.monotonic()
        quantities = offers._emag_channel_quantities()
        prices = offers._emag_sale_prices()
        elapsed = time.monotonic() - started
        print(f"quantities and prices of {n} offers")
        row("SQL queries", cr.sql_log_count - before)
        row("seconds", f"{elapsed:.2f}")
        row("offers with stock", sum(1 for q in quantities.values() if q))
        row("offers with a price", sum(1 for p in prices.values() if p))

        env.invalidate_all()
        sandbox.control("reset_log", {})
        before, started = cr.sql_log_count, time.monotonic()
        sent = offers._emag_push(force=True)
        env.flush_all()
        elapsed = time.monotonic() - started
        stats = sandbox.control("stats")
        requests = stats["calls"].get("offer/save", 0)
        floor = max(0, math.ceil(requests / 3) - 1)
        print(f"full push of {sent} offers")
        row("requests", requests)
        row("lower bound ceil(N/50)", math.ceil(n / 50))
        row("HTTP 429 received", stats["rate_limited"])
        row("SQL queries", cr.sql_log_count - before)
        first, last = stats["spans"].get("offer/save", [0, 0])
        row("seconds", f"{elapsed:.1f}")
        row("seconds from first to last request", f"{last - first:.1f}")
        row("seconds eMAG's limits allow", floor)
        row("share of eMAG's budget used", f"{floor / elapsed:.1%}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        row("peak memory of the process (MB)", f"{peak:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
