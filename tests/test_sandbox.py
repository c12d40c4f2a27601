"""The eMAG sandbox over real HTTP (raw requests, not the project's client)."""

import base64
import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from emag_connector.emag_api.sandbox import EmagSandbox, FakeClock

AUTH = ("seller", "secret")
# 1_760_000_040 is a multiple of 60: minute windows start exactly at the start.
START = 1_760_000_040.0


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def sb(clock):
    sandbox = EmagSandbox(
        username="seller", password="secret", rate_limit=False, clock=clock
    )
    sandbox.start(port=0)
    yield sandbox
    sandbox.stop()


@pytest.fixture
def http():
    session = requests.Session()
    session.trust_env = False  # never through a proxy
    session.auth = AUTH
    yield session
    session.close()


def post(http, sb, route, data=None, **kwargs):
    body = {} if data is None else {"data": data}
    return http.post(f"{sb.base_url}/{route}", json=body, timeout=5, **kwargs)


def new_offer(offer_id=1, **changes):
    offer = {
        "id": offer_id,
        "category_id": 506,
        "name": f"Casti test {offer_id}",
        "part_number": f"PN-{offer_id}",
        "brand": "Brand",
        "description": "<p>Casti</p>",
        "images": [{"display_type": 1, "url": "https://img.example.com/a.jpg"}],
        "characteristics": [{"id": 38, "value": "In-ear"}],
        "ean": [f"594000000{offer_id:04d}"],
        "warranty": 24,
        "status": 1,
        "sale_price": 100,
        "min_sale_price": 50,
        "max_sale_price": 200,
        "vat_id": 1,
        "stock": [{"warehouse_id": 1, "value": 10}],
        "handling_time": [{"warehouse_id": 1, "value": 1}],
    }
    offer.update(changes)
    return offer


def awb_payload(order_id, **changes):
    payload = {
        "order_id": order_id,
        "sender": {
            "name": "Seller SRL",
            "contact": "Depozit",
            "phone1": "0722000111",
            "locality_id": 8801,
            "street": "Strada Depozitului 10",
        },
        "receiver": {
            "name": "Ion Popescu",
            "contact": "Ion Popescu",
            "phone1": "0722123456",
            "legal_entity": 0,
            "locality_id": 8801,
            "street": "Strada Exemplu 1",
        },
        "is_oversize": 0,
        "envelope_number": 0,
        "parcel_number": 1,
        "cod": 219.99,
        "weight": 1.5,
    }
    payload.update(changes)
    return payload


def read_order(http, sb, order_id):
    body = post(http, sb, "order/read", {"id": order_id}).json()
    assert body["isError"] is False, body
    return body["results"][0]


# ------------------------------------------------------------ transport


def test_auth_missing_or_wrong_gives_401(sb):
    answer = requests.post(f"{sb.base_url}/vat/read", json={}, timeout=5)
    assert answer.status_code == 401
    assert answer.json()["isError"] is True
    assert answer.json()["messages"]
    wrong = requests.post(
        f"{sb.base_url}/vat/read", json={}, auth=("seller", "nope"), timeout=5
    )
    assert wrong.status_code == 401


def test_ip_not_whitelisted_gives_403(sb, http):
    sb.allowed_ips = {"127.0.0.1"}
    assert post(http, sb, "vat/read").status_code == 200
    sb.client_ip_override = "10.1.2.3"
    answer = post(http, sb, "vat/read")
    assert answer.status_code == 403
    assert "10.1.2.3" in answer.json()["messages"][0]
    assert "whitelist" in answer.json()["messages"][0]


def test_envelope_shape_and_content_type(sb, http):
    answer = post(http, sb, "vat/read")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert set(body) == {"isError", "messages", "results"}
    assert body["isError"] is False
    assert {v["vat_rate"] for v in body["results"]} == {0.21, 0.11, 0.0}


def test_unknown_route_is_404_envelope(sb, http):
    answer = post(http, sb, "nothing/here")
    assert answer.status_code == 404
    assert answer.json()["isError"] is True


def test_form_encoded_data_is_accepted(sb, http):
    sb.seed_offers([new_offer(5)])
    answer = http.post(
        f"{sb.base_url}/product_offer/read",
        data={"data": json.dumps({"id": 5})},
        timeout=5,
    )
    assert [r["id"] for r in answer.json()["results"]] == [5]


def test_requests_are_logged(sb, http):
    post(http, sb, "product_offer/save", [new_offer(1), new_offer(2)])
    record = sb.calls("product_offer/save")[0]
    assert record.method == "POST"
    assert record.status == 200
    assert record.entities == 2
    assert record.body["data"][0]["id"] == 1
    assert sb.call_count() == 1
    sb.reset_log()
    assert sb.call_count() == 0


# ------------------------------------------------------- offer validation


