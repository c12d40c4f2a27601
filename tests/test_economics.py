"""Commission estimates, Smart Deals prices and campaign proposals: the pure
functions, and the client against the sandbox."""

from datetime import datetime
from decimal import Decimal

import pytest

from emag_connector.emag_api import EmagClient, EmagValidationError
from emag_connector.emag_api.campaigns import campaign_entity, smart_deals_price_from
from emag_connector.emag_api.economics import commission_amount, commission_from
from emag_connector.emag_api.sandbox import EmagSandbox


@pytest.mark.parametrize(
    "answer",
    [
        {"value": 12.5, "created": "2026-12-01 10:00:00", "end_date": None},
        {"code": 200, "data": {"value": "12.5", "created": "2026-12-01 10:00:00"}},
        {"isError": False, "results": [{"value": 12.5}]},
    ],
)
def test_the_commission_is_found_in_the_shapes_eMAG_may_answer(answer):
    assert commission_from(answer)["value"] == Decimal("12.5")


@pytest.mark.parametrize(
    "answer",
    [None, [], {}, {"value": None}, {"value": "n/a"}, {"value": 150}, {"rate": 12}],
)
def test_anything_else_leaves_the_commission_unknown(answer):
    assert commission_from(answer) is None


def test_the_commission_is_a_share_of_the_price_with_vat():
    assert commission_amount(Decimal("8.5"), Decimal(121)) == Decimal("10.2850")


def test_a_valid_proposal_has_eMAGs_date_interval_shape():
    entity, problems = campaign_entity(
        243409,
        344,
        "51.6477",
        1,
        max_qty_per_order=4,
        voucher_discount=10,
        post_campaign_sale_price="55.6477",
        not_available_post_campaign=True,
        intervals=[(datetime(2026, 12, 21), datetime(2026, 12, 22, 23, 59, 59), 12)],
    )
    assert problems == []
    assert entity["sale_price"] == 51.6477
    assert entity["not_available_post_campaign"] == 1
    (block,) = entity["date_intervals"]
    assert block["start_date"] == {
        "date": "2026-12-21 00:00:00.000000",
        "timezone_type": 3,
        "timezone": "Europe/Bucharest",
    }
    assert (block["voucher_discount"], block["index"]) == (12, 1)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"offer_id": 0}, "seller offer id must be 1 to 16777215"),
        ({"campaign_id": 16777216}, "campaign id must be 1 to 16777215"),
        ({"sale_price": "10.12345"}, "at most 4 decimals"),
        ({"sale_price": 0}, "price must be above 0"),
        ({"stock": 256}, "stock must be 0 to 255"),
        ({"voucher_discount": 9}, "voucher discount must be 10 to 100"),
        ({"multideals": True}, "needs date intervals"),
        (
            {"intervals": [(datetime(2026, 12, 2), datetime(2026, 12, 1), 10)]},
            "ends before it starts",
        ),
        (
            {"intervals": [(datetime(2026, 12, 1), datetime(2026, 12, 2), 10)] * 31},
            "at most 30 date intervals",
        ),
    ],
)
def test_every_documented_limit_is_said_in_words(kwargs, expected):
    args = {"offer_id": 1, "campaign_id": 344, "sale_price": "10", "stock": 1}
    args.update(kwargs)
    positional = [args.pop(k) for k in ("offer_id", "campaign_id", "sale_price")]
    _entity, problems = campaign_entity(*positional, args.pop("stock"), **args)
    assert any(expected in p for p in problems), problems


def test_the_smart_deals_price_of_an_undocumented_answer():
    assert smart_deals_price_from({"targetPrice": 92.5}) == Decimal("92.5")
    assert smart_deals_price_from([{"price": "10.5"}]) == Decimal("10.5")
    assert smart_deals_price_from({"message": "no price"}) is None


@pytest.fixture
def sandbox():
    with EmagSandbox("seller", "secret", rate_limit=False) as served:
        served.seed_offers([{"id": 7, "category_id": 506, "sale_price": 10}])
        yield served


def test_the_client_reads_the_commission_outside_the_api_path(sandbox):
    sandbox.seed_commissions({506: 8.5})
    client = EmagClient(sandbox.base_url, "seller", "secret")
    assert client.read_commission(7)["value"] == Decimal("8.5")
    (call,) = sandbox.calls("commission/estimate")
    assert (call.method, call.path) == ("GET", "/api/v1/commission/estimate/7")
    with pytest.raises(EmagValidationError, match="404"):
        client.read_commission(8)


def test_the_sandbox_checks_proposals_as_eMAG_documents_them(sandbox):
    client = EmagClient(sandbox.base_url, "seller", "secret")
    assert client.read_smart_deals_price(7) == Decimal("9.5")
    entity, _problems = campaign_entity(7, 344, "9.5", 300)
    (outcome,) = client.propose_to_campaign([entity])
    assert "stock must be 0 to 255" in str(outcome.error)
    entity, _problems = campaign_entity(7, 344, "9.5", 3)
    (outcome,) = client.propose_to_campaign([entity])
    assert outcome.error is None
    assert sandbox.campaign_proposals[344, 7]["stock"] == 3
