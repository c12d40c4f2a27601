"""The demo shop of the sandbox: its catalogue, and customers buying its
offers (catalogue.py, shop.py, the control routes shop and approve)."""

import random
import time
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import requests

from emag_connector.emag_api.orders import order_total, sale_lines
from emag_connector.emag_api.sandbox import EmagSandbox, FakeClock
from emag_connector.emag_api.sandbox.catalogue import (
    CATEGORIES,
    PRODUCTS,
    ean13,
    emag_catalogue,
    seed_shop,
)
from emag_connector.emag_api.sandbox.shop import (
    cui,
    customer,
    customer_orders,
    iban,
    place_orders,
    wares,
)

AUTH = ("seller", "secret")
NOW = datetime(2026, 3, 10, 12, 0, 0)


def published_offers():
    """The shop's offers as the connector publishes them (price without VAT,
    eMAG's VAT id, stock); the first two are out of stock or inactive."""
    vat_ids = {0.21: 1, 0.11: 2}
    offers = {}
    for offer_id, item in enumerate(PRODUCTS, start=1):
        price = Decimal(str(item["price"])) / Decimal(str(1 + item["vat"]))
        offers[offer_id] = {
            "id": offer_id,
            "name": item["name"],
            "part_number": item["sku"],
            "status": 0 if offer_id == 2 else 1,
            "sale_price": float(price.quantize(Decimal("0.0001"))),
            "vat_id": vat_ids[item["vat"]],
            "stock": [{"warehouse_id": 1, "value": 0 if offer_id == 1 else 10}],
        }
    return offers


def shop_wares():
    sandbox = EmagSandbox(*AUTH)
    return wares(
        published_offers(), {3: {"part_number_key": "DZ0103BBM"}}, sandbox.vats
    )


def test_eans_have_their_check_digit():
    assert ean13("590123412345") == "5901234123457"  # GS1's own example
    assert len({p["ean"] for p in PRODUCTS}) == len(PRODUCTS) == 30
    with pytest.raises(ValueError):
        ean13("123")


def test_products_give_the_mandatory_characteristics_of_their_category():
    categories = {c["id"]: c for c in CATEGORIES}
    for product in PRODUCTS:
        template = categories[product["category_id"]]["characteristics"]
        names = {c["name"] for c in template}
        assert set(product["characteristics"]) <= names, product["sku"]
        mandatory = {c["name"] for c in template if c["is_mandatory"]}
        assert mandatory <= set(product["characteristics"]), product["sku"]
    new = [p for p in PRODUCTS if not p["pnk"]]
    assert 3 <= len(new) < len(PRODUCTS) / 2  # most are on eMAG already


def test_the_shop_is_seeded_as_categories_and_emag_products():
    sandbox = EmagSandbox(*AUTH)
    seed_shop(sandbox)
    assert {c["id"] for c in CATEGORIES} <= set(sandbox.categories)
    assert sandbox.catalogue == emag_catalogue()
    assert sandbox._catalogue_by_ean(PRODUCTS[0]["ean"])["part_number_key"]


def test_company_ids_have_valid_check_digits():
    assert cui(1439984) == "14399840"  # a real CUI
    assert iban("AAAA", "1B31007593840000") == "RO49AAAA1B31007593840000"


def test_a_customer_is_always_the_same_and_one_in_eight_is_a_company():
    assert customer(4100003) == customer(4100003)
    company = customer(4100008)
    assert company["legal_entity"] == 1 and company["is_vat_payer"] == 1
    assert company["code"].startswith("RO") and company["iban"].startswith("RO")
    assert company["billing_name"] == company["company"]
    person = customer(4100009)
    assert "legal_entity" not in person
    assert person["shipping_locality_id"] == person["billing_locality_id"]


def test_only_active_offers_in_stock_are_for_sale():
    for_sale = shop_wares()
    assert [w["id"] for w in for_sale] == list(range(3, len(PRODUCTS) + 1))
    assert for_sale[0]["part_number_key"] == "DZ0103BBM"
    assert {w["vat"] for w in for_sale} == {"0.21", "0.11"}


def test_orders_are_spread_over_the_period_and_the_same_seed_gives_them_again():
    def orders(seed):
        return customer_orders(
            shop_wares(),
            count=120,
            start=NOW - timedelta(days=2),
            end=NOW,
            rng=random.Random(seed),
            fbe=1,
        )

    first = orders(7)
    assert first == orders(7) != orders(8)
    dates = [o["date"] for o in first]
    assert dates == sorted(dates)
    assert dates[0] >= "2026-03-08 12:00:00" and dates[-1] <= "2026-03-10 12:00:00"
    assert sum(o.get("type") == 2 for o in first) == 1


