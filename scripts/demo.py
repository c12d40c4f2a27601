"""See the eMAG connector work, in one command: ``scripts/demo`` (which runs
this file with the Python of the ``odoo`` command).

1. The database (``--db``, default ``emag_demo``): made once, without demo
   data, for a Romanian company (county, VAT number, RON), with both addons
   and queue_job, then used again; a database the demo did not make is left
   alone.
2. The eMAG sandbox, in a process of its own, with the demo shop's eMAG
   categories and catalogue; what it holds is kept in ``sandbox.json`` of
   the work directory, so that a second run goes on where the first stopped.
3. In Odoo: the shop's 30 products with EANs and stock, an eMAG account on
   the sandbox (reference data, taxes, courier, pickup address), and an
   offer for each product, published by the job runner.
4. Odoo with workers and the queue_job runner, behind a small proxy on
   ``--port`` that sends the web client's websocket to Odoo's gevent server
   and everything else to the workers, as nginx does in production.
5. Customers buy: the first time, a few hundred orders placed over the last
   days, then one order every ``--every`` seconds; eMAG calls the connector's
   callback for each. The first time, the warehouse also ships a few orders
   (AWBs) and customers return some of them.

Ctrl-C stops Odoo, the sandbox and the orders; running it again is safe
(nothing is made twice). ``--reset`` starts over with a new database.
"""

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import demo_setup
import psycopg2
from demo_processes import ROOT, Processes, Sandbox, free_port, port_taken, wait_for
from demo_proxy import Proxy
from demo_setup import account_of, in_odoo
from demo_shop import Shop

import odoo
from odoo.modules.registry import Registry
from odoo.tools import SQL

ADDONS = "emag_connector,emag_connector_efactura_bridge"
#: the options of the user's Odoo configuration that reach its database
DB_OPTIONS = ("db_host", "db_port", "db_user", "db_password", "db_sslmode")


def parse_args():
    parser = argparse.ArgumentParser(
        prog="scripts/demo",
        description="Start Odoo with the eMAG connector on the project's eMAG "
        "sandbox, and watch orders arrive. Ctrl-C stops everything it started.",
    )
    parser.add_argument("--db", default="emag_demo", help="database (emag_demo)")
    parser.add_argument("--port", type=int, default=8069, help="Odoo's port (8069)")
    parser.add_argument(
        "--interface",
        default="127.0.0.1",
        help="address Odoo listens on (127.0.0.1; 0.0.0.0 for every one)",
    )
    parser.add_argument(
        "--orders",
        type=int,
        default=300,
        help="orders placed over the last days, the first time (300)",
    )
    parser.add_argument(
        "--days", type=float, default=2, help="days those orders span (2)"
    )
    parser.add_argument(
        "--every",
        type=float,
        default=6,
        help="seconds between two new orders afterwards (6; 0: none)",
    )
    parser.add_argument("--workers", type=int, default=3, help="Odoo workers (3)")
    parser.add_argument(
        "--no-serve",
        action="store_true",
        help="stop once the orders are imported (and the returns, the first "
        "time), print the figures, exit 1 if any is missing",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=900,
        help="seconds --no-serve waits for the orders (900)",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="drop the database and the sandbox's data first, and start over",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where the configuration, logs and sandbox data go "
        "(~/.local/state/emag-demo/DB)",
    )
    return parser.parse_args()


def say(started, message):
    elapsed = int(time.monotonic() - started)
    print(f"[{elapsed // 60:2d}m{elapsed % 60:02d}s] {message}", flush=True)


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def user_config():
    """The user's Odoo configuration (its addons path and database access)."""
    odoo.tools.config.parse_config([], setup_logging=False)
    return {k: odoo.tools.config.get(k) for k in ("addons_path", *DB_OPTIONS)}


def check_odoo():
    """Odoo 18 with the addons' Python dependencies and queue_job."""
    if odoo.release.version_info[:2] != (18, 0):
        sys.exit(f"The demo needs Odoo 18.0, not {odoo.release.version}.")
    from odoo.modules.module import get_module_path, initialize_sys_path

    initialize_sys_path()
    missing = [m for m in ("pydantic", "requests") if not _importable(m)]
    if not get_module_path("queue_job", display_warning=False):
        missing.append("odoo-addon-queue-job==18.0.1.7.0")
    if missing:
        sys.exit(
            f"Odoo's Python lacks {', '.join(missing)}: install them with\n"
            f"    {sys.executable} -m pip install {' '.join(missing)}"
        )