def test_valid_new_offer_is_stored_and_read_back(sb, http):
    body = post(http, sb, "product_offer/save", [new_offer(1)]).json()
    assert body == {"isError": False, "messages": [], "results": []}
    assert sb.offers[1]["sale_price"] == 100
    row = post(http, sb, "product_offer/read", {"id": 1}).json()["results"][0]
    assert row["general_stock"] == 10
    assert row["validation_status"][0]["value"] == 1
    assert row["offer_validation_status"][0]["value"] == 1
    assert row["currency"] == "RON"
    assert row["manufacturer"] == []  # a list when filtering one product


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"part_number": "X" * 26}, "'part_number'"),
        ({"name": ""}, "'name'"),
        ({"sale_price": 100.12345}, "at most 4 decimals"),
        ({"sale_price": 0}, "greater than 0"),
        ({"sale_price": 300}, "not within"),
        ({"recommended_price": 90}, "'recommended_price' must be greater"),
        ({"max_sale_price": 40}, "'max_sale_price' must be greater"),
        ({"vat_id": 99}, "not a valid VAT"),
        ({"stock": [{"warehouse_id": 1, "value": 65536}]}, "'stock'[0].value"),
        ({"handling_time": [{"warehouse_id": 1, "value": 256}]}, "'handling_time'"),
        ({"ean": ["12345"]}, "not a valid ean"),
        ({"warranty": 256}, "'warranty'"),
        ({"supply_lead_time": 4}, "'supply_lead_time'"),
        ({"start_date": "2025-10-09"}, "tomorrow"),
        ({"start_date": "2026-01-30"}, "60 days"),
        ({"status": 2}, "only for updates"),
        ({"category_id": 70000}, "'category_id'"),
        ({"category_id": 1800}, "not allowed to post"),
        ({"images": [{"url": "ftp://x/a.jpg", "display_type": 1}]}, "url"),
        ({"images": [{"url": "https://x/a.jpg", "display_type": 3}]}, "display_type"),
        ({"characteristics": [{"id": 38, "value": "x" * 256}]}, "characteristics"),
        ({"manufacturer": [{"name": "A", "address": "B"}]}, "email"),
        (
            {"manufacturer": [{"name": "A", "address": "B", "email": "c@d"}] * 11},
            "at most 10",
        ),
        ({"part_number_key": "D5DD9BBBM"}, "mutually exclusive"),
        ({"currency_type": "USD"}, "'currency_type'"),
    ],
)
def test_offer_limits_are_refused(sb, http, changes, expected):
    offer = new_offer(7, **changes)
    body = post(http, sb, "product_offer/save", [offer]).json()
    assert body["isError"] is True
    text = " | ".join(body["messages"])
    assert "Offer 7" in text
    assert expected in text
    assert 7 not in sb.offers


def test_first_save_requires_min_and_max_price(sb, http):
    offer = new_offer(3)
    del offer["min_sale_price"], offer["max_sale_price"]
    body = post(http, sb, "product_offer/save", [offer]).json()
    assert body["isError"] is True
    assert "min_sale_price" in body["messages"][0]
    assert 3 not in sb.offers


def test_update_requires_documented_keys_but_not_min_max(sb, http):
    sb.seed_offers([new_offer(4)])
    body = post(http, sb, "product_offer/save", [{"id": 4, "sale_price": 120}]).json()
    assert body["isError"] is True
    assert "handling_time" in body["messages"][0]
    update = {
        "id": 4,
        "status": 1,
        "sale_price": 120,
        "vat_id": 1,
        "handling_time": [{"warehouse_id": 1, "value": 2}],
        "stock": [{"warehouse_id": 1, "value": 3}],
    }
    assert post(http, sb, "product_offer/save", [update]).json()["isError"] is False
    assert sb.offers[4]["sale_price"] == 120
    assert sb.offers[4]["name"] == "Casti test 4"  # earlier values are kept
    update["status"] = 2  # end of life is fine on update
    assert post(http, sb, "product_offer/save", [update]).json()["isError"] is False


def test_green_tax_only_on_ro_platform(clock, http):
    with EmagSandbox(rate_limit=False, clock=clock, platform="emag_bg") as bg:
        body = post(http, bg, "product_offer/save", [new_offer(1, green_tax=1)]).json()
        assert "only on the eMAG RO platform" in body["messages"][0]
    with EmagSandbox(rate_limit=False, clock=clock) as ro:
        body = post(http, ro, "product_offer/save", [new_offer(1, green_tax=1)]).json()
        assert body["isError"] is False


def test_batch_saves_valid_entities_and_reports_invalid_ones(sb, http):
    batch = [new_offer(1), new_offer(2, sale_price=-1), new_offer(3)]
    body = post(http, sb, "product_offer/save", batch).json()
    assert body["isError"] is True
    assert len(body["messages"]) == 1
    assert "Offer 2" in body["messages"][0]
    assert sorted(sb.offers) == [1, 3]


