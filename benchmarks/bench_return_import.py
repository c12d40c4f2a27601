"""Import N eMAG return requests (already approved on eMAG) with their return
pickings, next to the same return pickings made with Odoo's return wizard.

    <odoo's python> benchmarks/bench_return_import.py -d DATABASE [--returns 200]
        [--addons-path PATHS]

DATABASE must have emag_connector installed; everything is rolled back at the
end. 2N orders are imported, shipped and finalized first (not measured). The
connector's pull then reads the N requests from the sandbox and imports each
(binding, lines, reason, checks against the order, the return picking); Odoo's
wizard makes a return picking of one unit for each of the N other deliveries.
Prints SQL queries, eMAG calls and seconds per return, and the ratio.
"""

import sys
import time
from datetime import timedelta

from odoo_bench import odoo_env, parse_args, row, sandbox_account

from odoo import fields


def main():
    args = parse_args(__doc__, "returns", 200)
    n = args.returns
    with odoo_env(args, rate_limit=False) as (env, sb):
        cr = env.cr
        deliveries = _shipped_orders(env, sb, 2 * n)
        mine, plain_ones = deliveries[:n], deliveries[n:]
        for binding, _picking in mine:
            sb.create_return(
                binding.emag_order_id,
                [{"product_id": 1, "quantity": 1}],
                request_status=3,
            )
        env.flush_all()
        account = mine[0][0].account_id
        calls_before = len(sb.requests)

        before, started = cr.sql_log_count, time.monotonic()
        env["emag.rma"].with_context(queue_job__no_delay=True)._job_pull_returns(
            account
        )
        env.flush_all()
        connector = (cr.sql_log_count - before, time.monotonic() - started)
        calls = len(sb.requests) - calls_before

        before, started = cr.sql_log_count, time.monotonic()
        for _binding, picking in plain_ones:
            wizard = env["stock.return.picking"].create({"picking_id": picking.id})
            wizard.product_return_moves.quantity = 1
            wizard._create_return()
        env.flush_all()
        plain = (cr.sql_log_count - before, time.monotonic() - started)

        returns = env["emag.rma"].search([("account_id", "=", account.id)])
        print(
            f"{len(returns)} eMAG returns imported, "
            f"{len(returns.return_picking_ids)} return pickings, "
            f"{len(returns.filtered(lambda r: r.state == 'exception'))} exceptions"
        )
        for label, (queries, seconds) in (
            ("connector import", connector),
            ("plain Odoo return pickings", plain),
        ):
            print(label)
            row("SQL queries per return", round(queries / n, 1))
            row("seconds per return", f"{seconds / n:.3f}")
        print("eMAG calls")
        row("rma/read calls for all", calls)
        row("calls per return", round(calls / n, 3))
        print("overhead of the connector")
        row("queries ratio", f"{connector[0] / plain[0]:.2f}")
        row("seconds ratio", f"{connector[1] / plain[1]:.2f}")
    return 0


def _shipped_orders(env, sb, count):
    """``count`` eMAG orders imported, delivered and finalized on eMAG:
    ``[(binding, delivery)]``."""
    product = env["product.product"].create(
        {"name": "Bench", "default_code": "BENCH", "is_storable": True}
    )
    account = sandbox_account(env, sb, delivery_action="none")
    env["emag.offer"].create(
        {"account_id": account.id, "product_id": product.id, "emag_offer_id": 1}
    )
    env["stock.quant"]._update_available_quantity(
        product, account.warehouse_id.lot_stock_id, 3 * count
    )
    line = {"product_id": 1, "sale_price": "82.6446", "vat": "0.21", "quantity": 2}
    sb.seed_orders([{"products": [line]} for _ in range(count)])
    now = fields.Datetime.now()
    orders = account._emag_client().read_orders(
        account._emag_local(now - timedelta(days=1)),
        account._emag_local(now + timedelta(minutes=5)),
    )
    shipped = []
    for order in orders:
        env["emag.order"]._emag_import(account, order)
    for binding in env["emag.order"].search([("account_id", "=", account.id)]):
        picking = binding.sale_order_id.picking_ids
        picking.move_ids.quantity = 2
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        with sb._lock:
            sb._finalize(sb.orders[binding.emag_order_id])
        shipped.append((binding, picking))
    return shipped


if __name__ == "__main__":
    sys.exit(main())
