"""The client against the sandbox, over real HTTP on a localhost port."""

import socket
from datetime import datetime, timedelta

import pytest

from emag_connector.emag_api import (
    EmagAuthError,
    EmagClient,
    EmagDocumentationError,
    EmagNetworkError,
    EmagProtocolError,
    EmagRateLimited,
    EmagServerError,
    EmagValidationError,
    MemoryRateBudget,
    NoRateBudget,
)
from emag_connector.emag_api.batching import count_elements
from emag_connector.emag_api.pipeline import SaveQueue
from emag_connector.emag_api.ratelimit import GUARD, LIMITS, OTHER, window_violations
from emag_connector.emag_api.sandbox import EmagSandbox, FakeClock


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sandbox(clock):
    with EmagSandbox(username="seller", password="secret", clock=clock) as sb:
        yield sb


@pytest.fixture
def client(sandbox, clock):
    """A client pacing itself on the same fake clock as the sandbox's limiter."""
    return EmagClient(
        sandbox.base_url,
        "seller",
        "secret",
        budget=MemoryRateBudget(clock=clock.time),
        sleep=clock.sleep,
    )


def light_offer(offer_id, stock=5):
    return {"id": offer_id, "stock": [{"warehouse_id": 1, "value": stock}]}


def seed_offers(sandbox, count):
    sandbox.seed_offers(
        [
            {
                "id": i,
                "category_id": 506,
                "name": f"Product {i}",
                "part_number": f"PN{i}",
                "brand": "Brand",
                "status": 1,
                "sale_price": 100,
                "min_sale_price": 50,
                "max_sale_price": 200,
                "vat_id": 1,
                "stock": [{"warehouse_id": 1, "value": 1}],
                "handling_time": [{"warehouse_id": 1, "value": 1}],
            }
            for i in range(1, count + 1)
        ]
    )


# --- authentication ----------------------------------------------------------


def test_basic_auth_success_returns_results(client):
    rates = client.read_vat_rates()
    assert {r["vat_rate"] for r in rates} >= {0.21, 0.0}


def test_wrong_password_is_a_credentials_error(sandbox, clock):
    bad = EmagClient(sandbox.base_url, "seller", "wrong", sleep=clock.sleep)
    with pytest.raises(EmagAuthError) as caught:
        bad.read_vat_rates()
    assert caught.value.cause == "credentials"
    assert caught.value.status == 401
    assert "username or password" in str(caught.value)


def test_ip_not_whitelisted_says_so(sandbox, client):
    sandbox.allowed_ips = {"192.0.2.10"}
    with pytest.raises(EmagAuthError) as caught:
        client.read_vat_rates()
    assert caught.value.cause == "ip_not_whitelisted"
    assert caught.value.status == 403
    assert "whitelist" in str(caught.value)


# --- envelope and error types -----------------------------------------------


def test_missing_is_error_is_never_success(sandbox, client):
    sandbox.inject_fault("missing_is_error", route="vat/read")
    with pytest.raises(EmagProtocolError, match="no isError key"):
        client.read_vat_rates()


def test_malformed_json_is_a_protocol_error(sandbox, client):
    sandbox.inject_fault("malformed", route="vat/read")
    with pytest.raises(EmagProtocolError, match="not JSON"):
        client.read_vat_rates()


def test_is_error_with_string_and_object_messages(sandbox, client):
    sandbox.inject_fault(
        "is_error",
        route="vat/read",
        messages=["First problem", {"code": "E12", "message": "Second problem"}],
    )
    with pytest.raises(EmagValidationError) as caught:
        client.read_vat_rates()
    assert caught.value.messages == ["First problem", "Second problem"]
    assert not isinstance(caught.value, EmagDocumentationError)
    assert caught.value.raw["isError"] is True


def test_server_error(sandbox, client):
    sandbox.inject_fault("5xx", route="vat/read", status=503)
    with pytest.raises(EmagServerError) as caught:
        client.read_vat_rates()
    assert caught.value.status == 503
    assert caught.value.retryable


def test_read_timeout_is_a_network_error(sandbox):
    sandbox.inject_fault("timeout", route="vat/read", delay=1.0)
    impatient = EmagClient(
        sandbox.base_url, "seller", "secret", read_timeout=0.2, budget=NoRateBudget()
    )
    with pytest.raises(EmagNetworkError, match="did not answer vat/read within 0.2"):
        impatient.read_vat_rates()


def test_unreachable_host_is_a_network_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = EmagClient(f"http://127.0.0.1:{port}/api-3", "u", "p", connect_timeout=1)
    with pytest.raises(EmagNetworkError, match="Could not reach eMAG") as caught:
        client.read_vat_rates()
    assert caught.value.retryable