def test_documentation_error_still_saves_the_offer(sb, http):
    offer = new_offer(8, images=[{"url": "https://img.example.com/a.gif"}])
    del offer["description"]
    body = post(http, sb, "product_offer/save", [offer]).json()
    assert body["isError"] is True
    assert all("documentation error" in m for m in body["messages"])
    assert len(body["messages"]) == 2
    assert 8 in sb.offers
    row = post(http, sb, "product_offer/read", {"id": 8}).json()["results"][0]
    assert row["validation_status"][0]["value"] == 0
    assert row["validation_status"][0]["errors"]


def test_attach_by_pnk_and_duplicate_attach_refused(sb, http):
    sb.seed_products_by_ean(
        [
            {
                "eans": ["5904862975146"],
                "part_number_key": "DY74FJYBM",
                "product_name": "T",
            }
        ]
    )
    attach = {
        "id": 11,
        "part_number_key": "DY74FJYBM",
        "name": "Tenisi",
        "status": 1,
        "sale_price": 100,
        "min_sale_price": 50,
        "max_sale_price": 200,
        "vat_id": 1,
        "stock": [{"warehouse_id": 1, "value": 2}],
    }
    assert post(http, sb, "product_offer/save", [attach]).json()["isError"] is False
    second = dict(attach, id=12)
    body = post(http, sb, "product_offer/save", [second]).json()
    assert "you already hold an offer" in body["messages"][0]
    assert 12 not in sb.offers
    unknown = dict(attach, id=13, part_number_key="ZZ99ZZBBM")
    body = post(http, sb, "product_offer/save", [unknown]).json()
    assert "does not exist in the eMAG catalogue" in body["messages"][0]


def test_4000_elements_refused_and_nothing_saved(sb, http):
    big = [new_offer(i, description="d", characteristics=[]) for i in range(1, 41)]
    for offer in big:
        offer["ean"] = [str(5940000000000 + offer["id"] * 1000 + k) for k in range(100)]
    body = post(http, sb, "product_offer/save", big).json()
    assert body["isError"] is True
    assert body["messages"] == ["Maximum input vars of 4000 exceeded"]
    assert sb.offers == {}


def test_51_entities_refused_and_nothing_saved(sb, http):
    body = post(
        http, sb, "product_offer/save", [new_offer(i) for i in range(1, 52)]
    ).json()
    assert body["isError"] is True
    assert "50" in body["messages"][0]
    assert sb.offers == {}
    body = post(
        http, sb, "product_offer/save", [new_offer(i) for i in range(1, 51)]
    ).json()
    assert body["isError"] is False
    assert len(sb.offers) == 50


def test_light_offer_save(sb, http):
    sb.seed_offers([new_offer(1)])
    body = post(http, sb, "offer/save", [{"id": 1, "sale_price": 150}]).json()
    assert body["isError"] is False
    assert sb.offers[1]["sale_price"] == 150
    body = post(http, sb, "offer/save", [{"id": 99, "sale_price": 150}]).json()
    assert "cannot create offers" in body["messages"][0]
    body = post(http, sb, "offer/save", [{"id": 1, "name": "New name"}]).json()
    assert "not accepted: name" in body["messages"][0]
    body = post(http, sb, "offer/save", [{"id": 1, "sale_price": 500}]).json()
    assert "not within" in body["messages"][0]
    assert sb.offers[1]["sale_price"] == 150


def test_offer_stock_patch_shapes(sb, http):
    sb.seed_offers([new_offer(1)])
    url = f"{sb.base_url}/offer_stock/1"
    stock_list = {"stock": [{"warehouse_id": 1, "value": 7}]}
    answer = http.patch(url, json=stock_list, timeout=5)
    assert answer.json()["isError"] is False
    assert sb.offers[1]["stock"] == [{"warehouse_id": 1, "value": 7}]
    assert http.patch(url, json={"stock": 9}, timeout=5).json()["isError"] is False
    assert sb.offers[1]["stock"][0]["value"] == 9
    assert http.patch(url, json={"stock": 70000}, timeout=5).status_code == 400
    missing = http.patch(f"{sb.base_url}/offer_stock/404", json={"stock": 1}, timeout=5)
    assert missing.status_code == 404


def test_read_paging_is_capped_at_100(sb, http):
    sb.seed_offers([new_offer(i, part_number=f"P{i}", ean=[]) for i in range(1, 151)])
    page1 = post(http, sb, "product_offer/read", {"itemsPerPage": 500}).json()
    assert len(page1["results"]) == 100
    page2 = post(
        http, sb, "product_offer/read", {"itemsPerPage": 500, "currentPage": 2}
    ).json()
    assert len(page2["results"]) == 50
    assert page1["results"][0]["manufacturer"] is False  # flag when not filtered
    count = post(http, sb, "product_offer/count").json()["results"]
    assert count == {"noOfItems": 150, "noOfPages": 2, "itemsPerPage": 100}


