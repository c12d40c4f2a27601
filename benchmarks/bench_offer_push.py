"""Channel quantities and a full push of N offers, in a real Odoo database.

    <odoo's python> benchmarks/bench_offer_push.py -d DATABASE [--offers 10000]
        [--addons-path PATHS]

DATABASE must have emag_connector installed. Everything the benchmark creates
(products, stock, offers) is rolled back at the end. eMAG is the sandbox, on a
localhost port, with its rate limits on the real clock; the connector paces
itself with the rate budget it shares through PostgreSQL, so a full push of
10,000 offers takes about a minute (200 requests at 3 a second).

Prints the SQL queries and seconds to compute the channel quantity of every
offer, and the requests of a full push against the lower bound ceil(N/50).
"""

import math
import sys
import time

from odoo_bench import odoo_env, parse_args, row, sandbox_account


def queries(cr):
    return cr.sql_log_count


def main():
    args = parse_args(__doc__, "offers", 10000)
    n = args.offers
    with odoo_env(args) as (env, sandbox):
        cr = env.cr
        warehouse = env["stock.warehouse"].search([], limit=1)
        account = sandbox_account(env, sandbox, warehouse_id=warehouse.id)
        started = time.monotonic()
        products = env["product.product"].create(
            [
                {"name": f"Bench {i}", "is_storable": True, "list_price": 100}
                for i in range(n)
            ]
        )
        env["stock.quant"].with_context(inventory_mode=True).create(
            [
                {
                    "product_id": p.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "inventory_quantity": 5 + i % 20,
                }
                for i, p in enumerate(products)
            ]
        ).action_apply_inventory()
        offers = env["emag.offer"].create(
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
        sandbox.seed_offers(
            [{"id": o.emag_offer_id, "status": 1, "sale_price": 100} for o in offers]
        )
        env.flush_all()
        print(f"setup of {n} products, their stock and offers")
        row("seconds", f"{time.monotonic() - started:.1f}")

        env.invalidate_all()
        before, started = queries(cr), time.monotonic()
        quantities = offers._emag_channel_quantities()
        elapsed = time.monotonic() - started
        print(f"channel quantities of {n} offers")
        row("SQL queries", queries(cr) - before)
        row("seconds", f"{elapsed:.2f}")
        row("offers with stock", sum(1 for q in quantities.values() if q))

        sandbox.reset_log()
        started = time.monotonic()
        sent = offers._emag_push(force=True)
        elapsed = time.monotonic() - started
        calls = sandbox.calls("offer/save")
        print(f"full push of {sent} offers")
        row("requests", len(calls))
        row("lower bound ceil(N/50)", math.ceil(n / 50))
        row("HTTP 429 received", sum(c.status == 429 for c in calls))
        row("seconds", f"{elapsed:.1f}")
        row("seconds eMAG's limits allow", max(0, math.ceil(len(calls) / 3) - 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
