"""The processes the demo starts: the eMAG sandbox and Odoo, each in a
session of its own (a Ctrl-C reaches the demo only, which stops them in
order), and the ports they listen on."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from demo_setup import API_USER as AUTH

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_taken(interface, port):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((interface, port))
        except OSError:
            return True
    return False


class Processes:
    """What the demo started, stopped in the reverse order at the end."""

    def __init__(self):
        self.running = []

    def start(self, name, command, log, **options):
        with open(log, "ab") as out:
            process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the demo only
                **options,
            )
        self.running.append((name, lambda: stop_process(process)))
        return process

    def add(self, name, stop):
        self.running.append((name, stop))

    def stop_all(self):
        while self.running:
            name, stop = self.running.pop()
            stop()
            print(f"  stopped {name}", flush=True)


def stop_process(process):
    """SIGTERM, then SIGKILL to what is left of its process group (Odoo's
    workers, its job runner and websocket server)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class Sandbox:
    """The sandbox process with the demo shop, its data kept in the work
    directory; driven through its control routes."""

    def __init__(self, processes, workdir):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.api_url = f"{self.base}/api-3"
        self.process = processes.start(
            "the eMAG sandbox",
            [
                sys.executable,
                "-m",
                "emag_connector.emag_api.sandbox",
                f"--port={port}",
                f"--username={AUTH[0]}",
                f"--password={AUTH[1]}",
                "--demo-shop",
                f"--state={workdir / 'sandbox.json'}",
            ],
            workdir / "sandbox.log",
            cwd=ROOT,
        )
        wait_for(f"{self.base}/_sandbox/stats", self.process, workdir / "sandbox.log")

    def control(self, action, body=None):
        response = requests.request(
            "GET" if body is None else "POST",
            f"{self.base}/_sandbox/{action}",
            json=body,
            auth=AUTH,
            timeout=60,
        )
        return response.status_code, response.json()


def wait_for(url, process, log, seconds=180):
    """Until ``url`` answers; exits with the end of ``log`` if ``process``
    stops first."""
    for _ in range(seconds * 2):
        if process.poll() is not None:
            tail = log.read_text(errors="replace").splitlines()[-30:]
            sys.exit("It stopped (log: {}):\n{}".format(log, "\n".join(tail)))
        try:
            requests.get(url, timeout=2, auth=AUTH)
            return
        except requests.RequestException:
            time.sleep(0.5)
    sys.exit(f"Nothing answers {url} (log: {log}).")