def test_category_read_pages_values(sb, http):
    sb.seed_categories(
        [
            {
                "id": 15,
                "name": "Big",
                "characteristics": [{"id": 1, "values": [f"v{i}" for i in range(300)]}],
            }
        ]
    )
    first = post(http, sb, "category/read", {"id": 15}).json()["results"][0]
    assert len(first["characteristics"][0]["values"]) == 256
    page = post(
        http,
        sb,
        "category/read",
        {"id": 15, "valuesCurrentPage": 2, "valuesPerPage": 10},
    ).json()["results"][0]
    assert page["characteristics"][0]["values"] == [f"v{i}" for i in range(10, 20)]
    listed = post(http, sb, "category/read").json()["results"]
    assert "values" not in listed[0]["characteristics"][0]


def test_reference_reads(sb, http):
    assert post(http, sb, "handling_time/read").json()["results"]
    couriers = post(http, sb, "courier_accounts/read").json()["results"]
    assert couriers[0]["account_id"] == 5186
    addresses = post(http, sb, "addresses/read").json()["results"]
    assert {a["address_type_id"] for a in addresses} == {1, 2}
    cluj = post(http, sb, "locality/read", {"name": "Cluj-Napoca"}).json()["results"]
    assert [c["emag_id"] for c in cluj] == [9312]
    assert post(http, sb, "locality/count").json()["results"]["noOfItems"] == 5


# -------------------------------------------------------------- EAN search


def test_find_by_eans(sb, http):
    sb.seed_products_by_ean(
        [
            {
                "eans": ["5904862975146"],
                "part_number_key": "DY74FJYBM",
                "product_name": "Tenisi",
                "brand_name": "Sprandi",
                "doc_category_id": 2735,
            }
        ]
    )
    url = f"{sb.base_url}/documentation/find_by_eans"
    answer = http.get(url, params={"eans[]": ["5904862975146", "111111"]}, timeout=5)
    body = answer.json()
    assert body["isError"] is False
    (row,) = body["results"]
    assert row["part_number_key"] == "DY74FJYBM"
    assert row["category_name"] == "Pantofi sport barbati"
    assert row["allow_to_add_offer"] is True
    assert row["vendor_has_offer"] is False
    for key in ("eans", "site_url", "hotness", "product_image", "brand_name"):
        assert key in row
    sb.seed_offers([{"id": 9, "part_number_key": "DY74FJYBM"}])
    row = http.get(url, params={"eans[]": "5904862975146"}, timeout=5).json()
    assert row["results"][0]["vendor_has_offer"] is True
    many = http.get(url, params={"eans[]": [str(n) for n in range(120)]}, timeout=5)
    assert "first 100" in many.json()["messages"][0]
    assert many.json()["isError"] is False


def test_find_by_eans_has_its_own_rate_limit(sb, http):
    sb.rate_limit = True
    url = f"{sb.base_url}/documentation/find_by_eans"
    codes = [
        http.get(url, params={"eans[]": "1"}, timeout=5).status_code for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]
    assert post(http, sb, "vat/read").status_code == 200  # other budget untouched


# ----------------------------------------------------------- rate limits


def test_rate_limit_other_routes_3_per_second(sb, http, clock):
    sb.rate_limit = True
    codes = [post(http, sb, route).status_code for route in ("vat/read",) * 2]
    codes.append(post(http, sb, "awb/read", {"emag_id": 1}).status_code)  # invalid
    assert codes == [200, 200, 200]
    limited = post(http, sb, "product_offer/read")
    assert limited.status_code == 429
    assert limited.json() == {"message": "API rate limit exceeded"}
    clock.advance(1)
    assert post(http, sb, "vat/read").status_code == 200


def test_rate_limit_order_routes_12_per_second(sb, http, clock):
    sb.rate_limit = True
    codes = [post(http, sb, "order/read").status_code for _ in range(13)]
    assert codes == [200] * 12 + [429]
    assert post(http, sb, "vat/read").status_code == 200  # separate budget
    clock.advance(1)
    assert post(http, sb, "order/count").status_code == 200


def test_rate_limit_minute_window_allows_3_per_second(sb, http, clock):
    # 3/s over a whole minute is exactly the 180/min budget: never refused.
    sb.rate_limit = True
    for _ in range(60):
        assert [post(http, sb, "vat/read").status_code for _ in range(3)] == [200] * 3
        clock.advance(1)
    assert post(http, sb, "vat/read").status_code == 200


