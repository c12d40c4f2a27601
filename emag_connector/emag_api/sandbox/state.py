"""The sandbox's state on disk, so that a sandbox started again holds what
the last one held, as eMAG does: offers, orders, returns, AWBs, invoices,
reference data and the next ids (``python -m emag_connector.emag_api.sandbox
--state FILE``).

Every public attribute of the sandbox that holds plain data is kept, and
its next ids, but not its machinery (the call log, faults, rate limiter,
server) nor what its command line gives (credentials, platform). Dicts
keyed by integers (orders by id) are written as lists of pairs, since JSON
keys are strings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: attributes that are not eMAG's data
NOT_STATE = frozenset(
    {
        "username",
        "password",
        "platform",
        "country_code",
        "site_url",
        "allowed_ips",
        "rate_limit",
        "client_ip_override",
        "requests",
        "callbacks_fired",
        "base_url",
    }
)
#: private attributes that are eMAG's data
PRIVATE_STATE = frozenset({"_ids"})
PLAIN = (dict, list, str, int, float, bool, type(None))
INT_KEYED = "__int_keyed__"
VERSION = 1


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if value and all(isinstance(k, int) for k in value):
            return {INT_KEYED: [[k, _encode(v)] for k, v in value.items()]}
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {INT_KEYED}:
            return {int(k): _decode(v) for k, v in value[INT_KEYED]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _is_state(name: str) -> bool:
    if name.startswith("_"):
        return name in PRIVATE_STATE
    return name not in NOT_STATE


def dump(sandbox) -> dict:
    """The sandbox's data as JSON-ready values (taken under its lock)."""
    with sandbox._lock:
        data = {
            name: _encode(value)
            for name, value in vars(sandbox).items()
            if _is_state(name) and isinstance(value, PLAIN)
        }
        # validate now: a value JSON cannot hold fails here, not half-written
        return json.loads(json.dumps({"version": VERSION, "state": data}))


def load(sandbox, saved: dict) -> None:
    """Put back what ``dump`` gave (attributes it does not name are kept)."""
    if saved.get("version") != VERSION:
        raise ValueError(f"unknown sandbox state version {saved.get('version')!r}")
    with sandbox._lock:
        for name, value in saved["state"].items():
            if _is_state(name):
                setattr(sandbox, name, _decode(value))


def save(sandbox, path) -> None:
    """Write the state to ``path`` atomically (a reader never sees half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dump(sandbox), ensure_ascii=False)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def restore(sandbox, path) -> bool:
    """Load the state saved at ``path``; False when there is none yet."""
    path = Path(path)
    if not path.exists():
        return False
    load(sandbox, json.loads(path.read_text(encoding="utf-8")))
    return True
