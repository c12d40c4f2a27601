"""The sandbox's state on disk (state.py, ``--state FILE``): a sandbox
started again holds what the last one held."""

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from emag_connector.emag_api.sandbox import EmagSandbox, state
from emag_connector.emag_api.sandbox.catalogue import seed_shop

ROOT = Path(__file__).resolve().parent.parent
AUTH = ("seller", "secret")


def busy_sandbox():
    sandbox = EmagSandbox(*AUTH)
    seed_shop(sandbox)
    sandbox.seed_offers([{"id": 7, "name": "Boxa", "part_number_key": "DZ0201BBM"}])
    sandbox.seed_orders([{"products": [{"product_id": 7}]}])
    sandbox.acknowledgements[100001] = 1
    sandbox.callback_urls["order_new"] = "http://seller.example/order"
    sandbox.inject_fault("429")
    sandbox.requests.append("a call")
    return sandbox


def test_what_emag_holds_comes_back_with_its_integer_keys():
    before = busy_sandbox()
    after = EmagSandbox(*AUTH)
    state.load(after, state.dump(before))
    for name in ("offers", "offer_meta", "orders", "acknowledgements", "categories"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.catalogue == before.catalogue
    assert after.callback_urls == before.callback_urls
    assert after._ids == before._ids  # the next order gets the next id
    assert after.seed_orders([{}])[0]["id"] == 100002


def test_the_machinery_and_the_command_line_are_not_state():
    saved = state.dump(busy_sandbox())["state"]
    for name in ("requests", "username", "password", "platform", "_faults", "_lock"):
        assert name not in saved
    other = EmagSandbox("other", "credentials")
    state.load(other, {"version": 1, "state": saved})
    assert (other.username, other.requests, other._faults) == ("other", [], [])


def test_a_file_is_written_whole_and_read_back(tmp_path):
    path = tmp_path / "deep" / "sandbox.json"
    assert not state.restore(EmagSandbox(*AUTH), path)
    state.save(busy_sandbox(), path)
    assert [p.name for p in path.parent.iterdir()] == ["sandbox.json"]
    restored = EmagSandbox(*AUTH)
    assert state.restore(restored, path)
    assert list(restored.orders) == [100001]


def test_an_unknown_version_is_refused():
    with pytest.raises(ValueError):
        state.load(EmagSandbox(*AUTH), {"version": 99, "state": {}})


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(path):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "emag_connector.emag_api.sandbox",
            f"--port={port}",
            "--username=seller",
            "--password=secret",
            "--demo-shop",
            f"--state={path}",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    control = f"http://127.0.0.1:{port}/_sandbox"
    for _ in range(100):
        try:
            requests.get(f"{control}/stats", auth=AUTH, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.05)
    return process, control


def test_a_sandbox_process_stopped_and_started_again_goes_on(tmp_path):
    path = tmp_path / "sandbox.json"
    process, control = serve(path)
    try:
        requests.post(
            f"{control}/orders", json={"orders": [{}, {}]}, auth=AUTH, timeout=5
        )
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    assert len(json.loads(path.read_text())["state"]["orders"]["__int_keyed__"]) == 2
    process, control = serve(path)
    try:
        ids = requests.post(
            f"{control}/orders", json={"orders": [{}]}, auth=AUTH, timeout=5
        ).json()["ids"]
        held = requests.get(f"{control}/stats", auth=AUTH, timeout=5).json()["held"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
    assert ids == [100003]
    assert held["orders"] == 3