def test_orders_have_the_variety_of_a_real_shop_and_totals_to_the_cent():
    sandbox = EmagSandbox(*AUTH)
    deposits = {p["sku"]: p["deposits"] for p in PRODUCTS if p["deposits"]}
    specs = customer_orders(
        shop_wares(),
        count=300,
        start=NOW - timedelta(days=2),
        end=NOW,
        rng=random.Random(14),
        deposits=deposits,
    )
    orders = sandbox.seed_orders(specs)
    kinds = Counter()
    for order in orders:
        kinds[order["payment_mode_id"]] += 1
        kinds[order["delivery_mode"]] += 1
        kinds["b2b"] += bool(order["customer"].get("legal_entity"))
        kinds["voucher"] += bool(order["vouchers"])
        kinds["sgr"] += any(p.get("recycle_warranties") for p in order["products"])
        goods = sum(
            line.unit_price * line.quantity
            for line in sale_lines(order)
            if line.kind in ("product", "deposit")
        )
        total = order_total(order)
        assert total > 0
        if order["vouchers"]:
            voucher = order["vouchers"][0]
            discount = Decimal(voucher["sale_price"]) + Decimal(
                voucher["sale_price_vat"]
            )
            assert discount == discount.quantize(Decimal(1))  # whole lei
        shipping = Decimal(order["shipping_tax"])
        assert total == goods + shipping + sum(
            line.unit_price for line in sale_lines(order) if line.kind == "voucher"
        )
        if order["delivery_mode"] == "pickup":
            assert order["details"]["locker_id"] and order["details"]["locker_name"]
    for kind in (1, 2, 3, "courier", "pickup", "b2b", "voucher", "sgr"):
        assert kinds[kind] >= 5, kind
    assert len({o["customer"]["id"] for o in orders}) < len(orders)  # repeat buyers


def test_no_order_without_an_offer_for_sale():
    with pytest.raises(ValueError):
        customer_orders([], count=1, start=NOW, end=NOW, rng=random.Random(1))


def wait_until(condition, seconds=5):
    """The callbacks are called in a thread of the sandbox."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.fixture
def served():
    sandbox = EmagSandbox(*AUTH, clock=FakeClock())
    api = sandbox.start()
    yield sandbox, api.rsplit("/api-3", 1)[0] + "/_sandbox"
    sandbox.stop()


def test_customers_buy_over_http_and_emag_calls_the_seller(served):
    sandbox, control = served
    sandbox.seed_offers(list(published_offers().values()))
    called = []
    sandbox._fire_quietly = lambda kind, entity_id: called.append((kind, entity_id))
    sandbox.callback_urls["order_new"] = "http://seller.example/emag/order"
    answer = requests.post(
        f"{control}/shop",
        json={"count": 5, "days": 1, "notify": True},
        auth=AUTH,
        timeout=5,
    ).json()
    assert len(answer["ids"]) == 5 and set(answer["ids"]) <= set(sandbox.orders)
    wait_until(lambda: len(called) == 5)
    assert called == [("order_new", order_id) for order_id in answer["ids"]]
    stats = requests.get(f"{control}/stats", auth=AUTH, timeout=5).json()
    assert stats["held"] == {"offers": len(PRODUCTS), "orders": 5, "returns": 0}


def test_no_offer_no_order_over_http(served):
    _sandbox, control = served
    answer = requests.post(f"{control}/shop", json={}, auth=AUTH, timeout=5)
    assert answer.status_code == 400
    assert "no offer" in answer.json()["error"]


def test_place_orders_defaults_to_one_order_now(served):
    sandbox, _control = served
    sandbox.seed_offers(list(published_offers().values()))
    (order_id,) = place_orders(sandbox, 1)
    assert sandbox.orders[order_id]["date"] == sandbox.now_str()
    assert sandbox.orders[order_id]["status"] == 1


def test_emag_approves_new_products_and_calls_the_documentation_callback(served):
    sandbox, control = served
    sandbox.seed_offers([{"id": 1, "name": "New"}, {"id": 2, "part_number_key": "X"}])
    called = []
    sandbox._fire_quietly = lambda kind, entity_id: called.append((kind, entity_id))
    sandbox.callback_urls["documentation"] = "http://seller.example/emag/doc"
    answer = requests.post(f"{control}/approve", json={}, auth=AUTH, timeout=5)
    assert list(answer.json()["approved"]) == ["1"]
    assert sandbox.offer_meta[1]["validation_status"] == 9
    wait_until(lambda: called)
    assert called == [("documentation", 1)]