def _importable(name):
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def write_config(path, args, user, workdir, ports):
    """Odoo's configuration for the demo: the user's database access, the
    addons of this repository, workers and the job runner, on local ports
    behind the demo's proxy (``ports``: HTTP, websocket)."""
    lines = [
        "[options]",
        f"addons_path = {user['addons_path']},{ROOT}",
        f"db_name = {args.db}",
        f"dbfilter = ^{args.db}$",
        "http_interface = 127.0.0.1",
        f"http_port = {ports[0]}",
        f"gevent_port = {ports[1]}",
        f"workers = {args.workers}",
        "max_cron_threads = 1",
        "server_wide_modules = base,web,queue_job",
        f"logfile = {workdir / 'odoo.log'}",
        "log_level = info",
        "list_db = False",
        "without_demo = all",
        *(f"{key} = {user[key]}" for key in DB_OPTIONS if user.get(key)),
        "[queue_job]",
        # one worker stays free for the web client; imports one at a time
        f"channels = root:{max(args.workers - 1, 1)},root.emag.orders.import:1",
    ]
    path.write_text("\n".join(lines) + "\n")


def database_state(db):
    """None (no database), "ready" (made by the demo, with both addons) or
    "other" (a database the demo did not make: left alone)."""
    try:
        databases = odoo.service.db.list_dbs(True)
    except psycopg2.OperationalError as exc:
        sys.exit(f"PostgreSQL cannot be reached: {exc}")
    if db not in databases:
        return None
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' "
            "AND name IN %s",
            [tuple(ADDONS.split(","))],
        )
        installed = cr.fetchone()[0] == 2
        cr.execute(
            "SELECT 1 FROM ir_config_parameter WHERE key = %s", [demo_setup.MARK]
        )
        return "ready" if installed and cr.fetchone() else "other"


def drop_database(db):
    Registry.delete(db)
    odoo.sql_db.close_db(db)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        odoo.service.db._drop_conn(cr, db)
        cr.execute(SQL("DROP DATABASE %s", SQL.identifier(db)))


def run_odoo(odoo_bin, config, workdir, *options):
    log = workdir / "install.log"
    command = [odoo_bin, "-c", str(config), f"--logfile={log}", "--stop-after-init"]
    with open(log, "ab") as out:
        done = subprocess.run([*command, *options], stdout=out, stderr=out, check=False)
    if done.returncode:
        tail = log.read_text(errors="replace").splitlines()[-30:]
        sys.exit("Odoo failed (log: {}):\n{}".format(log, "\n".join(tail)))


def create_database(args, odoo_bin, config, workdir, started):
    say(started, f"Creating the database {args.db} (1 to 3 minutes)...")
    run_odoo(odoo_bin, config, workdir, "-d", args.db, "-i", "base")
    in_odoo(args.db, demo_setup.setup_company)
    Registry.delete(args.db)
    run_odoo(odoo_bin, config, workdir, "-d", args.db, "-i", ADDONS)
    in_odoo(args.db, demo_setup.mark)
    say(started, f"Database {args.db} ready: both addons, queue_job, RON, l10n_ro.")


def database(args, odoo_bin, config, workdir, started):
    """The demo's database: made, made again (``--reset``) or used again."""
    state = database_state(args.db)
    if args.reset:
        if state:
            drop_database(args.db)
            say(started, f"Dropped the database {args.db}.")
        for name in ("sandbox.json", "sandbox.log", "odoo.log", "odoo.out"):
            (workdir / name).unlink(missing_ok=True)
        state = None
    if state == "other":
        sys.exit(
            f"The database {args.db} was not made by the demo (or not to the "
            "end): choose another name (--db), or drop it and start over "
            "(--reset)."
        )
    if state is None:
        create_database(args, odoo_bin, config, workdir, started)
    else:
        say(started, f"Using the database {args.db} (re-run: nothing is made twice).")

    kept = workdir / "sandbox.json"
    if not kept.exists() and in_odoo(args.db, lambda env: bool(account_of(env))):
        sys.exit(
            f"The sandbox's data of {args.db} is gone ({kept}), but the database "
            "has its orders: start over with --reset."
        )


