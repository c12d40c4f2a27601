"""The AWB of an order built from eMAG's order (§6.1), and eMAG's rules on it."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest

from emag_connector.emag_api import EmagClient
from emag_connector.emag_api.awb import (
    AwbRefused,
    awb_ids,
    awb_payload,
    awb_phone,
    cod_amount,
    courier_account,
    pickup_awb_payload,
    receiver,
)
from emag_connector.emag_api.sandbox import EmagSandbox, seed

SENDER = {
    "name": "Firma Exemplu SRL",
    "contact": "Depozit",
    "phone1": "0213000000",
    "locality_id": 8801,
    "street": "Strada Depozitului 10",
}


def order(**values):
    values.setdefault("status", 2)
    values.setdefault("products", [{"sale_price": "82.6446", "vat": "0.21"}])
    ids = count(1)
    return seed.order_with_defaults(
        values, order_id=77, now="2026-01-05 10:00:00", next_line_id=lambda: next(ids)
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0722 123 456", "0722123456"),
        ("+40 (722) 123-456", "+40722123456"),
        ("0040722123456", "+40722123456"),
        (None, ""),
    ],
)
def test_phone(given, expected):
    assert awb_phone(given) == expected


def test_cash_on_delivery_is_the_total_with_vat():
    # 82.6446 + 21% = 100.00, plus 19.99 shipping (VAT included)
    assert cod_amount(order(payment_mode_id=1)) == Decimal("119.99")
    assert cod_amount(order(payment_mode_id=3)) == 0
    assert cod_amount(order(payment_mode_id=2)) == 0


def test_receiver_of_a_company_and_its_contact():
    customer = {
        "legal_entity": 1,
        "company": "Client SRL",
        "shipping_contact": "Maria Ionescu",
        "shipping_phone": "0733 000 111",
        "shipping_locality_id": "9312",
    }
    party = receiver(order(customer=customer))
    assert party["name"] == "Client SRL"
    assert party["contact"] == "Maria Ionescu"
    assert party["phone1"] == "0733000111"
    assert party["legal_entity"] == 1
    assert party["locality_id"] == 9312  # eMAG sends it as text


def test_receiver_without_locality_is_refused():
    with pytest.raises(AwbRefused, match="no delivery locality"):
        receiver(order(customer={"shipping_locality_id": None}))


@pytest.mark.parametrize(
    ("enforced", "preferred", "expected"),
    [
        (None, None, None),  # eMAG's default account
        (None, 5186, 5186),
        ([7241], 5186, 7241),
        ([5186, 7241], 7241, 7241),
        ([{"account_id": 7241}], None, 7241),
    ],
)
def test_courier_account(enforced, preferred, expected):
    assert (
        courier_account(order(enforced_vendor_courier_accounts=enforced), preferred)
        == expected
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": 0}, "is cancelled"),
        ({"status": 1}, "not acknowledged"),
        ({"status": 5}, "is returned"),
        ({"type": 2}, "fulfilled by eMAG"),
        ({"enforced_vendor_courier_accounts": []}, "cannot be issued"),
    ],
)
def test_refused_before_any_call(values, message):
    with pytest.raises(AwbRefused, match=message):
        awb_payload(order(**values), SENDER, parcels=1)


def test_payload_keeps_to_the_documented_limits():
    with pytest.raises(AwbRefused, match="cannot both be 0"):
        awb_payload(order(), SENDER, parcels=0, envelopes=0)
    with pytest.raises(AwbRefused, match="phone1"):
        awb_payload(order(), dict(SENDER, phone1="12"), parcels=1)
    body = awb_payload(
        order(details={"locker_id": "LK-9"}, payment_mode_id=3),
        SENDER,
        parcels=2,
        weight=1.25,
        insured_value=Decimal("119.99"),
        saturday_delivery=True,
    )
    assert body["locker_id"] == "LK-9"
    assert (body["parcel_number"], body["envelope_number"], body["cod"]) == (2, 0, 0)
    assert (body["weight"], body["insured_value"], body["saturday_delivery"]) == (
        1.25,
        119.99,
        1,
    )
    assert "sameday_delivery" not in body


def test_payload_is_accepted_by_the_sandbox_and_every_id_is_read():
    sandbox = EmagSandbox(username="seller", password="secret")
    sandbox.start()
    try:
        (stored,) = sandbox.seed_orders([order(payment_mode_id=1)])
        client = EmagClient(sandbox.base_url, "seller", "secret")
        ids = awb_ids(client.save_awb(awb_payload(stored, SENDER, parcels=1)))
        record = sandbox.awbs[ids["emag_id"]]
        assert ids["reservation_id"] == record["reservation_id"]
        assert ids["awb_number"] == record["awb"][0]["awb_number"]
        assert ids["courier_name"] == record["courier"][0]["courier_name"]
        assert sandbox.orders[stored["id"]]["status"] == 4  # the AWB finalized it
    finally:
        sandbox.stop()


def rma(**values):
    ids = count(1)
    return seed.rma_with_defaults(
        {"order_id": 77, **values},
        emag_id=9001,
        now="2026-01-05 10:00:00",
        next_line_id=lambda: next(ids),
    )


def test_pickup_awb_goes_from_the_customer_to_the_seller_the_next_day():
    payload = pickup_awb_payload(
        rma(customer_phone="0040 722 123 456"),
        SENDER,
        day=date(2026, 1, 6),
        parcels=1,
        courier_account_id=5186,
        today=date(2026, 1, 5),
    )
    assert (payload["order_id"], payload["rma_id"]) == (77, 9001)
    assert payload["sender"]["locality_id"] == 8801
    assert payload["sender"]["street"] == "Strada Exemplu 1"
    assert payload["sender"]["phone1"] == "+40722123456"
    assert payload["receiver"] == SENDER
    assert (payload["cod"], payload["date"]) == (0, "2026-01-06")


def test_pickup_awb_refused_for_today_or_without_a_pickup_locality():
    with pytest.raises(AwbRefused, match="at least the next day"):
        pickup_awb_payload(
            rma(), SENDER, day=date(2026, 1, 5), parcels=1, today=date(2026, 1, 5)
        )
    with pytest.raises(AwbRefused, match="no pickup locality"):
        pickup_awb_payload(
            rma(pickup_locality_id=None),
            SENDER,
            day=date(2026, 1, 6),
            parcels=1,
            today=date(2026, 1, 5),
        )
