"""What the call log keeps of one eMAG call, from the dict the client hands
to its ``call_log`` hook (``EmagClient._log``): the outcome, eMAG's messages,
the number of entities, the eMAG ids the call concerns, and the bodies with
personal data and secrets masked. The Odoo model ``emag.call.log`` stores
what ``call_record`` returns.

The client hands bodies over cut to ``LOG_BODY_LIMIT`` characters: of a
body cut short, the entities and results it holds in full are counted.
"""

import json
import re

from .awb import awb_ids
from .client import LOG_BODY_LIMIT, message_text

MASK = "***"
#: keys whose value is personal data, masked whatever it holds
PERSONAL_KEYS = frozenset(
    {
        "name",
        "firstname",
        "first_name",
        "lastname",
        "last_name",
        "street",
        "address",
        "zipcode",
        "postal_code",
        "observation",
        "observations",
    }
)
PERSONAL_PREFIXES = (
    "phone",
    "fax",
    "email",
    "contact",
    "iban",
    "bank",
    "beneficiary",
    "billing_",
    "shipping_",
    "customer",
    "pickup_",
    "receiver",
    "sender",
)
#: keys with a personal prefix that hold no personal data
NOT_PERSONAL = frozenset(
    {"shipping_tax", "shipping_tax_voucher_split", "pickup_method", "pickup_date"}
)
#: the kind of eMAG id that "id", "emag_id" and "productId" name, by resource
RESOURCE_KINDS = {
    "product_offer": "offer",
    "offer": "offer",
    "offer_stock": "offer",
    "commission": "offer",
    "smart-deals-price-check": "offer",
    "campaign_proposals": "offer",
    "order": "order",
    "awb": "awb",
    "rma": "rma",
}
OWN_ID_KEYS = ("id", "emag_id", "productId")
READ_ACTIONS = ("read", "count", "find")
#: keys naming an id of one kind on any route
KIND_KEYS = {"order_id": "order", "rma_id": "rma"}

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_COLON = re.compile(r"\s*:\s*")
_SCALAR = re.compile(r"[^,\]}\s]*")
#: strings, brackets, and the quote of a string cut short
_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]"]')
_WS = re.compile(r"\s*")
_IS_ERROR = re.compile(r'"isError"\s*:\s*(true|false)')
#: the secret part of the connector's own URLs (eMAG's callbacks, the
#: invoice PDFs eMAG downloads), slashes escaped or not
_URL_TOKEN = re.compile(r"(\\*/emag\\*/(?:callback|invoice\\*/\d+)\\*/)[^/\\?#&\s\"']+")


def is_personal(key):
    key = key.lower()
    return key not in NOT_PERSONAL and (
        key in PERSONAL_KEYS or key.startswith(PERSONAL_PREFIXES)
    )


def mask_personal_data(text):
    """A JSON text (whole or cut anywhere) with the value of every personal
    key replaced by "***", nested objects and lists included."""
    out, pos = [], 0
    while True:
        start = text.find('"', pos)
        string = _STRING.match(text, start) if start >= 0 else None
        if not string:  # no string left, or one cut short
            out.append(text[pos:])
            return "".join(out)
        colon = _COLON.match(text, string.end())
        if colon and is_personal(string.group()[1:-1]):
            out.append(text[pos : colon.end()])
            out.append(f'"{MASK}"')
            pos = _value_end(text, colon.end())
        else:
            out.append(text[pos : string.end()])
            pos = string.end()


def _value_end(text, pos):
    """Where the JSON value starting at ``pos`` ends (the text's end if cut)."""
    if text.startswith('"', pos):
        string = _STRING.match(text, pos)
        return string.end() if string else len(text)
    if not text.startswith(("{", "["), pos):
        return _SCALAR.match(text, pos).end()
    depth = 0
    for token in _NESTING.finditer(text, pos):
        if token.group() in ("{", "["):
            depth += 1
        elif token.group() in ("}", "]"):
            depth -= 1
            if not depth:
                return token.end()
        elif token.group() == '"':
            break
    return len(text)