def test_rate_limit_switched_off(sb, http):
    assert all(post(http, sb, "vat/read").status_code == 200 for _ in range(10))


# ------------------------------------------------------------------ faults


def test_fault_429_storm_only_on_its_route(sb, http):
    sb.inject_fault("429", count=2, route="vat/read")
    assert post(http, sb, "handling_time/read").status_code == 200
    first = post(http, sb, "vat/read")
    assert first.status_code == 429
    assert first.json() == {"message": "API rate limit exceeded"}
    assert post(http, sb, "vat/read").status_code == 429
    assert post(http, sb, "vat/read").status_code == 200
    assert [r.fault for r in sb.calls("vat/read")] == ["429", "429", None]


def test_fault_5xx_html_and_json(sb, http):
    sb.inject_fault("5xx")
    answer = post(http, sb, "vat/read")
    assert answer.status_code == 500
    assert answer.headers["Content-Type"].startswith("text/html")
    sb.inject_fault("5xx", status=503, body={"error": "maintenance"})
    answer = post(http, sb, "vat/read")
    assert answer.status_code == 503
    assert answer.json() == {"error": "maintenance"}


def test_fault_is_error_with_object_messages(sb, http):
    messages = [{"code": "E1", "message": "Something broke"}, "plain text"]
    sb.inject_fault("is_error", route="product_offer/save", messages=messages)
    body = post(http, sb, "product_offer/save", [new_offer(1)]).json()
    assert body["isError"] is True
    assert body["messages"] == messages
    assert sb.offers == {}  # not processed


def test_fault_malformed_and_missing_is_error(sb, http):
    sb.inject_fault("malformed")
    answer = post(http, sb, "vat/read")
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()
    sb.inject_fault("missing_is_error")
    body = post(http, sb, "vat/read").json()
    assert "isError" not in body


def test_fault_timeout_holds_the_answer(sb, http):
    sb.inject_fault("timeout", delay=1.0, route="vat/read")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.post(f"{sb.base_url}/vat/read", json={}, timeout=0.2)
    assert time.monotonic() - started < 1.0
    assert post(http, sb, "vat/read").json()["isError"] is False


def test_clear_faults(sb, http):
    sb.inject_fault("5xx", count=5)
    sb.clear_faults()
    assert post(http, sb, "vat/read").status_code == 200
    with pytest.raises(ValueError):
        sb.inject_fault("boom")


# ------------------------------------------------------------------ orders


def test_seeded_order_has_documented_defaults(sb, http):
    sb.seed_orders([{"id": 1, "products": [{"product_id": 5, "quantity": 2}]}])
    order = read_order(http, sb, 1)
    for key in (
        "status",
        "type",
        "date",
        "modified",
        "payment_mode_id",
        "payment_mode",
        "detailed_payment_method",
        "delivery_mode",
        "details",
        "customer",
        "products",
        "shipping_tax",
        "vouchers",
        "attachments",
        "is_complete",
        "reason_cancellation",
        "enforced_vendor_courier_accounts",
    ):
        assert key in order
    assert order["status"] == 1 and order["type"] == 3
    line = order["products"][0]
    assert line["product_id"] == 5 and line["quantity"] == 2
    assert {"id", "part_number", "ext_part_number", "sale_price", "vat"} <= set(line)
    assert "billing_street" in order["customer"]
    assert "locker_id" in order["details"]


def test_order_read_filters(sb, http):
    sb.seed_orders(
        [
            {"id": 1, "date": "2025-10-01 10:00:00"},
            {"id": 2, "date": "2025-10-05 10:00:00", "status": 2},
            {"id": 3, "date": "2025-10-06 10:00:00", "type": 2},
        ]
    )
    ids = [o["id"] for o in post(http, sb, "order/read").json()["results"]]
    assert ids == [2, 1]  # type defaults to 3, newest first
    both = post(http, sb, "order/read", {"type": [2, 3]}).json()["results"]
    assert len(both) == 3
    window = {
        "createdAfter": "2025-10-02 00:00:00",
        "createdBefore": "2025-10-08 00:00:00",
    }
    assert [
        o["id"] for o in post(http, sb, "order/read", window).json()["results"]
    ] == [2]
    status = post(http, sb, "order/read", {"status": [1]}).json()["results"]
    assert [o["id"] for o in status] == [1]
    too_wide = {
        "createdAfter": "2025-08-01 00:00:00",
        "createdBefore": "2025-09-02 00:00:01",
    }
    body = post(http, sb, "order/read", too_wide).json()
    assert body["isError"] is True and "1 month" in body["messages"][0]
    body = post(
        http, sb, "order/read", {"modifiedBefore": "2025-10-02 00:00:00"}
    ).json()
    assert body["isError"] is True and "modifiedAfter" in body["messages"][0]
    body = post(http, sb, "order/read", {"createdAfter": "02.10.2025"}).json()
    assert body["isError"] is True
    # order/count has no type default: it counts both types
    assert post(http, sb, "order/count").json()["results"]["noOfItems"] == 3


