"""What the call log keeps of a call (``emag_api/calllog.py``), from the
client's ``call_log`` hook over real HTTP to the sandbox."""

import json

import pytest

from emag_connector.emag_api import (
    EmagClient,
    EmagNetworkError,
    EmagProtocolError,
    EmagServerError,
    EmagValidationError,
    MemoryRateBudget,
    NoRateBudget,
)
from emag_connector.emag_api.calllog import (
    call_record,
    concerned_ids,
    mask_personal_data,
    mask_secrets,
    redact,
    split_route,
)
from emag_connector.emag_api.client import LOG_BODY_LIMIT
from emag_connector.emag_api.sandbox import EmagSandbox, FakeClock

CUSTOMER = {
    "name": "Ion Ascunsu",
    "phone_1": "0722999111",
    "email": "ion.ascunsu@example.com",
    "billing_street": "Strada Ascunsa 7",
    "shipping_contact": "Maria Ascunsu",
    "iban": "RO49AAAA1B31007593840000",
}
PERSONAL = [
    "Ascuns",
    "0722999111",
    "ion.ascunsu@example.com",
    "RO49AAAA1B31007593840000",
]


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sandbox(clock):
    with EmagSandbox(username="seller", password="s3cret-pass", clock=clock) as sb:
        yield sb


@pytest.fixture
def logged(sandbox, clock):
    """A client and the entries its hook received."""
    entries = []
    client = EmagClient(
        sandbox.base_url,
        "seller",
        "s3cret-pass",
        budget=MemoryRateBudget(clock=clock.time),
        sleep=clock.sleep,
        call_log=entries.append,
    )
    return client, entries


def record(entry, keep=False):
    return call_record(entry, keep, secrets=["s3cret-pass"])


def test_a_read_by_id_names_its_order_and_counts_its_results(sandbox, logged):
    client, entries = logged
    (order,) = sandbox.seed_orders([{"customer": CUSTOMER}])
    client.read_order(order["id"], 3)
    (entry,) = entries
    values = record(entry)
    assert values["route"] == "order/read"
    assert (values["method"], values["http_status"]) == ("POST", 200)
    assert (values["outcome"], values["is_error"]) == ("ok", False)
    assert values["emag_ids"] == f" order:{order['id']} "
    assert values["entity_count"] == 1
    assert values["duration_ms"] >= 0
    # a success keeps no body unless sampled
    assert values["request_body"] is None and values["response_body"] is None


def test_a_sampled_order_read_keeps_no_personal_data(sandbox, logged):
    client, entries = logged
    (order,) = sandbox.seed_orders([{"customer": CUSTOMER, "observation": "Ion"}])
    client.read_order(order["id"], 3)
    values = record(entries[0], keep=True)
    body = values["response_body"]
    assert str(order["id"]) in body and '"customer": "***"' in body
    assert '"observation": "***"' in body
    assert not any(text in body for text in PERSONAL)
    # what is not personal stays readable
    assert json.loads(body)["results"][0]["shipping_tax"] == order["shipping_tax"]


def test_a_save_counts_its_entities_and_names_every_offer(sandbox, logged):
    client, entries = logged
    sandbox.seed_offers([{"id": i, "status": 1, "sale_price": 10} for i in (7, 8, 9)])
    client.save_light_offers([{"id": i, "sale_price": 12} for i in (7, 8, 9)])
    values = record(entries[0])
    assert values["route"] == "offer/save"
    assert values["entity_count"] == 3
    assert values["emag_ids"] == " offer:7 offer:8 offer:9 "


def test_ids_in_the_path_leave_the_route(sandbox, logged):
    client, entries = logged
    sandbox.seed_offers([{"id": 12, "status": 1, "sale_price": 10}])
    client.update_stock(12, 4)
    values = record(entries[0])
    assert (values["route"], values["method"]) == ("offer_stock", "PATCH")
    assert values["emag_ids"] == " offer:12 "
    assert values["entity_count"] == 1
    assert split_route("/api/v1/commission/estimate/5") == (
        "/api/v1/commission/estimate",
        [5],
    )
    assert split_route("order/acknowledge/77") == ("order/acknowledge", [77])


def test_ids_by_kind_of_route_and_key():
    awb = {"order_id": 3, "rma_id": 4, "receiver": {"name": "X", "id": 99}}
    results = {"awb": [{"emag_id": 9, "awb_number": "4EMG"}], "reservation_id": 1}
    assert concerned_ids("awb/save", [awb], None, results) == {
        "order:3",
        "rma:4",
        "awb:9",
    }
    assert concerned_ids("awb/read_pdf", [None], {"emag_id": "9"}, None) == {"awb:9"}
    assert concerned_ids("rma/read", [{"emag_id": 5}], None, None) == {"rma:5"}
    assert concerned_ids("/api/v1/commission/estimate/5", [None], None, None) == {
        "offer:5"
    }
    assert concerned_ids("smart-deals-price-check", [None], {"productId": 6}, None) == {
        "offer:6"
    }
    # a category id, a page number or a type name no record
    assert concerned_ids("category/read", [{"id": 506}], None, None) == set()
    assert concerned_ids("order/read", [{"type": 3, "currentPage": 2}], None, []) == (
        set()
    )


def test_a_refusal_keeps_both_bodies_and_emags_messages(sandbox, logged):
    client, entries = logged
    sandbox.inject_fault(
        "is_error", route="offer/save", messages=["Offer 7: sale price too low"]
    )
    with pytest.raises(EmagValidationError):
        client.call("offer/save", [{"id": 7, "sale_price": 1}])
    values = record(entries[0])
    assert (values["outcome"], values["is_error"]) == ("emag_error", True)
    assert values["messages"] == "Offer 7: sale price too low"
    assert json.loads(values["request_body"]) == {"data": [{"id": 7, "sale_price": 1}]}
    assert json.loads(values["response_body"])["isError"] is True


