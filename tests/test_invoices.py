"""eMAG's invoices to the seller (8.1 - 8.2): the sandbox's routes, the
client reading every page, and their money as vendor bill lines."""

from datetime import date
from decimal import Decimal

import pytest
import requests

from emag_connector.emag_api import EmagClient, EmagValidationError, MemoryRateBudget
from emag_connector.emag_api.invoices import (
    bill_amounts,
    line_totals,
    page_invoices,
    total_differences,
)
from emag_connector.emag_api.sandbox import EmagSandbox, FakeClock

AUTH = ("seller", "secret")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sandbox(clock):
    with EmagSandbox(*AUTH, clock=clock, rate_limit=False) as sb:
        yield sb


@pytest.fixture
def client(sandbox, clock):
    return EmagClient(
        sandbox.base_url,
        *AUTH,
        budget=MemoryRateBudget(clock=clock.time),
        sleep=clock.sleep,
    )


def read(sandbox, data=None):
    answer = requests.post(
        f"{sandbox.base_url}/invoice/read",
        json={} if data is None else {"data": data},
        auth=AUTH,
        timeout=5,
    )
    assert answer.status_code == 200
    return answer.json()


# ---------------------------------------------------------------- sandbox


def test_categories_and_invoices_as_documented(sandbox):
    answer = requests.post(
        f"{sandbox.base_url}/invoice/categories", auth=AUTH, timeout=5
    ).json()
    assert answer["isError"] is False
    codes = {c["category"]: c["name"] for c in answer["results"]}
    assert codes["FC"] == "Commission"
    assert {"FT", "FB", "FP", "SC"} <= set(codes)
    (invoice,) = sandbox.seed_invoices(
        [
            {
                "category": "FC",
                "date": "2026-11-03",
                "lines": [{"quantity": 2, "unit_price": "50.125", "vat_rate": 21}],
            }
        ]
    )
    assert invoice["number"] == "FC-MKTP-100001"
    assert invoice["name"] == "Commission"
    assert invoice["supplier"]["tax_code"] == "RO14399840"
    (line,) = invoice["lines"]
    assert (line["value"], line["vat_value"]) == (100.25, 21.05)
    assert (
        invoice["total_without_vat"],
        invoice["total_vat_value"],
        invoice["total_with_vat"],
        invoice["currency"],
    ) == (100.25, 21.05, 121.3, "RON")
    results = read(sandbox)["results"]
    assert results["total_results"] == 1
    assert results["invoices"][0]["number"] == invoice["number"]


def test_invoice_read_filters_and_pages(sandbox):
    sandbox.seed_invoices(
        [{"category": "FC", "date": f"2026-11-{day:02d}"} for day in range(1, 11)]
        + [{"category": "FT", "date": "2026-11-05"}]
    )
    window = {"date_start": "2026-11-03", "date_end": "2026-11-05"}
    results = read(sandbox, window)["results"]
    assert results["total_results"] == 4  # both bounds included
    assert {i["date"] for i in results["invoices"]} == {
        "2026-11-03",
        "2026-11-04",
        "2026-11-05",
    }
    only_ft = read(sandbox, dict(window, category="FT"))["results"]
    assert [i["category"] for i in only_ft["invoices"]] == ["FT"]
    by_number = read(sandbox, {"number": "FC-MKTP-100002"})["results"]
    assert [i["number"] for i in by_number["invoices"]] == ["FC-MKTP-100002"]
    pages = [
        read(sandbox, {"itemsPerPage": 4, "currentPage": page})["results"]
        for page in (1, 2, 3)
    ]
    assert [len(p["invoices"]) for p in pages] == [4, 4, 3]
    assert all(p["total_results"] == 11 for p in pages)
    numbers = [i["number"] for p in pages for i in p["invoices"]]
    assert len(set(numbers)) == 11


@pytest.mark.parametrize(
    "data, message",
    [
        ({"itemsPerPage": 1001}, "itemsPerPage"),
        ({"itemsPerPage": 0}, "itemsPerPage"),
        ({"date_start": "03.11.2026"}, "date_start"),
        ({"date_end": "2026-11-03 10:00:00"}, "date_end"),
    ],
)
def test_invoice_read_refuses_what_the_documentation_does_not_allow(
    sandbox, data, message
):
    answer = read(sandbox, data)
    assert answer["isError"] is True
    assert message in answer["messages"][0]


def test_control_route_seeds_invoices(sandbox):
    control = sandbox.base_url.rsplit("/api-3", 1)[0] + "/_sandbox"
    answer = requests.post(
        f"{control}/invoices",
        json={
            "categories": [{"category": "FX", "name": "Marketing"}],
            "invoices": [{"category": "FX"}, {"category": "FC", "is_storno": 1}],
        },
        auth=AUTH,
        timeout=5,
    )
    assert answer.json() == {"numbers": ["FX-MKTP-100001", "FC-MKTP-100002"]}
    assert sandbox.invoices["FX-MKTP-100001"]["name"] == "Marketing"
    assert sandbox.invoices["FC-MKTP-100002"]["is_storno"] == 1


def test_demo_has_an_invoice_of_each_category_and_a_storno():
    sandbox = EmagSandbox(*AUTH)
    sandbox.seed_demo()
    invoices = list(sandbox.invoices.values())
    assert {i["category"] for i in invoices} == {"FC", "FT", "FB", "FP", "SC"}
    (storno,) = [i for i in invoices if i["is_storno"]]
    assert storno["total_with_vat"] < 0