def test_acknowledge_semantics(sb, http):
    sb.seed_orders([{"id": 1}, {"id": 2, "type": 2}])
    url = f"{sb.base_url}/order/acknowledge/1"
    before = read_order(http, sb, 1)["modified"]
    answer = http.post(url, timeout=5)
    assert answer.status_code == 200 and answer.json()["isError"] is False
    assert sb.orders[1]["status"] == 2
    again = http.post(url, timeout=5)
    assert again.status_code == 400
    assert again.json()["messages"] == ["Order is already in progress"]
    assert sb.acknowledgements[1] == 2
    assert (
        http.post(f"{sb.base_url}/order/acknowledge/999", timeout=5).status_code == 400
    )
    assert http.post(f"{sb.base_url}/order/acknowledge/2", timeout=5).status_code == 400
    assert sb.orders[1]["modified"] >= before


def test_order_save_status_matrix(sb, http, clock):
    sb.seed_orders([{"id": 1}, {"id": 2, "status": 2}])
    order = read_order(http, sb, 1)
    order["status"] = 2
    body = post(http, sb, "order/save", [order]).json()
    assert "only by order/acknowledge" in body["messages"][0]
    order = read_order(http, sb, 2)
    order["status"] = 5
    assert "not allowed" in post(http, sb, "order/save", [order]).json()["messages"][0]
    order["status"] = 0
    body = post(http, sb, "order/save", [order]).json()
    assert "reason_cancellation" in body["messages"][0]
    order["status"] = 3
    clock.advance(60)
    assert post(http, sb, "order/save", [order]).json()["isError"] is False
    stored = read_order(http, sb, 2)
    assert stored["status"] == 3
    assert stored["modified"] > order["modified"]


def test_order_save_must_send_back_every_field(sb, http):
    sb.seed_orders([{"id": 1, "status": 2, "custom_key": "kept"}])
    order = read_order(http, sb, 1)
    assert order["custom_key"] == "kept"
    del order["vouchers"], order["custom_key"]
    order["status"] = 3
    body = post(http, sb, "order/save", [order]).json()
    assert body["isError"] is True
    assert "custom_key, vouchers" in body["messages"][0]


def test_finalized_order_48h_window(sb, http, clock):
    sb.seed_orders([{"id": 1, "status": 3}])
    order = read_order(http, sb, 1)
    order["status"] = 4
    assert post(http, sb, "order/save", [order]).json()["isError"] is False
    clock.advance(47 * 3600)
    order = read_order(http, sb, 1)
    order["status"] = 3
    assert post(http, sb, "order/save", [order]).json()["isError"] is False
    order = read_order(http, sb, 1)
    order["status"] = 4
    assert post(http, sb, "order/save", [order]).json()["isError"] is False
    clock.advance(49 * 3600)
    order = read_order(http, sb, 1)
    order["status"] = 0
    order["reason_cancellation"] = 2
    body = post(http, sb, "order/save", [order]).json()
    assert "within 48 hours" in body["messages"][0]
    order["status"] = 5  # still within RT (14 days) + 5 days
    assert post(http, sb, "order/save", [order]).json()["isError"] is False
    order = read_order(http, sb, 1)
    order["status"] = 4
    assert "not allowed" in post(http, sb, "order/save", [order]).json()["messages"][0]


def test_canceled_order_reactivation_window(sb, http, clock):
    sb.seed_orders([{"id": 1, "status": 0, "reason_cancellation": 2}])
    clock.advance(49 * 3600)
    order = read_order(http, sb, 1)
    order["status"] = 2
    body = post(http, sb, "order/save", [order]).json()
    assert "48 hours" in body["messages"][0]


def test_order_product_edits(sb, http):
    sb.seed_orders(
        [
            {"id": 1, "status": 2, "products": [{"id": 11, "quantity": 2}]},
            {
                "id": 2,
                "status": 2,
                "payment_mode_id": 3,
                "products": [{"id": 21, "quantity": 2}],
            },
        ]
    )
    cod = read_order(http, sb, 1)
    cod["products"][0]["quantity"] = 1
    assert post(http, sb, "order/save", [cod]).json()["isError"] is False
    card = read_order(http, sb, 2)
    card["products"][0]["quantity"] = 1
    body = post(http, sb, "order/save", [card]).json()
    assert "online card" in body["messages"][0]
    card["products"] = []
    assert post(http, sb, "order/save", [card]).json()["isError"] is True
    card = read_order(http, sb, 2)
    card["products"][0]["sale_price"] = "1.0000"
    body = post(http, sb, "order/save", [card]).json()
    assert "prices" in body["messages"][0]