def mask_secrets(text, secrets=()):
    """``text`` without the tokens of the connector's URLs nor ``secrets``."""
    if not text:
        return text
    text = _URL_TOKEN.sub(rf"\g<1>{MASK}", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


def redact(text, secrets=()):
    """A body as the log keeps it: personal data and secrets masked, and a
    note where the client cut it short."""
    if not text:
        return None
    cut = len(text) > LOG_BODY_LIMIT and text.endswith("...")
    if cut:
        text = text[:-3]
    text = mask_secrets(mask_personal_data(text), secrets)
    if len(text) > LOG_BODY_LIMIT:
        text = text[:LOG_BODY_LIMIT]
        cut = True
    if cut:
        text += f"\n[truncated: over {LOG_BODY_LIMIT} characters]"
    return text


def _leading_items(text, key):
    """The items of the list under ``key`` that a cut JSON text holds in full."""
    found = re.search(rf'"{re.escape(key)}"\s*:\s*\[', text)
    items = []
    if not found:
        return items
    decoder, pos = json.JSONDecoder(), found.end()
    while True:
        try:
            item, end = decoder.raw_decode(text, _WS.match(text, pos).end())
        except ValueError:
            return items
        end = _WS.match(text, end).end()
        if not text.startswith((",", "]"), end):  # a number cut short
            return items
        items.append(item)
        if text.startswith("]", end):
            return items
        pos = end + 1


def read_json(text, *list_keys):
    """The JSON value of a body; of a body cut short, a dict of what it holds
    in full: ``isError`` and the complete items of the lists ``list_keys``."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        value = {key: _leading_items(text, key) for key in list_keys}
    flag = _IS_ERROR.search(text)
    if flag:
        value["isError"] = flag.group(1) == "true"
    return value


def split_route(route):
    """``("offer_stock", [12])`` from "offer_stock/12": the route without the
    ids of its path, and those ids."""
    parts = (route or "").split("/")
    return "/".join(p for p in parts if not p.isdigit()), [
        int(p) for p in parts if p.isdigit()
    ]


def route_kind(route):
    """The kind of eMAG id the route's own ids are (offer, order, awb, rma)."""
    for part in route.split("/"):
        if part and part != "api" and not re.fullmatch(r"v\d+", part):
            return RESOURCE_KINDS.get(part)
    return None


def outcome(entry):
    error, status = entry.get("error"), entry.get("status")
    if not error:
        return "ok"
    if status == 429:
        return "rate_limited"
    if error in ("EmagValidationError", "EmagDocumentationError"):
        return "emag_error"
    if error == "EmagProtocolError":
        return "invalid"
    if status is None:
        return "network"
    return "http_error"


def concerned_ids(route, entities, params, results):
    """``{"order:12", ...}``: the eMAG ids a call concerns, from its path, its
    entities or filters, its query and, for an AWB issued, eMAG's answer."""
    name, path_ids = split_route(route)
    kind = route_kind(name)
    found = {(kind, i) for i in path_ids if kind}
    for item in [*entities, params or {}]:
        if not isinstance(item, dict):
            continue
        for key, value in item.items():
            item_kind = KIND_KEYS.get(key) or (kind if key in OWN_ID_KEYS else None)
            if item_kind and str(value).isdigit() and int(value):
                found.add((item_kind, int(value)))
    if name == "awb/save" and results:
        awb_id = awb_ids(results)["emag_id"]
        if awb_id:
            found.add(("awb", awb_id))
    return {f"{k}:{i}" for k, i in found}


def entity_count(route, method, data, results, ids):
    """The entities sent (a list of them, or one), or the results of a read."""
    if isinstance(data, list):
        return len(data)
    if method == "GET" or route.rsplit("/", 1)[-1].startswith(READ_ACTIONS):
        return len(results) if isinstance(results, list) else int(bool(results))
    return int(bool(data or ids))


def call_record(entry, keep_success=False, secrets=()):
    """The values the call log stores of one call. The bodies are kept for
    a failure, and for a success when ``keep_success``; ``secrets`` (the
    API password) are masked wherever they would appear."""
    name = split_route(entry.get("route"))[0]
    result = outcome(entry)
    request = read_json(entry.get("request"), "data")
    answer = read_json(entry.get("response"), "messages", "results")
    answer = answer if isinstance(answer, dict) else {}
    results = answer.get("results")
    data = request.get("data") if isinstance(request, dict) else None
    entities = data if isinstance(data, list) else [data]
    ids = concerned_ids(entry.get("route"), entities, entry.get("params"), results)
    messages = answer.get("messages") or []
    messages = messages if isinstance(messages, list) else [messages]
    # else the client's explanation, which may quote the start of the answer
    text = "\n".join(message_text(m) for m in messages) or mask_personal_data(
        entry.get("error_message") or ""
    )
    values = {
        "route": name,
        "method": entry.get("method"),
        "http_status": entry.get("status") or 0,
        "outcome": result,
        "is_error": bool(answer.get("isError")),
        "messages": mask_secrets(text, secrets)[:LOG_BODY_LIMIT] if text else None,
        "duration_ms": round((entry.get("duration") or 0) * 1000),
        "entity_count": entity_count(name, entry.get("method"), data, results, ids),
        "emag_ids": f" {' '.join(sorted(ids))} " if ids else None,
        "request_body": None,
        "response_body": None,
    }
    if result != "ok" or keep_success:
        sent = [entry.get("request")]
        if entry.get("params"):
            sent.insert(0, json.dumps(entry["params"], ensure_ascii=False))
        values["request_body"] = redact("\n".join(filter(None, sent)), secrets)
        values["response_body"] = redact(entry.get("response"), secrets)
    return values
