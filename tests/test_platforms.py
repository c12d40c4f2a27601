"""The platforms' currencies, in the API layer and in the sandbox."""

from datetime import date, datetime

import pytest
import requests

from emag_connector.emag_api.orders import order_currencies
from emag_connector.emag_api.platforms import (
    PLATFORMS,
    currency_on,
    offer_currency_type,
)
from emag_connector.emag_api.sandbox import EmagSandbox, FakeClock

EURO_DAY = datetime(2026, 1, 1).timestamp()


@pytest.mark.parametrize(
    ("platform", "before", "since"),
    [
        ("emag_ro", "RON", "RON"),
        ("fd_ro", "RON", "RON"),
        ("emag_hu", "HUF", "HUF"),
        ("emag_bg", "BGN", "EUR"),
        ("fd_bg", "BGN", "EUR"),
    ],
)
def test_currency_of_each_platform_around_the_euro_in_bulgaria(platform, before, since):
    assert currency_on(platform, date(2025, 12, 31)) == before
    assert currency_on(platform, datetime(2025, 12, 31, 23, 59, 59)) == before
    assert currency_on(platform, date(2026, 1, 1)) == since
    assert currency_on(platform, datetime(2026, 6, 1, 8, 0)) == since


def test_platform_countries():
    assert {p.code: p.country for p in PLATFORMS.values()} == {
        "emag_ro": "RO",
        "emag_bg": "BG",
        "emag_hu": "HU",
        "fd_ro": "RO",
        "fd_bg": "BG",
    }


def test_currency_type_only_when_another_currency_than_the_platforms():
    today = date(2026, 3, 1)
    assert offer_currency_type("emag_ro", "RON", today) is None
    assert offer_currency_type("emag_ro", "EUR", today) == "EUR"
    assert offer_currency_type("emag_hu", "PLN", today) == "PLN"
    # eMAG Bulgaria sells in EUR since 2026: no currency_type for EUR
    assert offer_currency_type("emag_bg", "EUR", today) is None
    assert offer_currency_type("emag_bg", "EUR", date(2025, 6, 1)) == "EUR"
    with pytest.raises(ValueError, match="takes offers in HUF or in EUR or PLN"):
        offer_currency_type("emag_hu", "USD", today)


def test_order_currencies_from_active_lines():
    order = {
        "products": [
            {"currency": "eur", "status": 1, "quantity": 1},
            {"currency": "BGN", "status": 0, "quantity": 1},  # removed line
            {"status": 1, "quantity": 1},
        ]
    }
    assert order_currencies(order) == {"EUR"}
    assert order_currencies({"products": [{"quantity": 1}]}) == set()


def bg_sandbox(moment):
    return EmagSandbox(rate_limit=False, clock=FakeClock(moment), platform="emag_bg")


def test_sandbox_bulgaria_sells_in_bgn_before_2026_and_in_eur_since():
    with bg_sandbox(EURO_DAY - 86400) as sandbox:
        assert sandbox.currency == "BGN"
        # an order of the last day of the lev, another dated in 2026
        old, new = sandbox.seed_orders(
            [{"date": "2025-12-31 18:00:00"}, {"date": "2026-01-02 09:00:00"}]
        )
        assert old["products"][0]["currency"] == "BGN"
        assert new["products"][0]["currency"] == "EUR"
        # Bulgarian VAT, Bulgarian customer
        assert old["products"][0]["vat"] == "0.20"
        assert old["customer"]["shipping_country"] == "BG"
        sandbox.clock.advance(2 * 86400)
        assert sandbox.currency == "EUR"


def test_sandbox_offers_read_back_in_their_currency():
    with bg_sandbox(EURO_DAY + 86400) as sandbox:
        sandbox.seed_offers(
            [
                {"id": 1, "sale_price": 10, "currency_type": None},
                {"id": 2, "sale_price": 10},
            ]
        )
        session = requests.Session()
        session.trust_env = False
        session.auth = ("seller", "secret")
        rows = session.post(
            f"{sandbox.base_url}/product_offer/read", json={"data": {}}
        ).json()["results"]
        assert {row["currency"] for row in rows} == {"EUR"}


@pytest.mark.parametrize(
    ("platform", "rates"),
    [
        ("emag_ro", [0.21, 0.11, 0.0]),
        ("emag_bg", [0.20, 0.09, 0.0]),
        ("emag_hu", [0.27, 0.18, 0.05, 0.0]),
    ],
)
def test_sandbox_vat_rates_of_the_platforms_country(platform, rates):
    sandbox = EmagSandbox(rate_limit=False, platform=platform)
    assert [v["vat_rate"] for v in sandbox.vats] == rates
