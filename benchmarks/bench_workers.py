"""Drain eMAG orders through real Odoo workers and the job runner.

    <odoo's python> benchmarks/bench_workers.py -d DATABASE [--orders 200]
        [--customers 50] [--workers 4] [--faults 10] [--kill 0]
        [--campaign-rate R] [--odoo odoo] [--addons-path PATHS] [--check]

DATABASE must have emag_connector installed; it is copied to a throwaway
database (dropped at the end), where an eMAG account is set up on the
project's eMAG sandbox, started as a process of its own. Odoo is started on
the copy with ``--workers`` and the queue_job runner; every new-order
callback is delivered twice at once, while a pull reads the same orders, and
the sandbox answers some order reads with 502 (``--faults``). ``--kill N``
kills N Odoo worker processes during the drain (their jobs are requeued by
the connector's sweep). ``--campaign-rate R`` lowers the sandbox's limits to
R calls a second on every route without telling the connector, as eMAG does
on campaign days: the 429 answers must then stay few, because the first ones
slow down the budget all workers share. Prints the orders imported,
duplicate sale orders and partners, eMAG calls per order and per callback,
429 answers, jobs left started, ERROR lines and tracebacks in Odoo's log, and
the seconds to drain;
with ``--check``, exits 1 when any of those that must be zero is not.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from odoo_bench import AUTH, ROOT, SandboxProcess, free_port, row, wait_for

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

#: 429 answers allowed when eMAG lowers its limits without notice: each one
#: halves the shared pace, so a handful bring it under any lowered limit
CAMPAIGN_429S = 12


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--import-capacity",
        type=int,
        default=1,
        help="capacity of the channel root.emag.orders.import",
    )
    parser.add_argument("--faults", type=int, default=10, help="order reads -> 502")
    parser.add_argument("--kill", type=int, default=0, help="workers killed")
    parser.add_argument(
        "--campaign-rate",
        type=int,
        default=0,
        help="eMAG's lowered limit, in calls a second on every route",
    )
    parser.add_argument("--odoo", default="odoo", help="the odoo command")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--check", action="store_true")
    return parser.parse_args()


def setup(dbname, api_url):
    """The account, its taxes and one offer, committed in the copy."""
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ron = env["emag.account"]._emag_currency("RON")
        ron.active = True
        romania = env.ref("base.ro")
        group = env["account.tax.group"].create(
            {"name": "TVA workers", "country_id": romania.id}
        )
        tax = env["account.tax"].create(
            {
                "name": "TVA 21% workers",
                "amount": 21,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "country_id": romania.id,
                "tax_group_id": group.id,
            }
        )
        account = env["emag.account"].create(
            {
                "name": "eMAG workers",
                "platform": "custom",
                "api_url": api_url,
                "username": AUTH[0],
                "password": AUTH[1],
                "custom_currency_id": ron.id,
                "pricelist_id": env["product.pricelist"]
                .create({"name": "eMAG RON workers", "currency_id": ron.id})
                .id,
                "tax_map_ids": [Command.create({"vat_rate": 21, "tax_id": tax.id})],
            }
        )
        product = env["product.product"].create(
            {"name": "Workers", "default_code": "WORK-1", "is_storable": True}
        )
        env["stock.quant"]._update_available_quantity(
            product, account.warehouse_id.lot_stock_id, 100000
        )
        env["emag.offer"].create(
            {"account_id": account.id, "product_id": product.id, "emag_offer_id": 1}
        )
        return account.id, account.sudo().callback_token


def with_env(dbname, function):
    with Registry(dbname).cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}))


def jobs_by_state(dbname):
    def count(env):
        env.cr.execute("SELECT state, count(*) FROM queue_job GROUP BY state")
        return dict(env.cr.fetchall())

    return with_env(dbname, count)


def figures(dbname, account_id):
    queries = {
        "orders imported": "SELECT count(*) FROM emag_order WHERE account_id = %(a)s "
        "AND state = 'done'",
        "orders in exception": "SELECT count(*) FROM emag_order "
        "WHERE account_id = %(a)s AND state = 'exception'",
        "duplicate sale orders": "SELECT coalesce(sum(n - 1), 0) FROM (SELECT "
        "count(*) n FROM sale_order WHERE emag_order_id IS NOT NULL GROUP BY "
        "emag_order_id) s",
        "customers with two partners": "SELECT count(*) FROM (SELECT "
        "emag_customer_id FROM res_partner WHERE parent_id IS NULL AND "
        "emag_customer_id IS NOT NULL GROUP BY emag_customer_id, is_company "
        "HAVING count(*) > 1) s",
        "orders not acknowledged": "SELECT count(*) FROM emag_order "
        "WHERE account_id = %(a)s AND NOT coalesce(acknowledged, false)",
        "jobs failed": "SELECT count(*) FROM queue_job WHERE state = 'failed'",
        "jobs left started": "SELECT count(*) FROM queue_job WHERE state = 'started'",
    }

    def run(env):
        result = {}
        for label, query in queries.items():
            env.cr.execute(query, {"a": account_id})
            result[label] = env.cr.fetchone()[0]
        return result

    return with_env(dbname, run)


def kill_workers(server, count):
    """SIGKILL ``count`` HTTP workers of the Odoo master ``server`` (the master
    starts new ones)."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    for pid in random.sample(children, min(count, len(children))):
        os.kill(int(pid), signal.SIGKILL)


