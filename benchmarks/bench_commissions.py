"""eMAG's commission of N published offers, read at the rate budget's pace.

    <odoo's python> benchmarks/bench_commissions.py -d DATABASE [--offers 10000]
        [--addons-path PATHS]

DATABASE must have emag_connector installed; everything is rolled back at the
end. eMAG is the project's sandbox in a process of its own, with its rate
limits on the real clock: the commission estimate is one GET per offer on the
budget of "other" routes (3 a second), so 10,000 offers take at least 55
minutes, during which stock and price pushes share the same budget.

Prints the calls against N, the 429 answers, the SQL queries, the seconds
against the shortest time eMAG's limits allow, and how many commissions and
margins became known.
"""

import math
import sys
import time

from odoo_bench import SandboxProcess, odoo_env, parse_args, row, sandbox_account


def main():
    args = parse_args(__doc__, "offers", 10000)
    n = args.offers
    with SandboxProcess() as sandbox, odoo_env(args) as (env, _local):
        cr = env.cr
        account = sandbox_account(env, sandbox)
        products = (
            env["product.product"]
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(
                [
                    {"name": f"Bench {i}", "list_price": 121, "standard_price": 60}
                    for i in range(n)
                ]
            )
        )
        offers = env["emag.offer"].create(
            [
                {"account_id": account.id, "product_id": p.id, "state": "published"}
                for p in products
            ]
        )
        for offer in offers:
            offer.pushed_values = {"sale_price": 100.0}
        sandbox.control(
            "offers",
            {
                "offers": [
                    {"id": o.emag_offer_id, "status": 1, "sale_price": 100}
                    for o in offers
                ]
            },
        )
        env.flush_all()
        sandbox.control("reset_log", {})
        before, started = cr.sql_log_count, time.monotonic()
        offers._job_read_commissions()
        env.flush_all()
        elapsed = time.monotonic() - started
        stats = sandbox.control("stats")
        calls = stats["calls"].get("commission/estimate", 0)
        floor = max(0, math.ceil(calls / 3) - 1)
        print(f"commissions of {n} offers")
        row("calls", calls)
        row("HTTP 429 received", stats["rate_limited"])
        row("SQL queries", cr.sql_log_count - before)
        row("SQL queries per offer", round((cr.sql_log_count - before) / n, 1))
        row("seconds", f"{elapsed:.1f}")
        row("seconds eMAG's limits allow", floor)
        row("share of eMAG's budget used", f"{floor / elapsed:.1%}")
        row("commissions known", len(offers.filtered("commission_known")))
        row("margins known", len(offers.filtered("margin_known")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