def test_documentation_error_on_product_save_means_saved(sandbox, client):
    # a new product without description: eMAG reports a documentation error
    # but saves the offer (documentation 1.4 and 2.4.2)
    offer = {
        "ean": ["5941234567890"],
        "warranty": 24,
        "id": 901,
        "category_id": 506,
        "name": "Mug",
        "part_number": "MUG-1",
        "brand": "Brand",
        "images": [{"display_type": 1, "url": "https://example.com/mug.jpg"}],
        "status": 1,
        "sale_price": 20,
        "min_sale_price": 10,
        "max_sale_price": 40,
        "vat_id": 1,
        "stock": [{"warehouse_id": 1, "value": 3}],
        "handling_time": [{"warehouse_id": 1, "value": 1}],
    }
    (outcome,) = client.save_offers([offer])
    assert isinstance(outcome.error, EmagDocumentationError)
    assert outcome.error.offer_saved
    assert 901 in sandbox.offers


def test_refused_product_save_is_not_a_documentation_error(sandbox, client):
    # category 506 requires an EAN and a warranty: refused, nothing saved
    (outcome,) = client.save_offers([dict(light_offer(902), category_id=506)])
    assert type(outcome.error) is EmagValidationError
    assert any("'ean' is mandatory" in m for m in outcome.error.messages)
    assert 902 not in sandbox.offers
    sandbox.inject_fault(
        "is_error",
        route="product_offer/save",
        messages=["Maximum input vars of 4000 exceeded"],
    )
    (outcome,) = client.save_offers([{"id": 1}])
    assert type(outcome.error) is EmagValidationError


# --- rate limits ---------------------------------------------------------------


def test_429_then_success_after_waiting(sandbox, clock):
    """Without a budget the 4th call in a second gets 429; the client waits."""
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock.sleep(seconds)

    client = EmagClient(
        sandbox.base_url, "seller", "secret", budget=NoRateBudget(), sleep=sleep
    )
    for _ in range(4):
        client.read_vat_rates()
    statuses = [r.status for r in sandbox.calls("vat/read")]
    assert statuses == [200, 200, 200, 429, 200]
    assert sleeps == [1.0]


def test_a_caller_waking_up_late_takes_a_new_slot(sandbox, clock):
    """On a busy machine a sleep can overrun: the call must not go out then."""
    reservations = []
    budget = MemoryRateBudget(clock=clock.time)
    reserve = budget.reserve

    def counting_reserve(key, group):
        reservations.append(clock.time())
        return reserve(key, group)

    budget.reserve = counting_reserve
    overruns = iter([2.0])

    def starved_sleep(seconds):
        clock.sleep(seconds + next(overruns, 0.0))

    client = EmagClient(
        sandbox.base_url,
        "seller",
        "secret",
        budget=budget,
        sleep=starved_sleep,
        clock=clock.time,
    )
    for _ in range(5):
        client.read_vat_rates()
    # the 4th call slept 2 s too long and reserved again before calling
    assert len(reservations) == 6
    calls = sandbox.calls("vat/read")
    assert [c.status for c in calls] == [200] * 5
    assert window_violations([c.time for c in calls], LIMITS[OTHER]) == []


def test_a_429_slows_down_the_shared_budget(sandbox, clock):
    """eMAG's 429 (it lowers its limits on campaign days) slows down every
    client drawing on the budget, not only the one that met it."""
    budget = MemoryRateBudget(clock=clock.time)
    first, second = (
        EmagClient(
            sandbox.base_url, "seller", "secret", budget=budget, sleep=clock.sleep
        )
        for _ in range(2)
    )
    sandbox.inject_fault("429", count=1, route="vat/read")
    first.read_vat_rates()  # 429, waits for Retry-After, then succeeds
    start = clock.time()
    for _ in range(4):
        second.read_vat_rates()
    calls = sandbox.calls("vat/read")
    assert [c.status for c in calls] == [429, 200, 200, 200, 200, 200]
    # about half the pace (it recovers little by little): 1.5 calls a second
    assert 2.4 < clock.time() - start <= 4 / 1.5


def test_429_storm_gives_up_with_retry_after(sandbox, client):
    sandbox.inject_fault("429", count=10, route="vat/read")
    with pytest.raises(EmagRateLimited) as caught:
        client.read_vat_rates()
    assert caught.value.retry_after == 1.0
    assert caught.value.retryable
    assert sandbox.call_count("vat/read") == 1 + client.max_rate_limit_retries