def drain(args, copy, server, started):
    """Wait until no job is left to run; kill workers on the way; requeue the
    jobs of the killed ones as the connector's cron does."""
    killed, swept = 0, time.monotonic()
    while time.monotonic() - started < args.timeout:
        states = jobs_by_state(copy)
        if killed < args.kill and states.get("done", 0) >= args.orders // 3:
            kill_workers(server, args.kill - killed)
            killed = args.kill
        waiting = sum(states.get(s, 0) for s in ("pending", "enqueued"))
        if not waiting and not states.get("started", 0):
            return
        if time.monotonic() - swept > 60:
            # the cron "requeue the jobs of workers that stopped", every minute
            with_env(copy, lambda env: env["queue.job"]._emag_requeue_dead_jobs())
            swept = time.monotonic()
        time.sleep(1)


def main():
    args = parse_args()
    config_args = ["--log-level=warn"]
    if args.addons_path:
        config_args.append(f"--addons-path={args.addons_path},{ROOT}")
    odoo.tools.config.parse_config(config_args)
    copy = f"{args.database}_workers_{int(time.time())}"
    subprocess.run(["createdb", "-T", args.database, copy], check=True)
    workdir = Path(tempfile.mkdtemp(prefix="emag-workers-"))
    log = workdir / "odoo.log"
    port = free_port()
    server = None
    sandbox = SandboxProcess()
    try:
        account_id, token = setup(copy, sandbox.base_url)
        random.seed(7)
        line = {"product_id": 1, "sale_price": "82.6446", "vat": "0.21"}
        customers = [
            5000000 + random.randrange(args.customers) for _ in range(args.orders)
        ]
        ids = sandbox.control(
            "orders",
            {
                "orders": [
                    {
                        "customer": {"id": cid, "name": f"Client {cid}"},
                        "products": [line],
                    }
                    for cid in customers
                ]
            },
        )["ids"]
        conf = workdir / "odoo.conf"
        conf.write_text(
            "[options]\n"
            f"addons_path = {odoo.tools.config['addons_path']}\n"
            f"db_name = {copy}\n"
            f"dbfilter = ^{copy}$\n"
            f"http_port = {port}\n"
            f"workers = {args.workers}\n"
            "max_cron_threads = 0\n"
            "server_wide_modules = base,web,queue_job\n"
            f"logfile = {log}\n"
            "log_level = info\n"
            "list_db = False\n"
            "[queue_job]\n"
            f"channels = root:{args.workers},"
            f"root.emag.orders.import:{args.import_capacity}\n"
        )
        server = subprocess.Popen([args.odoo, "-c", str(conf)])
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/web/health")
        sandbox.control("reset_log", {})
        if args.faults:
            sandbox.control(
                "fault",
                {
                    "kind": "5xx",
                    "count": args.faults,
                    "route": "order/read",
                    "status": 502,
                },
            )
        if args.campaign_rate:
            lowered = [[1, args.campaign_rate]]
            sandbox.control("limits", {"order": lowered, "other": lowered})
        started = time.monotonic()
        calls = ids * 2
        random.shuffle(calls)
        session = requests.Session()
        session.trust_env = False

        def callback(order_id):
            url = f"{base}/emag/callback/{token}/order?order_id={order_id}"
            return session.get(url, timeout=30).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = pool.map(callback, calls)
            with_env(
                copy,
                lambda env: env["emag.account"].browse(account_id).action_pull_orders(),
            )
            statuses = list(statuses)
        drain(args, copy, server, started)
        drained = time.monotonic() - started
        result = figures(copy, account_id)
        stats = sandbox.control("stats")
        text = log.read_text(errors="replace")
        reads = stats["calls"].get("order/read", 0)
        acks = stats["acknowledgements"]
        print(
            f"{args.orders} orders of {args.customers} customers, every callback "
            f"twice, a pull, {args.workers} workers, imports "
            f"{args.import_capacity} at a time, {args.faults} order reads "
            f"answered 502, {args.kill} workers killed"
            + (
                f", eMAG lowered to {args.campaign_rate} calls a second"
                if args.campaign_rate
                else ""
            )
        )
        row("callbacks answered 200", statuses.count(200))
        for label, value in result.items():
            row(label, value)
        row("orders acknowledged twice", sum(1 for n in acks.values() if n > 1))
        row("order/read calls", reads)
        row("order/read per order", round(reads / args.orders, 2))
        row("order/read per callback", round(reads / len(calls), 2))
        row("eMAG calls", stats["total"])
        row("HTTP 429 answered", stats["rate_limited"])
        row("ERROR lines in the log", text.count(" ERROR "))
        row("tracebacks in the log", text.count("Traceback"))
        row("seconds to drain", round(drained, 1))
        row("orders per second", round(args.orders / drained, 2))
        must_be_zero = [
            result["duplicate sale orders"],
            result["customers with two partners"],
            result["jobs left started"],
            result["orders not acknowledged"],
            args.orders - result["orders imported"],
        ]
        # eMAG's limits are known: none is overshot. Lowered without notice,
        # a few 429s teach the shared budget, not one per worker and call.
        if stats["rate_limited"] > (CAMPAIGN_429S if args.campaign_rate else 0):
            must_be_zero.append(stats["rate_limited"])
        if not args.kill:  # a killed worker is a real failure: the runner says so
            must_be_zero += [text.count(" ERROR "), text.count("Traceback")]
        if args.check and (any(must_be_zero) or reads > 1.1 * len(calls)):
            print("FAILED: a figure that must be zero is not")
            return 1
    finally:
        if server:
            server.terminate()
            server.wait(30)
        sandbox.stop()
        Registry.delete(copy)
        odoo.sql_db.close_db(copy)
        subprocess.run(["dropdb", "--if-exists", copy], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
