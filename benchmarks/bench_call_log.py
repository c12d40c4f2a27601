"""What writing the call log costs each eMAG call, in a real Odoo database.

    <odoo's python> benchmarks/bench_call_log.py -d DATABASE [--calls 300]
        [--addons-path PATHS]

DATABASE must have emag_connector installed. Three calls are made to the
sandbox (an order read with its customer, a save of 50 offers, a save eMAG
refuses) and what the client's hook received is written N times each by the
account's call log writer, as every call is: on a cursor of its own, committed
at once. The rows are written for real: the account is committed in a cursor
of its own and removed at the end, with its rows.

Prints the milliseconds a row costs the caller, with its bodies (a failure,
or a sampled success) and without, next to the interval between two calls
that eMAG's rate limits allow (83 ms on the orders routes, 333 ms on the
others).
"""

import time

from odoo_bench import odoo_env, parse_args, row

from odoo import SUPERUSER_ID, api


def captured_calls(sandbox):
    """The hook's entries of three calls, from a client without a budget."""
    from odoo.addons.emag_connector.emag_api import EmagClient, NoRateBudget

    entries = []
    client = EmagClient(
        sandbox.base_url,
        "bench",
        "bench",
        budget=NoRateBudget(),
        call_log=entries.append,
    )
    (order,) = sandbox.seed_orders([{"customer": {"name": "Ion Bench"}}])
    client.read_order(order["id"], 3)
    offers = [{"id": i, "status": 1, "sale_price": 10} for i in range(1, 51)]
    sandbox.seed_offers(offers)
    client.save_light_offers([{"id": i, "sale_price": 12} for i in range(1, 51)])
    sandbox.inject_fault("is_error", route="offer/save", messages=["Refused"])
    client.save_light_offers([{"id": 1, "sale_price": 1}])
    return entries


def main():
    args = parse_args(__doc__, "calls", 300)
    with odoo_env(args) as (env, sandbox):
        registry = env.registry
        # committed before the benchmark's transaction starts, which then sees it
        with registry.cursor() as cr:
            committed = api.Environment(cr, SUPERUSER_ID, {})
            account = committed["emag.account"].create(
                {
                    "name": "Call log benchmark",
                    "platform": "custom",
                    "api_url": sandbox.base_url,
                    "username": "bench",
                    "password": "bench",
                    "custom_currency_id": committed.company.currency_id.id,
                }
            )
            account_id = account.id
        try:
            measure(env, env["emag.account"].browse(account_id), sandbox, args.calls)
        finally:
            with registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["emag.account"].browse(
                    account_id
                ).unlink()


def measure(env, account, sandbox, n):
    entries = captured_calls(sandbox)
    log = env["emag.call.log"]
    params = env["ir.config_parameter"]
    for sample in (0, 100):
        params.set_param("emag_connector.call_log_sample_percent", sample)
        write = log._emag_writer(account)
        print(f"call log rows, successes sampled at {sample}%")
        for entry in entries:
            started = time.perf_counter()
            for _i in range(n):
                write(entry)
            seconds = time.perf_counter() - started
            name = entry["route"] + (" refused" if entry["error"] else "")
            bodies = "bodies" if entry["error"] or sample else "no bodies"
            row(f"ms per row, {name} ({bodies})", round(seconds / n * 1000, 2))
    with env.registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM emag_call_log WHERE account_id = %s", [account.id]
        )
        row("rows written", cr.fetchone()[0])
        row("rows expected", 2 * n * len(entries))


if __name__ == "__main__":
    main()