def test_budget_keeps_the_client_below_the_sandbox_limits(sandbox, client, clock):
    start = clock.time()
    for _ in range(30):
        client.read_vat_rates()
    calls = sandbox.calls("vat/read")
    assert [c.status for c in calls] == [200] * 30
    assert window_violations([c.time for c in calls], LIMITS[OTHER]) == []
    assert clock.time() - start == pytest.approx(9 * (1 + GUARD))  # 3 a second


# --- pages, batches, windows -----------------------------------------------------


def test_reading_all_pages_stops_on_a_short_page(sandbox, client):
    seed_offers(sandbox, 250)
    offers = list(client.read_offers())
    assert sorted(o["id"] for o in offers) == list(range(1, 251))
    pages = [c.body["data"] for c in sandbox.calls("product_offer/read")]
    assert [(p["currentPage"], p["itemsPerPage"]) for p in pages] == [
        (1, 100),
        (2, 100),
        (3, 100),
    ]


def test_an_exact_multiple_of_the_page_size_reads_one_empty_page(sandbox, client):
    seed_offers(sandbox, 200)
    assert len(list(client.read_offers())) == 200
    assert sandbox.call_count("product_offer/read") == 3


def test_120_offers_are_sent_in_3_requests(sandbox, client):
    seed_offers(sandbox, 120)
    outcomes = client.save_light_offers([light_offer(i, 7) for i in range(1, 121)])
    assert [len(o.entities) for o in outcomes] == [50, 50, 20]
    assert all(o.error is None for o in outcomes)
    assert [c.entities for c in sandbox.calls("offer/save")] == [50, 50, 20]
    assert all(sandbox.offers[i]["stock"][0]["value"] == 7 for i in range(1, 121))


def test_a_51_entity_request_is_refused_by_the_sandbox(sandbox, client):
    seed_offers(sandbox, 51)
    with pytest.raises(EmagValidationError, match="50"):
        client.call("offer/save", [light_offer(i, 9) for i in range(1, 52)])
    assert all(sandbox.offers[i]["stock"][0]["value"] == 1 for i in range(1, 52))


def test_batches_respect_4000_elements(sandbox, client):
    seed_offers(sandbox, 50)
    # 50 offers of 101 elements: 5050 elements, too many for one request
    offers = [
        dict(light_offer(i), handling_time=[{"warehouse_id": 1, "value": 1}] * 49)
        for i in range(1, 51)
    ]
    outcomes = client.save_light_offers(offers)
    assert len(outcomes) == 2
    for call in sandbox.calls("offer/save"):
        assert count_elements(call.body) <= 4000
        assert call.response["isError"] is False


def test_a_request_over_4000_elements_is_refused_by_the_sandbox(sandbox, client):
    seed_offers(sandbox, 50)
    offers = [
        dict(light_offer(i), handling_time=[{"warehouse_id": 1, "value": 1}] * 49)
        for i in range(1, 51)
    ]
    with pytest.raises(EmagValidationError, match="Maximum input vars of 4000"):
        client.call("offer/save", offers)


