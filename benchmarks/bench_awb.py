"""Validate the deliveries of N eMAG orders, then run the AWB jobs against the
sandbox.

    <odoo's python> benchmarks/bench_awb.py -d DATABASE [--orders 50]
        [--addons-path PATHS]

DATABASE must have emag_connector installed; everything is rolled back at the
end. Prints what the Validate button costs (SQL queries and seconds per
delivery, next to deliveries of plain sale orders), then the eMAG requests of
the jobs per route and the seconds they took under eMAG's rate limits, next to
the least time those limits allow.
"""

import math
import sys
import time
from collections import Counter

from odoo_bench import odoo_env, parse_args, row, sandbox_account

from odoo import Command

#: eMAG's limit for every route but orders (v4.4.9 §1.5)
OTHER_PER_SECOND = 3


def validate(env, pickings):
    """The Validate button on each delivery; (queries, seconds)."""
    cr = env.cr
    env.flush_all()
    before, started = cr.sql_log_count, time.monotonic()
    for picking in pickings:
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.with_context(skip_sms=True).button_validate()
    env.flush_all()
    return cr.sql_log_count - before, time.monotonic() - started


def main():
    args = parse_args(__doc__, "orders", 50)
    n = args.orders
    with odoo_env(args, rate_limit=False) as (env, sb):
        from odoo.addons.queue_job.job import Job

        romania = env.ref("base.ro")
        env.company.write({"country_id": romania.id, "phone": "0213000000"})
        product = env["product.product"].create(
            {"name": "Bench", "is_storable": True, "weight": 0.4}
        )
        account = sandbox_account(env, sb)
        env["emag.address"]._emag_import(account, account._emag_client())
        account.pickup_address_id = env["emag.address"].search(
            [("account_id", "=", account.id), ("address_type_id", "=", "2")],
            limit=1,
        )
        env["emag.offer"].create(
            {"account_id": account.id, "product_id": product.id, "emag_offer_id": 1}
        )
        env["stock.quant"]._update_available_quantity(
            product, account.warehouse_id.lot_stock_id, 10 * n
        )
        line = {"product_id": 1, "sale_price": "82.6446", "vat": "0.21"}
        orders = sb.seed_orders(
            [
                {
                    "status": 2,
                    "payment_mode_id": 1 if i % 3 else 3,
                    "products": [line],
                }
                for i in range(n)
            ]
        )
        for order in orders:
            env["emag.order"]._emag_import(account, order)
        bindings = env["emag.order"].search([("account_id", "=", account.id)])
        emag_pickings = bindings.sale_order_id.picking_ids
        plain_pickings = env["sale.order"].browse()
        for _i in range(n):
            sale = env["sale.order"].create(
                {
                    "partner_id": bindings[:1].sale_order_id.partner_id.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            sale.action_confirm()
            plain_pickings |= sale
        plain_pickings = plain_pickings.picking_ids

        plain = validate(env, plain_pickings)
        env["queue.job"].search([]).unlink()
        emag = validate(env, emag_pickings)
        sb.reset_log()
        started = time.monotonic()
        # the jobs the validation enqueued, and those they enqueue, in turn
        no_delay = env(context={"queue_job__no_delay": True})
        for uuid in env["queue.job"].search([]).mapped("uuid"):
            Job.load(no_delay, uuid).perform()
        jobs_seconds = time.monotonic() - started
        issued = env["emag.awb"].search_count([("state", "=", "issued")])
        labels = env["emag.awb"].search_count([("label_id", "!=", False)])
        print(f"{len(emag_pickings)} eMAG deliveries validated")
        for label, (queries, seconds) in (
            ("Validate, eMAG orders", emag),
            ("Validate, plain sale orders", plain),
        ):
            print(label)
            row("SQL queries per delivery", round(queries / n, 1))
            row("seconds per delivery", f"{seconds / n:.3f}")
        print("AWB jobs")
        row("AWBs issued / labels attached", f"{issued} / {labels}")
        calls = Counter(call.route for call in sb.calls())
        for route, count in sorted(calls.items()):
            row(f"requests {route}", count)
        other = sum(c for r, c in calls.items() if not r.startswith("order/"))
        row("requests per AWB", f"{sum(calls.values()) / n:.1f}")
        row("HTTP 429 answers", sum(1 for c in sb.calls() if c.status == 429))
        row("seconds", f"{jobs_seconds:.1f}")
        least = max(0, math.ceil(other / OTHER_PER_SECOND) - 1)
        row("least the 3/s limit allows", f"{least} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
