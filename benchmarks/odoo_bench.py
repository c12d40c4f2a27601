"""What the benchmarks that run in an Odoo database share: their command line,
the superuser on the database with an eMAG sandbox beside it (all they do is
rolled back), an eMAG account on that sandbox, and the lines they print."""

import argparse
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
#: the sandbox's API user, in the benchmarks
AUTH = ("bench", "bench")


def parse_args(doc, count, default):
    """-d DATABASE, --<count> N and --addons-path; ``doc`` is the script's."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(f"--{count}", type=int, default=default)
    parser.add_argument("--addons-path", default=None)
    return parser.parse_args()


@contextmanager
def odoo_env(args, **sandbox_options):
    """``(env, sandbox)``: the superuser on ``args.database`` and an eMAG
    sandbox on a localhost port. Everything done in ``env`` is rolled back."""
    config_args = ["-d", args.database, "--log-level=warn"]
    if args.addons_path:
        config_args.append(f"--addons-path={args.addons_path},{ROOT}")
    odoo.tools.config.parse_config(config_args)
    from odoo.addons.emag_connector.emag_api.sandbox import EmagSandbox

    registry = Registry(args.database)
    with (
        registry.cursor() as cr,
        EmagSandbox("bench", "bench", **sandbox_options) as sandbox,
    ):
        try:
            yield api.Environment(cr, SUPERUSER_ID, {}), sandbox
        finally:
            cr.rollback()


def sandbox_account(env, sandbox, **values):
    """An eMAG account on the sandbox, which is eMAG Romania: a pricelist in
    RON, and the eMAG VAT rates of its orders named (21%, 0%)."""
    ron = env["emag.account"]._emag_currency("RON")
    ron.active = True
    pricelist = env["product.pricelist"].create(
        {"name": "eMAG RON bench", "currency_id": ron.id}
    )
    return env["emag.account"].create(
        {
            "name": "Benchmark",
            "platform": "custom",
            "api_url": sandbox.base_url,
            "username": "bench",
            "password": "bench",
            "custom_currency_id": ron.id,
            "pricelist_id": pricelist.id,
            "tax_map_ids": [
                Command.create({"vat_rate": rate, "tax_id": sale_tax(env, rate).id})
                for rate in (21, 0)
            ],
            **values,
        }
    )


def sale_tax(env, rate):
    """A Romanian sale tax, included in the price, of eMAG orders."""
    romania = env.ref("base.ro")
    group = env["account.tax.group"].create(
        {"name": f"TVA {rate} bench", "country_id": romania.id}
    )
    return env["account.tax"].create(
        {
            "name": f"TVA {rate}% bench",
            "amount": rate,
            "type_tax_use": "sale",
            "price_include_override": "tax_included",
            "country_id": romania.id,
            "tax_group_id": group.id,
            "company_id": env.company.id,
        }
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=120):
    for _ in range(seconds * 2):
        try:
            requests.get(url, timeout=2, auth=AUTH)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"nothing answers {url}")


class SandboxProcess:
    """The project's eMAG sandbox in a process of its own (as eMAG is, for the
    Odoo processes), driven through its control routes; ``base_url`` is its
    API's, like ``EmagSandbox.base_url``."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "emag_connector.emag_api.sandbox",
                f"--port={self.port}",
                f"--username={AUTH[0]}",
                f"--password={AUTH[1]}",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        wait_for(f"{self.base}/_sandbox/stats")
        self.base_url = f"{self.base}/api-3"

    def control(self, action, body=None):
        method = "GET" if body is None else "POST"
        response = requests.request(
            method, f"{self.base}/_sandbox/{action}", json=body, auth=AUTH, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def row(label, value):
    print(f"  {label:<36}{value}")