# ---------------------------------------------------------------- client


def test_client_reads_every_page_and_stops_at_the_total(sandbox, client):
    sandbox.seed_invoices([{"date": "2026-11-02"} for _ in range(7)])
    invoices = list(
        client.read_invoices(date_start=date(2026, 11, 1), date_end="2026-11-30")
    )
    assert len(invoices) == 7
    (call,) = sandbox.calls("invoice/read")
    assert call.body["data"] == {
        "date_start": "2026-11-01",
        "date_end": "2026-11-30",
        "currentPage": 1,
        "itemsPerPage": 100,
    }
    sandbox.reset_log()
    invoices = list(client.read_invoices(category="FC", page_size=3))
    assert len({i["number"] for i in invoices}) == 7
    calls = sandbox.calls("invoice/read")
    assert [c.body["data"]["currentPage"] for c in calls] == [1, 2, 3]
    sandbox.reset_log()
    sandbox.seed_invoices([{"date": "2026-11-02"} for _ in range(2)])
    assert len(list(client.read_invoices(page_size=3))) == 9
    # 9 of 9 read on the third page: no fourth call for an empty page
    assert len(sandbox.calls("invoice/read")) == 3


def test_client_reads_categories_and_raises_eMAG_refusals(sandbox, client):
    categories = client.read_invoice_categories()
    assert {"category": "FC", "name": "Commission"} in categories
    with pytest.raises(EmagValidationError, match="date_start"):
        list(client.read_invoices(date_start="yesterday"))


def test_a_page_ignoring_current_page_does_not_loop_forever():
    class Stuck:
        calls = 0

        def call(self, route, data):
            self.calls += 1
            return {"invoices": [{"number": "A"}, {"number": "B"}]}

    stuck = Stuck()
    client = EmagClient.__new__(EmagClient)
    client.call = stuck.call
    assert [i["number"] for i in client.read_invoices(page_size=2)] == ["A", "B"]
    assert stuck.calls == 2


def test_page_invoices_accepts_a_bare_list_and_refuses_other_shapes():
    assert page_invoices([{"number": "A"}]) == (None, [{"number": "A"}])
    assert page_invoices({"total_results": "2", "invoices": []}) == (2, [])
    with pytest.raises(Exception, match="no list of invoices"):
        page_invoices("oops")


# ---------------------------------------------------------------- money


def invoice(lines, **totals):
    computed = line_totals(bill_amounts({"lines": lines}).lines)
    payload = {"lines": lines, **{k: str(v) for k, v in computed.items()}}
    payload.update(totals)
    return payload


def test_lines_keep_quantity_and_price_when_they_make_the_value():
    amounts = bill_amounts(
        invoice(
            [
                {
                    "product_name": "Transport",
                    "quantity": 3,
                    "unit_price": 12.5,
                    "vat_rate": 21,
                    "value": 37.5,
                    "vat_value": 7.88,
                },
                {
                    "product_name": "Comision",
                    "quantity": 3,
                    "unit_price": "33.3333",
                    "vat_rate": "0.19",
                    "value": 100,
                    "vat_value": 19,
                },
            ]
        )
    )
    first, second = amounts.lines
    assert (first.quantity, first.unit_price) == (3, Decimal("12.50"))
    # 3 x 33.33 is not 100.00: one unit of the value
    assert (second.quantity, second.unit_price) == (1, Decimal("100.00"))
    assert second.vat_rate == 19
    assert not amounts.credit_note
    assert total_differences(amounts.totals, line_totals(amounts.lines)) == []


def test_a_storno_invoice_is_a_credit_note_with_positive_amounts():
    lines = [
        {
            "quantity": -2,
            "unit_price": 10,
            "vat_rate": 21,
            "value": -20,
            "vat_value": -4.2,
        }
    ]
    amounts = bill_amounts(dict(invoice(lines), is_storno="1"))
    assert amounts.credit_note
    (line,) = amounts.lines
    assert (line.quantity, line.unit_price, line.value, line.vat_value) == (
        2,
        Decimal("10.00"),
        Decimal("20.00"),
        Decimal("4.20"),
    )
    assert amounts.totals == {
        "total_without_vat": Decimal("20.00"),
        "total_vat_value": Decimal("4.20"),
        "total_with_vat": Decimal("24.20"),
    }
    # a storno given in positive amounts stays positive
    positive = [
        {"quantity": 1, "unit_price": 10, "vat_rate": 21, "value": 10, "vat_value": 2.1}
    ]
    amounts = bill_amounts(dict(invoice(positive), is_storno=1))
    assert amounts.credit_note and amounts.totals["total_with_vat"] == Decimal("12.10")
    # a negative invoice not marked storno is a credit note too
    assert bill_amounts(invoice(lines)).credit_note


def test_totals_that_do_not_add_up_are_reported_with_both_amounts():
    lines = [
        {
            "quantity": 1,
            "unit_price": 100,
            "vat_rate": 21,
            "value": 100,
            "vat_value": 21,
        }
    ]
    amounts = bill_amounts(
        invoice(lines, total_vat_value="21.01", total_with_vat="121.01")
    )
    assert total_differences(amounts.totals, line_totals(amounts.lines)) == [
        ("total_vat_value", Decimal("21.01"), Decimal("21.00")),
        ("total_with_vat", Decimal("121.01"), Decimal("121.00")),
    ]
    with pytest.raises(ValueError, match="not a number"):
        bill_amounts({"lines": [{"value": "12,5"}]})
