"""Screenshots of the connector's main screens for the README, taken from a
running Odoo that has the connector and some orders (``scripts/demo``)::

    python scripts/screenshots.py --url http://127.0.0.1:8069 --db emag_demo

writes ``docs/images/overview.png`` (eMAG > Overview), ``offers.png`` (eMAG >
Offers), ``order.png`` (an imported eMAG order) and ``account.png`` (the first
eMAG account). It drives a headless Chromium (or Chrome) through its DevTools
protocol, as Odoo's own browser tests do, and needs only what they need: the
browser and the ``websocket-client`` package (Odoo's Python has both when it
runs the tours). No Odoo import: any Python with ``websocket-client`` will do.
"""

import argparse
import base64
import http.cookiejar
import itertools
import json
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from subprocess import DEVNULL, Popen

try:
    import websocket
except ImportError:  # pragma: no cover
    sys.exit("Install websocket-client: python -m pip install websocket-client")

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: (file, what to open, CSS selector present once the screen is drawn)
SCREENS = (
    (
        "overview.png",
        "action-emag_connector.emag_overview_action",
        ".o_kanban_record:not(.o_kanban_ghost)",
    ),
    (
        "offers.png",
        "action-emag_connector.emag_offer_action",
        ".o_list_view .o_data_row",
    ),
    (
        "order.png",
        "action-emag_connector.emag_order_action/{order}",
        ".o_form_view .o_field_widget[name=sale_order_id] a",
    ),
    (
        "account.png",
        "action-emag_connector.emag_account_action/{account}",
        ".o_form_view .o_field_widget[name=connection_state]",
    ),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069", help="Odoo's URL")
    parser.add_argument("--db", default="emag_demo", help="database (emag_demo)")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--size", default="1440x900", help="window size (1440x900)")
    parser.add_argument("--browser", help="Chromium or Chrome (found on PATH)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a screen")
    return parser.parse_args()


class Odoo:
    """A session on Odoo's JSON-RPC routes."""

    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self.rpc("/web/session/authenticate", db=db, login=login, password=password)

    def rpc(self, path, **params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
        request = urllib.request.Request(
            self.url + path,
            body.encode(),
            headers={"Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=60) as response:
            answer = json.load(response)
        if answer.get("error"):
            sys.exit(f"Odoo refused {path}: {answer['error']['data']['message']}")
        return answer["result"]

    def first_id(self, model, domain, order="id"):
        found = self.rpc(
            f"/web/dataset/call_kw/{model}/search",
            model=model,
            method="search",
            args=[domain],
            kwargs={"limit": 1, "order": order},
        )
        if not found:
            sys.exit(f"No {model} matching {domain}: run scripts/demo first.")
        return found[0]

    @property
    def session_id(self):
        return next(c.value for c in self.cookies if c.name == "session_id")


class Browser:
    """A headless Chromium driven through the DevTools protocol."""

    def __init__(self, executable, size):
        self.profile = tempfile.mkdtemp(prefix="emag-screenshots-")
        width, height = size.split("x")
        self.process = Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=DEVNULL,
            stderr=DEVNULL,
        )
        self.ids = itertools.count(1)
        self.ws = websocket.create_connection(
            self._page_socket(), suppress_origin=True, timeout=60
        )

    def _page_socket(self):
        port_file = Path(self.profile, "DevToolsActivePort")
        for _attempt in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
            pages = [t for t in json.load(answer) if t["type"] == "page"]
        return pages[0]["webSocketDebuggerUrl"]

    def send(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def shoot(self, url, selector, path, timeout):
        self.send("Page.navigate", url=url)
        ready = (
            f"!!document.querySelector({json.dumps(selector)})"
            " && !document.querySelector('.o_blockUI, .o_loading_indicator')"
        )
        deadline = time.monotonic() + timeout
        while not self.send("Runtime.evaluate", expression=ready)["result"].get(
            "value"
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url}: {selector} never appeared")
            time.sleep(0.25)
        time.sleep(1)  # fonts, icons and the last renders
        shot = self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    args = parse_args()
    executable = args.browser or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not executable:
        sys.exit("No Chromium or Chrome found: install one, or give --browser.")
    odoo = Odoo(args.url, args.db, args.login, args.password)
    records = {
        "account": odoo.first_id("emag.account", [], order="sequence, id"),
        # an order shipped (with its AWB) if there is one, else any imported
        "order": odoo.first_id(
            "emag.order",
            [("state", "=", "done"), ("sale_order_id", "!=", False)],
            order="finalized_date desc nulls last, id desc",
        ),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    browser = Browser(executable, args.size)
    try:
        browser.send("Page.enable")
        width, height = map(int, args.size.split("x"))
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.send(
            "Network.setCookie",
            name="session_id",
            value=odoo.session_id,
            url=odoo.url,
        )
        for name, route, selector in SCREENS:
            url = f"{odoo.url}/odoo/{route.format(**records)}"
            browser.shoot(url, selector, args.out / name, args.timeout)
            print(args.out / name)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