def test_storno_rules(sb, http):
    sb.seed_orders([{"id": 1, "status": 4, "products": [{"id": 31, "quantity": 2}]}])
    order = read_order(http, sb, 1)
    order["products"][0]["quantity"] = 1
    body = post(http, sb, "order/save", [order]).json()
    assert "is_storno" in body["messages"][0]
    order["is_storno"] = True
    assert post(http, sb, "order/save", [order]).json()["isError"] is False
    order = read_order(http, sb, 1)
    assert order["products"][0]["quantity"] == 1
    order["is_storno"] = True
    body = post(http, sb, "order/save", [order]).json()
    assert "without any change" in body["messages"][0]


# ------------------------------------------------------------ attachments


def test_order_attachments(sb, http):
    sb.seed_orders([{"id": 1, "status": 4, "products": [{"id": 41}]}])
    invoice = {
        "order_id": 1,
        "order_type": 3,
        "name": "Factura 1",
        "url": "https://shop.example.com/invoice/1.pdf",
        "type": 1,
    }
    assert (
        post(http, sb, "order/attachments/save", [invoice]).json()["isError"] is False
    )
    assert sb.attachments[1][0]["url"].endswith("1.pdf")
    warranty = dict(invoice, type=3, url="https://shop.example.com/w.pdf")
    body = post(http, sb, "order/attachments/save", [warranty]).json()
    assert "order_product_id" in body["messages"][0]
    warranty["order_product_id"] = 41
    assert (
        post(http, sb, "order/attachments/save", [warranty]).json()["isError"] is False
    )
    other = dict(warranty, url="https://shop.example.com/w2.pdf")
    body = post(http, sb, "order/attachments/save", [other]).json()
    assert "one warranty" in body["messages"][0]
    bad = dict(invoice, name="x" * 61, type=2, order_type=None)
    messages = post(http, sb, "order/attachments/save", [bad]).json()["messages"]
    assert any("'name'" in m for m in messages)
    assert any("'type'" in m for m in messages)
    assert any("'order_type'" in m for m in messages)
    assert len(read_order(http, sb, 1)["attachments"]) == 2


# ----------------------------------------------------------------- AWB


def test_awb_issue_finalizes_order_and_returns_ids(sb, http, clock):
    sb.seed_orders([{"id": 1, "status": 3}])
    body = post(http, sb, "awb/save", awb_payload(1)).json()
    assert body["isError"] is False, body
    result = body["results"]
    assert result["courier_id"] == 5186 and result["courier_name"] == "Sameday"
    awb = result["awb"][0]
    assert {"emag_id", "awb_number", "awb_barcode"} <= set(awb)
    assert sb.orders[1]["status"] == 4
    assert sb.order_finalized_at[1] == clock.time()
    read = post(http, sb, "awb/read", {"reservation_id": result["reservation_id"]})
    record = read.json()["results"][0]
    assert record["emag_id"] == awb["emag_id"]
    assert record["order_id"] == 1
    assert record["awb"][0]["awb_barcode"] == awb["awb_barcode"]
    pdf = http.get(
        f"{sb.base_url}/awb/read_pdf",
        params={"emag_id": awb["emag_id"], "awb_format": "A6"},
        timeout=5,
    )
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")
    zpl = http.get(
        f"{sb.base_url}/awb/read_zpl", params={"emag_id": awb["emag_id"]}, timeout=5
    )
    assert base64.b64decode(zpl.content).startswith(b"^XA")
    missing = http.get(f"{sb.base_url}/awb/read_pdf", params={"emag_id": 1}, timeout=5)
    assert missing.json()["isError"] is True


def test_awb_refusals(sb, http):
    sb.seed_orders(
        [
            {"id": 1, "status": 2, "enforced_vendor_courier_accounts": []},
            {"id": 2, "status": 2, "enforced_vendor_courier_accounts": [7241]},
            {"id": 3, "status": 0, "reason_cancellation": 2},
            {"id": 4, "status": 2},
            {"id": 5, "status": 1},
        ]
    )
    body = post(http, sb, "awb/save", awb_payload(1)).json()
    assert "empty list" in body["messages"][0]
    body = post(http, sb, "awb/save", awb_payload(2, courier_account_id=5186)).json()
    assert "enforced_vendor_courier_accounts" in body["messages"][0]
    assert post(http, sb, "awb/save", awb_payload(2)).json()["isError"] is False
    body = post(http, sb, "awb/save", awb_payload(3)).json()
    assert "canceled" in body["messages"][0]
    assert (
        "acknowledged"
        in post(http, sb, "awb/save", awb_payload(5)).json()["messages"][0]
    )
    bad = awb_payload(4, envelope_number=0, parcel_number=0, cod=-1, locker_id="ab")
    bad["receiver"] = dict(bad["receiver"], phone1="123", name="Io", locality_id=1)
    text = " | ".join(post(http, sb, "awb/save", bad).json()["messages"])
    for expected in (
        "cannot both be 0",
        "'cod'",
        "'locker_id'",
        "receiver.phone1",
        "receiver.name",
        "not a valid locality",
    ):
        assert expected in text
    assert sb.orders[4]["status"] == 2
    assert len(sb.awbs) == 1