def banner(args, workdir):
    url = f"http://127.0.0.1:{args.port}"
    every = f"one every {args.every:g} seconds" if args.every else "none"
    print(
        f"""
  Odoo is up: {url}/web/login   login admin, password admin
  database {args.db}; logs and sandbox data in {workdir}

  What to click first:
    1. eMAG > Orders: eMAG's orders coming in through its callbacks
       (new ones: {every}); open one, then its sale order.
    2. eMAG > Offers: the shop's 30 offers on the sandbox, published by
       the job runner (price without VAT, stock sent, eMAG's validation).
    3. On a sale order, the Delivery button, then Validate: the connector
       issues the AWB on eMAG and attaches its label (eMAG > AWBs).
    4. eMAG > Returns and eMAG > Overview.

  Ctrl-C stops Odoo, the sandbox and the orders.
""",
        flush=True,
    )


def run(args, processes, started):
    workdir = (
        args.workdir
        or Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
        / "emag-demo"
        / args.db
    )
    workdir.mkdir(parents=True, exist_ok=True)
    odoo_bin = os.environ.get("ODOO_BIN") or shutil.which("odoo")
    if not odoo_bin:
        sys.exit("No Odoo 18 found: put the odoo command on PATH or set ODOO_BIN.")
    logging.basicConfig(
        filename=workdir / "demo.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)
    user = user_config()
    check_odoo()
    if port_taken(args.interface, args.port):
        sys.exit(f"Port {args.port} is taken: stop what uses it, or use --port.")
    config = workdir / "odoo.conf"
    ports = (free_port(), free_port())
    write_config(config, args, user, workdir, ports)
    odoo.tools.config.parse_config(["-c", str(config)], setup_logging=False)
    database(args, odoo_bin, config, workdir, started)
    sandbox = Sandbox(processes, workdir)
    base_url = f"http://127.0.0.1:{args.port}"

    from odoo.addons.emag_connector.emag_api.sandbox.catalogue import PRODUCTS

    def prepare(env):
        account = demo_setup.prepare(env, PRODUCTS, sandbox.api_url, base_url)
        return account.id, account.sudo().callback_token

    account_id, token = in_odoo(args.db, prepare)
    say(started, "Products, stock and the eMAG account ready.")
    server = processes.start(
        "Odoo", [odoo_bin, "-c", str(config)], workdir / "odoo.out"
    )
    proxy = Proxy(args.interface, args.port, *ports)
    proxy.start()
    processes.add(f"the proxy on port {args.port}", proxy.stop)
    wait_for(f"{base_url}/web/health", server, workdir / "odoo.log")
    callback = f"{base_url}/emag/callback/{token}"
    sandbox.control(
        "callbacks",
        {
            "order_new": f"{callback}/order",
            "order_cancellation": f"{callback}/cancellation",
            "return": f"{callback}/return",
            "awb": f"{callback}/awb",
            "documentation": f"{callback}/documentation",
        },
    )
    say(started, f"Odoo is up with {args.workers} workers and the job runner.")
    if not args.no_serve:
        banner(args, workdir)
    shop = Shop(args, sandbox, account_id, lambda message: say(started, message))
    shop.wait_for_offers()
    shop.start()
    return watch(args, shop, started)


def watch(args, shop, started):
    """Report what arrives, place an order every ``--every`` seconds; with
    ``--no-serve``, return once every order is in Odoo."""
    waiting_for_first = not shop.figures()["orders"]
    next_order = time.monotonic() + args.every
    deadline = time.monotonic() + args.timeout
    forget_calls = time.monotonic() + 600
    while True:
        time.sleep(2)
        figures = shop.figures()
        if waiting_for_first and figures["orders"]:
            waiting_for_first = False
            elapsed = time.monotonic() - started
            say(started, f"First order in Odoo, {elapsed:.0f} s after the start.")
        shop.report(figures)
        shop.step(figures)
        if args.no_serve:
            if shop.done(figures):
                for label, value in figures.items():
                    print(f"  {label:<22}{value}")
                return 0 if not figures["orders in exception"] else 1
            if time.monotonic() > deadline:
                say(started, "Timed out waiting for the orders.")
                return 1
        elif args.every and time.monotonic() >= next_order:
            shop.place(1)
            next_order = time.monotonic() + args.every
        if time.monotonic() >= forget_calls:  # the sandbox's log of calls
            shop.sandbox.control("reset_log", {})
            forget_calls = time.monotonic() + 600


def main():
    args = parse_args()
    started = time.monotonic()
    # Ctrl-C, even when started in the background (where SIGINT is ignored)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    signal.signal(signal.SIGHUP, stop_on_sigterm)
    processes = Processes()
    status = 1
    try:
        status = run(args, processes, started)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        status = 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second one waits
            signal.signal(signum, signal.SIG_IGN)
        processes.stop_all()
    return status


if __name__ == "__main__":
    sys.exit(main())