def test_orders_of_a_long_period_are_read_in_month_windows_and_both_types(
    sandbox, client
):
    now = sandbox.now()
    sandbox.seed_orders(
        [
            {
                "id": 1,
                "type": 3,
                "modified": (now - timedelta(days=50)).strftime("%Y-%m-%d %H:%M:%S"),
            },
            {
                "id": 2,
                "type": 2,
                "modified": (now - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S"),
            },
        ]
    )
    orders = list(client.read_orders(now - timedelta(days=70), now))
    assert sorted(o["id"] for o in orders) == [1, 2]
    filters = [c.body["data"] for c in sandbox.calls("order/read")]
    assert {f["type"] for f in filters} == {2, 3}
    for f in filters:
        after = datetime.strptime(f["modifiedAfter"], "%Y-%m-%d %H:%M:%S")
        before = datetime.strptime(f["modifiedBefore"], "%Y-%m-%d %H:%M:%S")
        assert timedelta(0) < before - after <= timedelta(days=28)
    assert all(c.status == 200 for c in sandbox.calls("order/read"))


def test_acknowledge_twice_counts_as_done(sandbox, client):
    sandbox.seed_orders([{"id": 77, "status": 1}])
    assert client.acknowledge_order(77) is True
    assert client.acknowledge_order(77) is False
    assert sandbox.orders[77]["status"] == 2


def test_find_by_eans_sends_at_most_100_a_request(sandbox, client):
    eans = [f"{5940000000000 + i}" for i in range(150)]
    sandbox.seed_products_by_ean(
        [{"eans": [eans[0]], "part_number_key": "D5DD9BBBM", "product_name": "P"}]
    )
    found = client.find_by_eans(eans)
    assert [f["part_number_key"] for f in found] == ["D5DD9BBBM"]
    calls = sandbox.calls("documentation/find_by_eans")
    assert [len(c.query["eans[]"]) for c in calls] == [100, 50]
    assert all(c.method == "GET" for c in calls)


def test_awb_issue_and_label(sandbox, client):
    sandbox.seed_orders([{"id": 88, "status": 2}])
    order = sandbox.orders[88]
    courier = sandbox.courier_accounts[0]["account_id"]
    result = client.save_awb(
        {
            "order_id": 88,
            "sender": {
                "name": "Seller SRL",
                "contact": "Ion",
                "phone1": "0721000000",
                "locality_id": 8801,
                "street": "Strada Mare 1",
            },
            "receiver": {
                "name": order["customer"]["shipping_contact"] or "Client",
                "contact": "Client",
                "phone1": "0722000000",
                "legal_entity": 0,
                "locality_id": 8801,
                "street": "Strada Mica 2",
            },
            "parcel_number": 1,
            "envelope_number": 0,
            "cod": 0,
            "is_oversize": 0,
            "weight": 1,
            "courier_account_id": courier,
        }
    )
    emag_id = result["awb"][0]["emag_id"]
    assert sandbox.orders[88]["status"] == 4
    assert client.read_awb(emag_id=emag_id)["emag_id"] == emag_id
    assert client.read_awb_pdf(emag_id, "A6").startswith(b"%PDF-")
    assert client.read_awb_zpl(emag_id).startswith(b"^XA")
    assert client.read_awb_pdf(emag_id, "ZPL").startswith(b"^XA")
    with pytest.raises(ValueError, match="A4, A5, A6 or ZPL"):
        client.read_awb_pdf(emag_id, "Letter")


def test_single_offer_stock_patch(sandbox, client):
    seed_offers(sandbox, 1)
    client.update_stock(1, 42)
    (call,) = sandbox.calls("offer_stock")
    assert call.method == "PATCH" and call.path.endswith("/offer_stock/1")
    assert sandbox.offers[1]["stock"][0]["value"] == 42


def test_counts(sandbox, client):
    seed_offers(sandbox, 7)
    sandbox.seed_orders([{"id": 1}, {"id": 2}])
    assert client.count_offers() == 7
    assert client.count_orders() == 2


def test_category_values_are_paged(sandbox, client):
    page1 = client.read_category(506, values_page=1, values_per_page=1)
    page2 = client.read_category(506, values_page=2, values_per_page=1)
    first = {c["id"]: c["values"] for c in page1["characteristics"]}
    second = {c["id"]: c["values"] for c in page2["characteristics"]}
    assert first and all(len(v) <= 1 for v in first.values())
    assert any(first[i] != second[i] for i in first if first[i] and second[i])


def test_call_log_redacts_nothing_it_should_not_have(sandbox, client):
    entries = []
    client.call_log = entries.append
    client.read_vat_rates()
    (entry,) = entries
    assert entry["route"] == "vat/read" and entry["status"] == 200
    assert "secret" not in repr(entry)


# --- sending while the next batches are prepared ---------------------------------


def test_a_save_queue_sends_in_order_while_the_caller_works(sandbox, clock):
    budget = MemoryRateBudget(clock=clock.time)
    client = EmagClient(
        sandbox.base_url, "seller", "secret", budget=budget, sleep=clock.sleep
    )
    sandbox.seed_offers([{"id": i, "status": 1, "sale_price": 10} for i in range(1, 8)])
    sender = SaveQueue(client, depth=2)
    outcomes = []
    for offer_id in range(1, 8):
        sender.put("offer/save", [{"id": offer_id, "sale_price": 20 + offer_id}])
        outcomes += sender.outcomes()
    outcomes += sender.close()
    assert [o.entities[0]["id"] for o in outcomes] == list(range(1, 8))
    assert all(o.error is None for o in outcomes)
    sent = [c.body["data"][0]["id"] for c in sandbox.calls("offer/save")]
    assert sent == list(range(1, 8))


def test_a_save_queue_hands_the_senders_failure_to_the_caller(sandbox):
    client = EmagClient(sandbox.base_url, "seller", "secret", budget=NoRateBudget())
    sandbox.inject_fault("5xx", count=1, route="offer/save", status=502)
    sender = SaveQueue(client, depth=1)
    with pytest.raises(EmagServerError):
        for offer_id in range(1, 50):
            sender.put("offer/save", [{"id": offer_id, "sale_price": 20}])
        sender.close()
    # the sender stopped at the failure: nothing after it was sent
    assert sandbox.call_count("offer/save") == 1
