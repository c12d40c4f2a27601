"""Drain eMAG orders through real Odoo workers and the job runner.

    <odoo's python> benchmarks/bench_workers.py -d DATABASE [--orders 200]
        [--customers 50] [--workers 4] [--odoo odoo] [--addons-path PATHS]

DATABASE must have emag_connector installed; it is copied to a throwaway
database (dropped at the end), where an eMAG account is set up on a sandbox
served by this process. Odoo is started on the copy with ``--workers`` and
the queue_job runner; every new-order callback is delivered twice at once,
while a pull reads the same orders. Prints the orders imported, duplicate
sale orders and partners, eMAG calls per order, 429 answers, failed jobs,
ERROR lines and tracebacks in Odoo's log, and the seconds to drain.
"""

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from odoo_bench import ROOT, row

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry


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
    parser.add_argument("--odoo", default="odoo", help="the odoo command")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--timeout", type=int, default=900)
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(dbname, sandbox):
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
                "api_url": sandbox.base_url,
                "username": "bench",
                "password": "bench",
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


def pull(dbname, account_id):
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["emag.account"].browse(account_id).action_pull_orders()


def pending_jobs(dbname):
    with Registry(dbname).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM queue_job WHERE state IN "
            "('wait_dependencies', 'pending', 'enqueued', 'started')"
        )
        return cr.fetchone()[0]


def figures(dbname, account_id):
    with Registry(dbname).cursor() as cr:
        queries = {
            "imported": "SELECT count(*) FROM emag_order WHERE account_id = %(a)s "
            "AND state = 'done'",
            "exceptions": "SELECT count(*) FROM emag_order WHERE account_id = %(a)s "
            "AND state = 'exception'",
            "duplicate sale orders": "SELECT coalesce(sum(n - 1), 0) FROM (SELECT "
            "count(*) n FROM sale_order WHERE emag_order_id IS NOT NULL GROUP BY "
            "emag_order_id) s",
            "customers with two partners": "SELECT count(*) FROM (SELECT "
            "emag_customer_id FROM res_partner WHERE parent_id IS NULL AND "
            "emag_customer_id IS NOT NULL GROUP BY emag_customer_id, is_company "
            "HAVING count(*) > 1) s",
            "failed jobs": "SELECT count(*) FROM queue_job WHERE state = 'failed'",
        }
        result = {}
        for label, query in queries.items():
            cr.execute(query, {"a": account_id})
            result[label] = cr.fetchone()[0]
        return result


def main():
    args = parse_args()
    config_args = ["--log-level=warn"]
    if args.addons_path:
        config_args.append(f"--addons-path={args.addons_path},{ROOT}")
    odoo.tools.config.parse_config(config_args)
    from odoo.addons.emag_connector.emag_api.sandbox import EmagSandbox

    copy = f"{args.database}_workers_{int(time.time())}"
    subprocess.run(["createdb", "-T", args.database, copy], check=True)
    workdir = Path(tempfile.mkdtemp(prefix="emag-workers-"))
    log = workdir / "odoo.log"
    port = free_port()
    server = None
    sandbox = EmagSandbox("bench", "bench")
    sandbox.start()
    try:
        account_id, token = setup(copy, sandbox)
        random.seed(7)
        line = {"product_id": 1, "sale_price": "82.6446", "vat": "0.21"}
        customers = [
            5000000 + random.randrange(args.customers) for _ in range(args.orders)
        ]
        orders = sandbox.seed_orders(
            [
                {"customer": {"id": cid, "name": f"Client {cid}"}, "products": [line]}
                for cid in customers
            ]
        )
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
        for _ in range(120):
            try:
                if requests.get(f"{base}/web/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        sandbox.reset_log()
        started = time.monotonic()
        calls = [order["id"] for order in orders] * 2
        random.shuffle(calls)
        session = requests.Session()
        session.trust_env = False

        def callback(order_id):
            url = f"{base}/emag/callback/{token}/order?order_id={order_id}"
            return session.get(url, timeout=30).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            pull(copy, account_id)
            statuses = list(pool.map(callback, calls))
        while pending_jobs(copy) and time.monotonic() - started < args.timeout:
            time.sleep(1)
        drained = time.monotonic() - started
        result = figures(copy, account_id)
        text = log.read_text(errors="replace")
        print(
            f"{args.orders} orders of {args.customers} customers, every callback "
            f"twice, a pull, {args.workers} workers, imports "
            f"{args.import_capacity} at a time"
        )
        row("callbacks answered 200", statuses.count(200))
        for label, value in result.items():
            row(label, value)
        reads = sandbox.call_count("order/read")
        row("order/read calls", reads)
        row("order/read per order", round(reads / args.orders, 2))
        row("eMAG calls", sandbox.call_count())
        row("HTTP 429 answered", sum(r.status == 429 for r in sandbox.requests))
        row("ERROR lines in the log", text.count(" ERROR "))
        row("tracebacks in the log", text.count("Traceback"))
        row("seconds to drain", round(drained, 1))
        row("orders per second", round(args.orders / drained, 2))
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