def test_awb_for_return_needs_future_date(sb, http, clock):
    (rma,) = sb.seed_rmas([{"order_id": 1}])
    payload = awb_payload(0)
    del payload["order_id"]
    payload["rma_id"] = rma["emag_id"]
    body = post(http, sb, "awb/save", payload).json()
    assert "'date'" in body["messages"][0]
    payload["date"] = "2025-10-10"
    body = post(http, sb, "awb/save", payload).json()
    assert body["isError"] is False, body
    assert (
        sb.rmas[rma["emag_id"]]["awbs"][0]["reservation_id"]
        == (body["results"]["reservation_id"])
    )
    # with the order_id the documentation requires: the return's order only
    payload["order_id"] = 2
    body = post(http, sb, "awb/save", payload).json()
    assert "not the order of the return request" in body["messages"][0]
    payload["order_id"] = 1
    body = post(http, sb, "awb/save", payload).json()
    assert body["isError"] is False, body
    assert len(sb.rmas[rma["emag_id"]]["awbs"]) == 2


# ------------------------------------------------------------------- RMA


def test_rma_read_filters_and_status_matrix(sb, http):
    sb.seed_rmas(
        [
            {"emag_id": 1, "date": "2025-10-01 10:00:00"},
            {"emag_id": 2, "date": "2025-10-05 10:00:00", "request_status": 7},
        ]
    )
    rows = post(http, sb, "rma/read", {"request_status": 2}).json()["results"]
    assert [r["emag_id"] for r in rows] == [1]
    since = {"date_start": "2025-10-02 00:00:00"}
    assert [
        r["emag_id"] for r in post(http, sb, "rma/read", since).json()["results"]
    ] == [2]
    assert post(http, sb, "rma/count").json()["results"]["noOfItems"] == 2
    body = post(http, sb, "rma/save", [{"emag_id": 1, "request_status": 3}]).json()
    assert "'type'" in body["messages"][0]
    ok = post(http, sb, "rma/save", [{"emag_id": 1, "type": 3, "request_status": 3}])
    assert ok.json()["isError"] is False
    assert sb.rmas[1]["request_status"] == 3
    body = post(http, sb, "rma/save", [{"emag_id": 1, "type": 3, "request_status": 2}])
    assert "3 -> 2 is not allowed" in body.json()["messages"][0]
    body = post(http, sb, "rma/save", [{"emag_id": 2, "type": 3, "request_status": 6}])
    assert body.json()["isError"] is True


# ------------------------------------------------------------- callbacks


class _Receiver(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        """Quiet."""


def test_fire_callback(sb):
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    try:
        port = receiver.server_address[1]
        sb.callback_urls = {
            "order_new": f"http://127.0.0.1:{port}/emag/callback/tok3n/order",
            "rma": f"http://127.0.0.1:{port}/emag/callback/tok3n/rma?x=1",
        }
        assert sb.fire_callback("order_new", 123) == 200
        assert sb.fire_callback("rma", 7) == 200
        assert _Receiver.hits[-2:] == [
            "/emag/callback/tok3n/order?order_id=123",
            "/emag/callback/tok3n/rma?x=1&rma_id=7",
        ]
        assert sb.callbacks_fired[0]["status"] == 200
    finally:
        receiver.shutdown()
        receiver.server_close()


# ----------------------------------------------------------------- misc


def test_demo_seed_and_context_manager(clock):
    with EmagSandbox(clock=clock, rate_limit=False) as sandbox:
        sandbox.seed_demo()
        session = requests.Session()
        session.trust_env = False
        session.auth = AUTH
        orders = post(session, sandbox, "order/read", {"type": [2, 3]}).json()[
            "results"
        ]
        assert {o["id"] for o in orders} == {1001, 1002, 1003, 1004, 1005}
        assert (
            post(session, sandbox, "product_offer/count").json()["results"]["noOfItems"]
            == 2
        )
        session.close()
    assert sandbox.base_url.startswith("http://127.0.0.1:")


def test_seed_does_not_share_state_with_caller(sb):
    order = {"id": 1, "products": [{"id": 5, "quantity": 1}]}
    sb.seed_orders([order])
    original = copy.deepcopy(order)
    sb.orders[1]["products"][0]["quantity"] = 3
    assert order == original
