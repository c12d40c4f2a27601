"""The sandbox driven over HTTP, as when it runs as a process of its own."""

import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests

from emag_connector.emag_api.sandbox import EmagSandbox

AUTH = ("seller", "secret")


@pytest.fixture
def served():
    sandbox = EmagSandbox(*AUTH)
    api = sandbox.start()
    yield api, api.rsplit("/api-3", 1)[0] + "/_sandbox"
    sandbox.stop()


def test_stats_count_the_api_calls_and_429s_not_the_control_calls(served):
    api, control = served
    for _ in range(4):  # the 4th call in a second meets the 3/s limit
        requests.post(f"{api}/vat/read", json={}, auth=AUTH, timeout=5)
    stats = requests.get(f"{control}/stats", auth=AUTH, timeout=5).json()
    assert stats["calls"] == {"vat/read": 4}
    assert stats["statuses"]["vat/read"] == {"200": 3, "429": 1}
    assert stats["rate_limited"] == 1
    assert stats["total"] == 4
    requests.post(f"{control}/reset_log", json={}, auth=AUTH, timeout=5)
    assert requests.get(f"{control}/stats", auth=AUTH, timeout=5).json()["total"] == 0


def test_lowered_limits_answer_429_until_reset(served):
    api, control = served
    answer = requests.post(
        f"{control}/limits", json={"other": [[6, 1]]}, auth=AUTH, timeout=5
    )
    assert answer.ok
    first = requests.post(f"{api}/vat/read", json={}, auth=AUTH, timeout=5)
    second = requests.post(f"{api}/vat/read", json={}, auth=AUTH, timeout=5)
    assert (first.status_code, second.status_code) == (200, 429)
    requests.post(f"{control}/limits", json={"reset": True}, auth=AUTH, timeout=5)
    assert requests.post(f"{api}/vat/read", json={}, auth=AUTH, timeout=5).ok


def test_bad_limits_and_credentials_are_refused(served):
    _api, control = served
    for body in ({"nope": [[1, 1]]}, {"other": [[0, 1]]}, {"other": "fast"}):
        answer = requests.post(f"{control}/limits", json=body, auth=AUTH, timeout=5)
        assert answer.status_code == 400
    answer = requests.get(f"{control}/stats", auth=("seller", "wrong"), timeout=5)
    assert answer.status_code == 401


def test_orders_seeded_over_http_are_read_through_the_api(served):
    api, control = served
    ids = requests.post(
        f"{control}/orders",
        json={"orders": [{"products": [{"product_id": 1, "sale_price": "10"}]}]},
        auth=AUTH,
        timeout=5,
    ).json()["ids"]
    read = requests.post(
        f"{api}/order/read", json={"data": {"id": ids[0]}}, auth=AUTH, timeout=5
    ).json()
    assert [order["id"] for order in read["results"]] == ids


def test_a_fault_injected_over_http(served):
    api, control = served
    answer = requests.post(
        f"{control}/fault",
        json={"kind": "5xx", "route": "vat/read", "status": 502},
        auth=AUTH,
        timeout=5,
    )
    assert answer.ok
    assert (
        requests.post(f"{api}/vat/read", json={}, auth=AUTH, timeout=5).status_code
        == 502
    )
    assert requests.post(f"{api}/vat/read", json={}, auth=AUTH, timeout=5).ok
    bad = requests.post(f"{control}/fault", json={"kind": "x"}, auth=AUTH, timeout=5)
    assert bad.status_code == 400


def test_a_customer_returns_part_of_a_finalized_order_and_eMAG_calls_back(served):
    api, control = served
    hits = []

    class Callback(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/emag/callback/t0k/return"
        answer = requests.post(
            f"{control}/callbacks", json={"return": url}, auth=AUTH, timeout=5
        )
        assert answer.ok
        lines = [
            {"product_id": 1, "sale_price": "10", "quantity": 2},
            {"product_id": 2, "sale_price": "5", "quantity": 1},
        ]
        (order_id,) = requests.post(
            f"{control}/orders",
            json={"orders": [{"products": lines, "status": 2}]},
            auth=AUTH,
            timeout=5,
        ).json()["ids"]
        # not finalized yet: no return
        answer = requests.post(
            f"{control}/returns", json={"order_id": order_id}, auth=AUTH, timeout=5
        )
        assert answer.status_code == 400
        assert "not finalized" in answer.json()["error"]
        requests.post(
            f"{control}/orders",
            json={"orders": [{"id": order_id, "products": lines, "status": 4}]},
            auth=AUTH,
            timeout=5,
        )
        answer = requests.post(
            f"{control}/returns",
            json={
                "order_id": order_id,
                "products": [{"product_id": 1, "quantity": 1}],
                "pickup_method": 2,
            },
            auth=AUTH,
            timeout=5,
        )
        emag_id = answer.json()["emag_id"]
        (rma,) = requests.post(
            f"{api}/rma/read", json={"emag_id": emag_id}, auth=AUTH, timeout=5
        ).json()["results"]
        assert (rma["order_id"], rma["request_status"], rma["pickup_method"]) == (
            order_id,
            2,
            2,
        )
        assert [(p["product_id"], p["quantity"]) for p in rma["products"]] == [(1, 1)]
        for _ in range(50):
            if hits:
                break
            time.sleep(0.05)
        assert hits == [f"/emag/callback/t0k/return?rma_id={emag_id}"]
    finally:
        server.shutdown()