@pytest.mark.parametrize(
    "kind, status, error, expected",
    [
        ("5xx", 502, EmagServerError, "http_error"),
        ("malformed", 200, EmagProtocolError, "invalid"),
    ],
)
def test_http_and_protocol_failures(sandbox, logged, kind, status, error, expected):
    client, entries = logged
    sandbox.inject_fault(kind, route="vat/read", status=status)
    with pytest.raises(error):
        client.read_vat_rates()
    values = record(entries[0])
    assert (values["outcome"], values["http_status"]) == (expected, status)
    assert values["messages"]  # the client's explanation


def test_each_attempt_of_a_call_is_recorded_once(sandbox, logged):
    client, entries = logged
    sandbox.inject_fault("429", route="vat/read")
    client.read_vat_rates()
    outcomes = [record(e)["outcome"] for e in entries]
    assert outcomes == ["rate_limited", "ok"]
    assert record(entries[0])["http_status"] == 429


def test_a_timeout_is_a_network_failure(sandbox):
    entries = []
    client = EmagClient(
        sandbox.base_url,
        "seller",
        "s3cret-pass",
        budget=NoRateBudget(),
        read_timeout=0.2,
        call_log=entries.append,
    )
    sandbox.inject_fault("timeout", route="vat/read", delay=0.6)
    with pytest.raises(EmagNetworkError):
        client.read_vat_rates()
    values = record(entries[0])
    assert (values["outcome"], values["http_status"]) == ("network", 0)
    assert "did not answer vat/read" in values["messages"]
    assert values["response_body"] is None


def test_personal_values_are_masked_at_any_depth():
    text = json.dumps(
        {
            "id": 1,
            "shipping_tax": "19.99",
            "products": [{"id": 2, "name": "Casti"}],
            "details": {"locker_id": "L1", "receiver": {"street": "X", "id": 3}},
            "pickup_method": 1,
            "pickup_address": {"street": "Y"},
            "customer_account_iban": "RO49",
        }
    )
    assert json.loads(mask_personal_data(text)) == {
        "id": 1,
        "shipping_tax": "19.99",
        "products": [{"id": 2, "name": "***"}],
        "details": {"locker_id": "L1", "receiver": "***"},
        "pickup_method": 1,
        "pickup_address": "***",
        "customer_account_iban": "***",
    }


def test_a_body_cut_anywhere_leaks_nothing():
    order = {"id": 5, "customer": dict(CUSTOMER, name="Ion ] Ascunsu {")}
    text = json.dumps({"isError": False, "messages": [], "results": [order]})
    for end in range(len(text)):
        masked = mask_personal_data(text[:end])
        assert not any(t in masked for t in PERSONAL), text[:end]


def test_a_huge_answer_is_cut_with_a_note_and_counted_in_full_items():
    orders = [{"id": i, "customer": CUSTOMER} for i in range(1, 400)]
    text = json.dumps({"isError": False, "messages": [], "results": orders})
    entry = {
        "route": "order/read",
        "method": "POST",
        "request": json.dumps({"data": {"currentPage": 1, "itemsPerPage": 100}}),
        "status": 200,
        "response": text[:LOG_BODY_LIMIT] + "...",  # as the client hands it
        "error": None,
        "duration": 0.25,
    }
    values = record(entry, keep=True)
    body = values["response_body"]
    assert body.endswith(f"[truncated: over {LOG_BODY_LIMIT} characters]")
    assert not any(t in body for t in PERSONAL)
    complete = text[:LOG_BODY_LIMIT].count('"customer"') - 1
    assert values["entity_count"] in (complete, complete + 1)
    assert 0 < values["entity_count"] < len(orders)


def test_secrets_never_reach_the_log():
    entry = {
        "route": "order/attachments/save",
        "method": "POST",
        "request": json.dumps(
            {
                "data": [
                    {
                        "order_id": 8,
                        "url": "https://odoo.example.com/emag/invoice/41/Zx_9-tok",
                    }
                ]
            }
        ),
        "status": 400,
        "response": json.dumps(
            {
                "isError": True,
                "messages": [
                    (
                        "Cannot download https:\\/\\/odoo.example.com\\/emag"
                        "\\/invoice\\/41\\/Zx_9-tok for s3cret-pass"
                    )
                ],
            }
        ),
        "error": "EmagValidationError",
        "error_message": "refused",
        "duration": 0.1,
    }
    values = record(entry)
    stored = " ".join(str(v) for v in values.values())
    assert "Zx_9-tok" not in stored and "s3cret-pass" not in stored
    assert "/emag/invoice/41/***" in values["request_body"]
    assert values["emag_ids"] == " order:8 "
    line = '"GET /emag/callback/Ab-cD_e1/order?order_id=5 HTTP/1.1" 200 -'
    assert mask_secrets(line) == (
        '"GET /emag/callback/***/order?order_id=5 HTTP/1.1" 200 -'
    )


def test_an_empty_body_is_none():
    assert redact(None) is None and redact("") is None


def test_the_clients_explanation_quoting_an_answer_is_masked_too():
    quoted = json.dumps({"results": [{"id": 5, "customer": CUSTOMER}]})[:60]
    entry = {
        "route": "order/read",
        "method": "POST",
        "status": 200,
        "error": "EmagProtocolError",
        "error_message": "eMAG answered order/read with something that is not "
        f"JSON (HTTP 200): {quoted!r}",
        "duration": 0.1,
    }
    values = record(entry)
    assert values["outcome"] == "invalid"
    assert "not JSON" in values["messages"] and '"id": 5' in values["messages"]
    assert not any(t in values["messages"] for t in PERSONAL)
