"""Tests of the eMAG payload models: one failing case per documented limit
(asserting the message), passing cases, round trips and dumping."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from emag_connector.emag_api.schemas import (
    Address,
    AwbRead,
    AwbSave,
    Category,
    CourierAccount,
    HandlingTime,
    Locality,
    MeasurementsSave,
    OfferLightSave,
    Order,
    OrderAttachmentSave,
    ProductOfferAttach,
    ProductOfferRead,
    ProductOfferSave,
    ProductOfferUpdate,
    Rma,
    VatRate,
    common,
    offer_is_sellable,
    strip_part_number,
)

TODAY = date(2026, 1, 15)
CTX = {"today": TODAY, "platform": "emag_ro"}


def messages(model, data, context=None):
    """Validate and return the joined error messages (fails if valid)."""
    with pytest.raises(ValidationError) as exc:
        model.model_validate(data, context=CTX if context is None else context)
    return " | ".join(e["msg"] for e in exc.value.errors())


def new_product(**over):
    data = {
        "id": 243409,
        "category_id": 506,
        "name": "Test product",
        "part_number": "md788hc/a",
        "brand": "Brand test",
        "status": 1,
        "sale_price": "51.6477",
        "min_sale_price": "40.6477",
        "max_sale_price": "60.6477",
        "vat_id": 1,
        "stock": [{"warehouse_id": 1, "value": 20}],
    }
    data.update(over)
    return data


def offer_update(**over):
    data = {
        "id": 243409,
        "status": 1,
        "sale_price": 51.6477,
        "vat_id": 1,
        "handling_time": [{"warehouse_id": 1, "value": 1}],
        "stock": [{"warehouse_id": 1, "value": 20}],
    }
    data.update(over)
    return data


GPSR = {"name": "Company Ltd.", "address": "Street 1, City", "email": "a@b.ro"}


# ---------------------------------------------------------------------------
# product_offer/save: passing cases
# ---------------------------------------------------------------------------
def test_new_product_full_documentation_passes_and_dumps():
    data = new_product(
        description="<p>test</p>",
        source_language="de_DE",
        images=[{"display_type": 1, "url": "https://img.example.com/a.jpg"}],
        images_overwrite=1,
        force_images_download=0,
        characteristics=[
            {"id": 6506, "tag": "original", "value": "36 EU"},
            {"id": 6506, "tag": "converted", "value": "39 intl"},
        ],
        family={"id": 7, "name": "Fam", "family_type_id": 95},
        url="https://shop.example.com/p.html",
        warranty=24,
        ean=["5901234123457", "0012345678905"],
        attachments=[{"id": 123, "url": "https://shop.example.com/manual.pdf"}],
        handling_time=[{"warehouse_id": 1, "value": 0}],
        supply_lead_time=5,
        start_date="2026-01-16",
        emag_club=0,
        safety_information="Keep out of reach of children.",
        manufacturer=[GPSR],
        eu_representative=[GPSR] * 10,
        green_tax="0",
        recommended_price="55",
    )
    model = ProductOfferSave.model_validate(data, context=CTX)
    payload = model.to_payload()
    assert payload["ean"] == ["5901234123457", "0012345678905"]
    assert payload["start_date"] == "2026-01-16"
    assert payload["green_tax"] == 0
    assert "part_number_key" not in payload  # None fields are not sent
    assert payload["characteristics"][1] == {
        "id": 6506,
        "value": "39 intl",
        "tag": "converted",
    }
    json.dumps(payload)


def test_family_removal_with_id_zero_passes():
    model = ProductOfferSave.model_validate(new_product(family={"id": 0}), context=CTX)
    assert model.to_payload()["family"] == {"id": 0}


def test_decimal_prices_dump_as_json_numbers():
    model = ProductOfferSave.model_validate(
        new_product(sale_price=51.6477, min_sale_price="40", max_sale_price="60.50"),
        context=CTX,
    )
    assert isinstance(model.sale_price, Decimal)
    assert model.sale_price == Decimal("51.6477")
    payload = model.to_payload()
    assert payload["sale_price"] == 51.6477
    assert payload["min_sale_price"] == 40 and isinstance(
        payload["min_sale_price"], int
    )
    text = json.dumps(payload)
    assert '"sale_price": 51.6477' in text
    assert '"max_sale_price": 60.5' in text
    # python mode keeps Decimal
    assert model.model_dump()["sale_price"] == Decimal("51.6477")


def test_part_number_is_stripped_like_emag():
    model = ProductOfferSave.model_validate(
        new_product(part_number="part number;, x"), context=CTX
    )
    assert model.part_number == "partnumberx"
    assert strip_part_number(" a, b;c ") == "abc"
    # 25 characters once stripped: accepted
    long_ok = "A" * 25 + " ,;"
    model = ProductOfferSave.model_validate(
        new_product(part_number=long_ok), context=CTX
    )
    assert model.part_number == "A" * 25


def test_existing_offer_context_allows_eol_and_omitted_min_max():
    data = new_product(status=2)
    del data["min_sale_price"], data["max_sale_price"]
    model = ProductOfferSave.model_validate(
        data, context={**CTX, "existing_offer": True}
    )
    assert model.status == 2


def test_start_date_bounds_pass():
    for days in (1, 60):
        day = (TODAY + timedelta(days=days)).isoformat()
        ProductOfferSave.model_validate(new_product(start_date=day), context=CTX)


def test_today_from_module_provider(monkeypatch):
    monkeypatch.setattr(common, "today_provider", lambda: TODAY)
    model = ProductOfferSave.model_validate(
        new_product(start_date="2026-01-16"), context={}
    )
    assert model.start_date == date(2026, 1, 16)
    msg = messages(ProductOfferSave, new_product(start_date="2026-01-15"), context={})
    assert "start_date: must be from tomorrow (2026-01-16)" in msg


# ---------------------------------------------------------------------------
# product_offer/save: one failure per documented limit
# ---------------------------------------------------------------------------
LONG = "x" * 256

NEW_PRODUCT_FAILURES = [
    ({"id": 0}, "id: must be an integer between 1 and 16777215 (got 0)"),
    ({"id": 16777216}, "id: must be an integer between 1 and 16777215 (got 16777216)"),
    ({"category_id": 0}, "category_id: must be an integer between 1 and 65535 (got 0)"),
    (
        {"category_id": 65536},
        "category_id: must be an integer between 1 and 65535 (got 65536)",
    ),
    ({"name": "  "}, "name: must be 1 to 255 characters long (got 0)"),
    ({"name": LONG}, "name: must be 1 to 255 characters long (got 256)"),
    ({"brand": LONG}, "brand: must be 1 to 255 characters long (got 256)"),
    (
        {"part_number": "p" * 31},
        (
            "part_number: must be 1 to 25 characters after removing spaces, commas and "
            "semicolons (got 31)"
        ),
    ),
    (
        {"part_number": " ,; "},
        (
            "part_number: must be 1 to 25 characters after removing spaces, commas and "
            "semicolons (got 0)"
        ),
    ),
    ({"description": ""}, "description: must be 1 to 16777215 characters long (got 0)"),
    (
        {"safety_information": ""},
        "safety_information: must be 1 to 16777215 characters long (got 0)",
    ),
    (
        {"source_language": "zh_CN"},
        "source_language: must be 'en_GB', 'ro_RO'",
    ),
    ({"force_images_download": 2}, "force_images_download: must be 0 or 1 (got 2)"),
    ({"images_overwrite": 2}, "images_overwrite: must be 0 or 1 (got 2)"),
    ({"emag_club": 2}, "emag_club: must be 0 or 1 (got 2)"),
    (
        {"images": [{"display_type": 3, "url": "https://a.ro/x.jpg"}]},
        (
            "image display_type: must be 0 (other image), 1 (main image) or 2 "
            "(secondary image) (got 3)"
        ),
    ),
    (
        {"images": [{"url": "not a url"}]},
        "image url: must be a valid http(s) URL (got 'not a url')",
    ),
    (
        {"images": [{"url": "https://a.ro/" + "x" * 1012}]},
        "image url: must be 1 to 1024 characters long (got 1025)",
    ),
    (
        {"characteristics": [{"id": 0, "value": "v"}]},
        "characteristic id: must be an integer between 1 and 65535 (got 0)",
    ),
    (
        {"characteristics": [{"id": 70000, "value": "v"}]},
        "characteristic id: must be an integer between 1 and 65535 (got 70000)",
    ),
    (
        {"characteristics": [{"id": 5, "value": LONG}]},
        "characteristic value: must be 1 to 255 characters long (got 256)",
    ),
    (
        {"characteristics": [{"id": 5, "value": ""}]},
        "characteristic value: must be 1 to 255 characters long (got 0)",
    ),
    (
        {"characteristics": [{"id": 5, "value": "v", "tag": LONG}]},
        "characteristic tag: must be 1 to 255 characters long (got 256)",
    ),
    (
        {"family": {"id": 3}},
        "family: name and family_type_id are required when family id is not 0",
    ),
    (
        {"family": {"id": -1}},
        "family id: must be an integer between 0 and 4294967295 (got -1)",
    ),
    (
        {"url": "https://a.ro/" + "x" * 1012},
        "url: must be 1 to 1024 characters long (got 1025)",
    ),
    ({"url": "ftp://a.ro/x"}, "url: must be a valid http(s) URL (got 'ftp://a.ro/x')"),
    ({"warranty": 256}, "warranty: must be an integer between 0 and 255 (got 256)"),
    ({"warranty": -1}, "warranty: must be an integer between 0 and 255 (got -1)"),
    (
        {"ean": ["12345"]},
        "ean: '12345' is not valid: an EAN must be 6 to 14 digits (0-9 only)",
    ),
    (
        {"ean": ["123456789012345"]},
        "ean: '123456789012345' is not valid: an EAN must be 6 to 14 digits",
    ),
    ({"ean": ["59012341234AB"]}, "ean: '59012341234AB' is not valid"),
    (
        {"ean": [5901234123457]},
        "ean: each EAN must be sent as a string of 6 to 14 digits, not as int",
    ),
    ({"ean": []}, "ean: must contain at least 1 item (got 0)"),
    (
        {"attachments": [{"id": 0, "url": "https://a.ro/x.pdf"}]},
        "attachment id: must be an integer between 1 and 4294967295 (got 0)",
    ),
    (
        {"attachments": [{"id": 4294967296, "url": "https://a.ro/x.pdf"}]},
        "attachment id: must be an integer between 1 and 4294967295 (got 4294967296)",
    ),
    (
        {"attachments": [{"url": "x"}]},
        "attachment url: must be a valid http(s) URL (got 'x')",
    ),
    (
        {"status": 2},
        "status: 2 (end of life) can only be sent when updating an existing offer",
    ),
    (
        {"status": 3},
        "status: must be 0 (inactive), 1 (active) or 2 (end of life) (got 3)",
    ),
    ({"sale_price": 0}, "sale_price: must be greater than 0 (got 0)"),
    ({"sale_price": "-1"}, "sale_price: must be greater than 0 (got -1)"),
    (
        {"sale_price": "51.64771"},
        "sale_price: at most 4 decimals are allowed (got 51.64771)",
    ),
    ({"recommended_price": "0"}, "recommended_price: must be greater than 0 (got 0)"),
    (
        {"recommended_price": "51.6477"},
        "recommended_price: must be greater than sale_price (got 51.6477 <= 51.6477)",
    ),
    (
        {"min_sale_price": "1.00001"},
        "min_sale_price: at most 4 decimals are allowed (got 1.00001)",
    ),
    ({"max_sale_price": 0}, "max_sale_price: must be greater than 0 (got 0)"),
    (
        {"min_sale_price": "60", "max_sale_price": "60"},
        "max_sale_price: must be greater than min_sale_price (got max 60 <= min 60)",
    ),
    (
        {"min_sale_price": "52"},
        (
            "sale_price: must be within [min_sale_price, max_sale_price] "
            "(got 51.6477 < min 52)"
        ),
    ),
    (
        {"max_sale_price": "51"},
        (
            "sale_price: must be within [min_sale_price, max_sale_price] "
            "(got 51.6477 > max 51)"
        ),
    ),
    ({"currency_type": "USD"}, "currency_type: must be 'EUR' or 'PLN' (got 'USD')"),
    (
        {"stock": [{"warehouse_id": 1, "value": 65536}]},
        "stock value: must be an integer between 0 and 65535 (got 65536)",
    ),
    (
        {"stock": [{"warehouse_id": 1, "value": -1}]},
        "stock value: must be an integer between 0 and 65535 (got -1)",
    ),
    ({"stock": []}, "stock: must contain at least one {warehouse_id, value} entry"),
    (
        {"stock": [{"warehouse_id": 1, "value": 1}, {"warehouse_id": 1, "value": 2}]},
        "stock: warehouse_id 1 is listed more than once",
    ),
    (
        {"stock": [{"warehouse_id": 0, "value": 1}]},
        "warehouse_id: must be an integer between 1 and 4294967295 (got 0)",
    ),
    (
        {"handling_time": [{"warehouse_id": 1, "value": 256}]},
        "handling_time value: must be an integer between 0 and 255 (got 256)",
    ),
    (
        {"supply_lead_time": 4},
        "supply_lead_time: must be 2, 3, 5, 7, 14, 30, 60, 90 or 120 (got 4)",
    ),
    (
        {"start_date": "2026-01-15"},
        (
            "start_date: must be from tomorrow (2026-01-16) up to 60 days ahead "
            "(2026-03-16) (got 2026-01-15)"
        ),
    ),
    (
        {"start_date": "2026-03-17"},
        (
            "start_date: must be from tomorrow (2026-01-16) up to 60 days ahead "
            "(2026-03-16) (got 2026-03-17)"
        ),
    ),
    (
        {"start_date": "2026/01/20"},
        "start_date: must be a date in YYYY-MM-DD format (got '2026/01/20')",
    ),
    (
        {"start_date": "2026-02-30"},
        "start_date: 2026-02-30 is not a valid date",
    ),
    (
        {"currency_type": "EUR", "start_date": "2026-02-02"},
        (
            "start_date: with currency_type EUR it must not be later than the last day "
            "of the current month (2026-01-31) (got 2026-02-02)"
        ),
    ),
    (
        {"manufacturer": [GPSR] * 11},
        "manufacturer: at most 10 items are allowed (got 11)",
    ),
    (
        {"eu_representative": [GPSR] * 11},
        "eu_representative: at most 10 items are allowed (got 11)",
    ),
    (
        {"manufacturer": [{**GPSR, "name": "n" * 201}]},
        "GPSR name: must be 1 to 200 characters long (got 201)",
    ),
    (
        {"manufacturer": [{**GPSR, "address": "a" * 501}]},
        "GPSR address: must be 1 to 500 characters long (got 501)",
    ),
    (
        {"eu_representative": [{**GPSR, "email": "e" * 101}]},
        "GPSR email: must be 1 to 100 characters long (got 101)",
    ),
    (
        {"manufacturer": [{"name": "Company", "address": "Street"}]},
        (
            "GPSR set (manufacturer / eu_representative): name, address and email must "
            "all be filled in (missing: email)"
        ),
    ),
    (
        {"manufacturer": [{**GPSR, "address": " "}]},
        "name, address and email must all be filled in (missing: address)",
    ),
    ({"green_tax": "-0.01"}, "green_tax: must be 0 or greater (got -0.01)"),
    (
        {"green_tax": "1.00001"},
        "green_tax: at most 4 decimals are allowed (got 1.00001)",
    ),
    (
        {"sale_prce": 10},
        (
            "ProductOfferSave: unknown key(s) sale_prce (misspelt, or not accepted by "
            "this eMAG route)"
        ),
    ),
    (
        {"part_number_key": "D5DD9BBBM"},
        "ProductOfferSave: unknown key(s) part_number_key",
    ),
]


@pytest.mark.parametrize(("override", "expected"), NEW_PRODUCT_FAILURES)
def test_new_product_limits(override, expected):
    assert expected in messages(ProductOfferSave, new_product(**override))


def test_new_product_requires_min_and_max_on_first_save():
    data = new_product()
    del data["max_sale_price"]
    assert (
        "product_offer/save (first save of the offer): missing required key(s) "
        "max_sale_price" in messages(ProductOfferSave, data)
    )


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (
            {"today": TODAY, "platform": "emag_bg"},
            "green_tax: can only be set on the eMAG RO platform (got platform emag_bg)",
        ),
        (
            {"today": TODAY, "platform": "fd_ro"},
            "green_tax: can only be set on the eMAG RO platform (got platform fd_ro)",
        ),
        (
            {"today": TODAY},
            (
                "green_tax: can only be set on the eMAG RO platform; pass "
                "context={'platform': 'emag_ro'}"
            ),
        ),
        (
            {"today": TODAY, "platform": "ro"},
            "platform: unknown platform 'ro' in validation context",
        ),
    ],
)
def test_green_tax_only_on_emag_ro(context, expected):
    data = new_product(green_tax="2.5")
    assert expected in messages(ProductOfferSave, data, context=context)


def test_green_tax_on_emag_ro_passes():
    model = ProductOfferSave.model_validate(new_product(green_tax="2.5"), context=CTX)
    assert model.to_payload()["green_tax"] == 2.5


# category template checks (context "category")
CATEGORY = {
    "id": 506,
    "is_ean_mandatory": 1,
    "is_warranty_mandatory": 1,
    "characteristics": [
        {
            "id": 6506,
            "name": "Size",
            "is_mandatory": 1,
            "tags": ["original", "converted"],
        },
        {"id": 38, "name": "Audio", "is_mandatory": 0},
    ],
    "family_types": [{"id": 95, "name": "Quantity", "characteristics": []}],
}
GOOD_CHARS = [
    {"id": 6506, "tag": "original", "value": "36 EU"},
    {"id": 6506, "tag": "converted", "value": "39 intl"},
]


def with_category(**over):
    data = new_product(ean=["5901234123457"], warranty=24, characteristics=GOOD_CHARS)
    data.update(over)
    return data


def test_category_template_passes():
    ctx = {**CTX, "category": Category.model_validate(CATEGORY)}
    ProductOfferSave.model_validate(with_category(), context=ctx)
    ProductOfferSave.model_validate(
        with_category(), context={**CTX, "category": CATEGORY}
    )


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"ean": None}, "ean: at least one EAN is mandatory in category 506"),
        ({"warranty": None}, "warranty: is mandatory in category 506"),
        (
            {"characteristics": [*GOOD_CHARS, {"id": 999, "value": "x"}]},
            "characteristics: id 999 is not a characteristic of category 506",
        ),
        (
            {"characteristics": [{"id": 6506, "value": "36 EU"}]},
            "characteristics: id 6506 (Size) has tags (original, converted)",
        ),
        (
            {"characteristics": [{"id": 6506, "tag": "eu", "value": "36"}]},
            "characteristics: tag 'eu' is not valid for id 6506",
        ),
        (
            {"characteristics": [{"id": 38, "value": "x"}]},
            "characteristics: mandatory characteristic(s) missing: 6506 (Size)",
        ),
        (
            {"family": {"id": 1, "name": "F", "family_type_id": 96}},
            "family: family_type_id 96 is not a family type of category 506",
        ),
        ({"category_id": 507}, "category_id: 507 does not match the category given"),
    ],
)
def test_category_template_failures(override, expected):
    ctx = {**CTX, "category": CATEGORY}
    data = with_category(**override)
    data = {k: v for k, v in data.items() if v is not None}
    assert expected in messages(ProductOfferSave, data, context=ctx)


# ---------------------------------------------------------------------------
# attach by part_number_key or EAN (§2.11)
# ---------------------------------------------------------------------------
def attach(**over):
    data = {
        "id": 5,
        "name": "Phone",
        "status": 1,
        "sale_price": "10",
        "min_sale_price": "5",
        "max_sale_price": "20",
        "vat_id": 1,
        "stock": [{"warehouse_id": 1, "value": 3}],
    }
    data.update(over)
    return data


def test_attach_by_pnk_or_ean_passes():
    model = ProductOfferAttach.model_validate(
        attach(part_number_key=" D5DD9BBBM "), context=CTX
    )
    assert model.to_payload()["part_number_key"] == "D5DD9BBBM"
    model = ProductOfferAttach.model_validate(
        attach(ean=["5901234123457"]), context=CTX
    )
    assert model.to_payload()["ean"] == ["5901234123457"]


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            {"part_number_key": "D5DD9BBBM", "ean": ["5901234123457"]},
            "part_number_key / ean: send exactly one of them",
        ),
        ({}, "part_number_key / ean: send exactly one of them"),
        (
            {"ean": ["5901234123457", "0012345678905"]},
            "ean: at most 1 items are allowed (got 2)",
        ),
        (
            {"part_number_key": "123456789"},
            "part_number_key: '123456789' is not an eMAG part_number_key",
        ),
        (
            {"part_number_key": "D5DD-9BBBM"},
            "part_number_key: 'D5DD-9BBBM' is not an eMAG part_number_key",
        ),
        (
            {"part_number_key": "D5DD9BBBM", "status": 2},
            "status: must be 0 (inactive) or 1 (active) (got 2)",
        ),
        (
            {"part_number_key": "D5DD9BBBM", "description": "doc"},
            "ProductOfferAttach: unknown key(s) description",
        ),
        (
            {"part_number_key": "D5DD9BBBM", "name": ""},
            "name: must be 1 to 255 characters long (got 0)",
        ),
    ],
)
def test_attach_failures(override, expected):
    assert expected in messages(ProductOfferAttach, attach(**override))


def test_attach_requires_min_max():
    data = attach(part_number_key="D5DD9BBBM")
    del data["min_sale_price"]
    with pytest.raises(ValidationError) as exc:
        ProductOfferAttach.model_validate(data, context=CTX)
    err = exc.value.errors()[0]
    assert err["loc"] == ("min_sale_price",) and err["type"] == "missing"


# ---------------------------------------------------------------------------
# offer update via product_offer/save (§2.6.1) and light offer/save (§2.6.2)
# ---------------------------------------------------------------------------
def test_offer_update_passes_with_eol():
    model = ProductOfferUpdate.model_validate(offer_update(status=2), context=CTX)
    assert model.to_payload() == {
        "id": 243409,
        "status": 2,
        "sale_price": 51.6477,
        "vat_id": 1,
        "handling_time": [{"warehouse_id": 1, "value": 1}],
        "stock": [{"warehouse_id": 1, "value": 20}],
    }


@pytest.mark.parametrize(
    "missing", ["status", "sale_price", "vat_id", "handling_time", "stock"]
)
def test_offer_update_mandatory_keys(missing):
    data = offer_update()
    del data[missing]
    with pytest.raises(ValidationError) as exc:
        ProductOfferUpdate.model_validate(data, context=CTX)
    err = exc.value.errors()[0]
    assert err["loc"] == (missing,) and err["type"] == "missing"


def test_offer_update_refuses_documentation_keys():
    assert "ProductOfferUpdate: unknown key(s) description, name" in messages(
        ProductOfferUpdate, offer_update(name="x", description="y")
    )


def test_offer_update_handling_time_limit():
    data = offer_update(handling_time=[{"warehouse_id": 1, "value": 300}])
    assert "handling_time value: must be an integer between 0 and 255 (got 300)" in (
        messages(ProductOfferUpdate, data)
    )


def test_light_offer_only_id():
    assert OfferLightSave.model_validate({"id": 7}).to_payload() == {"id": 7}
    model = OfferLightSave.model_validate(
        {"id": 7, "sale_price": "12.5", "stock": [{"warehouse_id": 1, "value": 0}]}
    )
    assert model.to_payload() == {
        "id": 7,
        "sale_price": 12.5,
        "stock": [{"warehouse_id": 1, "value": 0}],
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"sale_price": 1}, "Field required"),
        ({"id": 0}, "id: must be an integer between 1 and 16777215 (got 0)"),
        (
            {"id": 1, "start_date": "2026-01-20"},
            "OfferLightSave: unknown key(s) start_date",
        ),
        (
            {"id": 1, "min_sale_price": 10, "max_sale_price": 5},
            "max_sale_price: must be greater than min_sale_price (got max 5 <= min 10)",
        ),
        (
            {"id": 1, "sale_price": 10, "recommended_price": 9},
            "recommended_price: must be greater than sale_price (got 9 <= 10)",
        ),
        (
            {"id": 1, "sale_price": 4, "min_sale_price": 5},
            "sale_price: must be within [min_sale_price, max_sale_price]",
        ),
        (
            {"id": 1, "stock": [{"warehouse_id": 1, "value": 70000}]},
            "stock value: must be an integer between 0 and 65535 (got 70000)",
        ),
        ({"id": 1, "status": 5}, "status: must be 0 (inactive), 1 (active) or 2"),
        ({"id": 1, "currency_type": "RON"}, "currency_type: must be 'EUR' or 'PLN'"),
    ],
)
def test_light_offer_failures(data, expected):
    assert expected in messages(OfferLightSave, data)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"length": "1.005"}, "length: at most 2 decimals are allowed (got 1.005)"),
        ({"weight": "1000000"}, "weight: must be at most 999999 (got 1000000)"),
        ({"height": "-1"}, "height: must be 0 or greater (got -1)"),
    ],
)
def test_measurements_limits(override, expected):
    data = {"id": 1, "length": 100, "width": "122.50", "height": 250, "weight": 0}
    MeasurementsSave.model_validate(data)
    assert expected in messages(MeasurementsSave, {**data, **override})


# ---------------------------------------------------------------------------
# product_offer/read (§2.8)
# ---------------------------------------------------------------------------
def offer_read(**over):
    data = {
        "id": 1,
        "part_number_key": "D5DD9BBBM",
        "status": 1,
        "general_stock": 5,
        "sale_price": "51.6477",
        "ean": [5901234123457],
        "validation_status": [{"value": 9, "Description": "Approved", "errors": []}],
        "offer_validation_status": {"value": 1, "description": "Saleable"},
        "genius_eligibility": 1,
        "genius_eligibility_type": 2,
        "genius_computed": 0,
        "manufacturer": True,
        "eu_representative": [GPSR],
        "something_new": {"a": 1},
    }
    data.update(over)
    return data


def test_offer_read_parses_and_is_sellable():
    offer = ProductOfferRead.model_validate(offer_read())
    assert offer.validation_status[0].description == "Approved"
    assert offer.offer_validation_status_value == 1
    assert offer.manufacturer is True
    assert offer.eu_representative[0].email == "a@b.ro"
    assert offer.ean == ["5901234123457"]
    assert offer.is_sellable and offer.unsellable_reasons() == []
    assert offer.model_dump()["something_new"] == {"a": 1}
    assert offer_is_sellable(offer_read())


@pytest.mark.parametrize("value", [3, 9, 11, 12])
def test_offer_sellable_validation_values(value):
    data = offer_read(validation_status=[{"value": value}])
    assert offer_is_sellable(data)


@pytest.mark.parametrize("value", [0, 1, 2, 4, 5, 6, 8, 10])
def test_offer_not_sellable_validation_values(value):
    offer = ProductOfferRead.model_validate(
        offer_read(validation_status=[{"value": value}])
    )
    assert not offer.is_sellable
    assert f"validation_status is {value}" in offer.unsellable_reasons()[0]


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"general_stock": 0}, "stock is 0 (must be > 0)"),
        ({"status": 0}, "status is 0 (inactive), not 1 (active)"),
        ({"status": 2}, "status is 2 (end of life), not 1 (active)"),
        (
            {"offer_validation_status": [{"value": 2}]},
            "offer_validation_status is 2 (Invalid price), not 1 (valid)",
        ),
        (
            {"translation_validation_status": [{"value": 15}]},
            "translation_validation_status is 15 (Translation in progress)",
        ),
    ],
)
def test_offer_not_sellable_reasons(override, reason):
    offer = ProductOfferRead.model_validate(offer_read(**override))
    assert not offer.is_sellable
    assert reason in offer.unsellable_reasons()


def test_offer_sellable_with_partial_translation_and_stock_list():
    data = offer_read(
        general_stock=None,
        stock=[{"warehouse_id": 1, "value": 2}],
        translation_validation_status=[{"value": 17}],
    )
    assert offer_is_sellable(data)


# ---------------------------------------------------------------------------
# orders (§5.1)
# ---------------------------------------------------------------------------
RAW_ORDER = {
    "id": 939393,
    "status": 4,
    "is_complete": 1,
    "type": 3,
    "payment_mode_id": 1,
    "payment_mode": "COD",
    "delivery_mode": "pickup",
    "details": {"locker_id": "dce0b7cf", "locker_name": "easybox", "x_new": 1},
    "date": "2026-01-10 09:30:00",
    "modified": "2026-01-11 10:00:00",
    "payment_status": 0,
    "cashed_cod": 0,
    "shipping_tax": "19.99",
    "shipping_tax_voucher_split": [],
    "customer": {
        "id": 1,
        "name": "Surname Name",
        "legal_entity": 1,
        "code": "14399840",
        "bank": "Bank",
        "iban": "RO24BACX0000000031430310",
        "registration_number": "J40/372/2002",
        "billing_locality_id": "7",
        "shipping_locality_id": "8",
        "shipping_street": "Str. Test 1",
        "customer_new_key": "kept",
    },
    "products": [
        {
            "id": 1,
            "product_id": "1",
            "part_number_key": "D5DD9BBBM",
            "ext_part_number": "sku 1",
            "quantity": 2,
            "sale_price": "123.4567",
            "vat": "0.19",
            "status": 1,
            "initial_qty": 2,
            "product_voucher_split": [
                {
                    "voucher_id": 5,
                    "value": "-8.0645",
                    "vat_value": "-1.5323",
                    "vat": "0.19",
                    "offered_by": "seller",
                    "voucher_name": "Promo",
                }
            ],
            "recycle_warranties": [
                {"quantity": 6, "sale_price": 0.5, "vat_rate": 0, "product_name": "SGR"}
            ],
        }
    ],
    "vouchers": [{"voucher_id": 5, "sale_price": "-8.0645", "vat": "0.19"}],
    "attachments": [],
    "enforced_vendor_courier_accounts": None,
    "reason_cancellation": None,
    "unknown_top_level": [1, 2, {"deep": True}],
}


def test_order_round_trips_unknown_keys():
    order = Order.model_validate(RAW_ORDER)
    payload = order.to_save_payload()
    assert payload["unknown_top_level"] == [1, 2, {"deep": True}]
    assert payload["customer"]["customer_new_key"] == "kept"
    assert payload["details"]["x_new"] == 1
    assert payload["products"][0]["initial_qty"] == 2
    # nulls eMAG sent go back; keys it did not send are not invented
    assert "enforced_vendor_courier_accounts" in payload
    assert payload["enforced_vendor_courier_accounts"] is None
    assert "is_storno" not in payload
    assert "cashed_co" not in payload
    assert set(payload) == set(RAW_ORDER)
    # amounts are JSON numbers
    assert payload["products"][0]["sale_price"] == 123.4567
    assert payload["shipping_tax"] == 19.99
    assert payload["products"][0]["product_voucher_split"][0]["value"] == -8.0645
    json.dumps(payload)


def test_order_helpers_and_changes():
    order = Order.model_validate(RAW_ORDER)
    assert order.products[0].sale_price == Decimal("123.4567")
    assert order.order_customer.shipping_locality_int == 8
    assert order.order_details.locker_id == "dce0b7cf"
    assert order.modified_dt.hour == 10
    order.status = 3
    order.is_storno = True
    payload = order.to_save_payload()
    assert payload["status"] == 3 and payload["is_storno"] is True


def test_order_read_is_lenient_but_save_checks_limits():
    raw = {**RAW_ORDER, "status": 9, "payment_mode_id": 7, "details": []}
    order = Order.model_validate(raw)  # import never fails on a new value
    assert order.details == []
    with pytest.raises(ValidationError) as exc:
        order.to_save_payload()
    text = str(exc.value)
    assert "status: must be 0 (Canceled), 1 (New), 2 (In progress)" in text
    assert "payment_mode_id: must be 1 (Cash on delivery)" in text


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("id",), 0, "order id: must be an integer between 1 and 4294967295 (got 0)"),
        (("type",), 1, "order type: must be 2 (Fulfilled by eMAG (FBE)) or 3"),
        (
            ("products", 0, "id"),
            10_000_000,
            "order product line id: must be an integer between 1 and 9999999",
        ),
        (
            ("vouchers", 0, "voucher_id"),
            10_000_000,
            "voucher_id: must be an integer between 1 and 9999999 (got 10000000)",
        ),
        (
            ("customer", "id"),
            2_147_483_648,
            "customer id: must be an integer between 1 and 2147483647",
        ),
        (
            ("products", 0, "ext_part_number"),
            "x" * 26,
            (
                "ext_part_number: must be 1 to 25 characters after removing spaces, "
                "commas and semicolons (got 26)"
            ),
        ),
        (("products", 0, "status"), 2, "product status: must be 0 (cancelled) or 1"),
        (("products", 0, "quantity"), -1, "quantity: must not be negative (got -1"),
    ],
)
def test_order_save_limits(path, value, expected):
    raw = json.loads(json.dumps(RAW_ORDER))
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    order = Order.model_validate(raw)
    with pytest.raises(ValidationError) as exc:
        order.to_save_payload()
    assert expected in str(exc.value)


def test_order_save_refuses_fbe_orders():
    order = Order.model_validate({**RAW_ORDER, "type": 2})
    with pytest.raises(ValueError, match="fulfilled by eMAG \\(type 2\\) cannot be"):
        order.to_save_payload()


def test_order_part_number_not_stripped_on_read():
    order = Order.model_validate(RAW_ORDER)
    assert order.products[0].ext_part_number == "sku 1"


# ---------------------------------------------------------------------------
# order/attachments/save (§5.1.3)
# ---------------------------------------------------------------------------
INVOICE = {
    "order_id": 939393,
    "order_type": 3,
    "name": "Invoice 1",
    "url": "https://shop.example.com/inv/1.pdf",
    "type": 1,
    "force_download": 0,
}


def test_order_attachment_passes():
    assert OrderAttachmentSave.model_validate(INVOICE).to_payload() == INVOICE
    warranty = {
        "order_type": 3,
        "order_product_id": 171958974,
        "url": "https://a.ro/w.pdf",
        "type": 3,
    }
    OrderAttachmentSave.model_validate(warranty)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"order_id": 0}, "order_id: must be an integer between 1 and 4294967295"),
        (
            {"order_id": 4294967296},
            "order_id: must be an integer between 1 and 4294967295 (got 4294967296)",
        ),
        ({"order_type": 1}, "order_type: must be 2 (Fulfilled by eMAG (FBE)) or 3"),
        ({"name": "n" * 61}, "name: must be 1 to 60 characters long (got 61)"),
        ({"name": ""}, "name: must be 1 to 60 characters long (got 0)"),
        (
            {"url": "https://a.ro/" + "x" * 1012},
            "url: must be 1 to 1024 characters long (got 1025)",
        ),
        ({"url": "invoice.pdf"}, "url: must be a valid http(s) URL"),
        (
            {"type": 2},
            (
                "type: must be 1 (Invoice), 3 (Warranty), 4 (User manual), "
                "8 (User guide), 10 (AWB) or 11 (Proforma) (got 2)"
            ),
        ),
        ({"force_download": 2}, "force_download: must be 0 or 1 (got 2)"),
        ({"order_id": None}, "order_id: is required for invoices (type 1)"),
        (
            {"type": 3},
            "order_product_id: is required for warranties (type 3)",
        ),
        (
            {"order_product_id": 0},
            "order_product_id: must be an integer between 1 and 4294967295 (got 0)",
        ),
    ],
)
def test_order_attachment_limits(override, expected):
    data = {k: v for k, v in {**INVOICE, **override}.items() if v is not None}
    assert expected in messages(OrderAttachmentSave, data)


def test_order_attachment_order_type_required():
    data = dict(INVOICE)
    del data["order_type"]
    with pytest.raises(ValidationError) as exc:
        OrderAttachmentSave.model_validate(data)
    assert exc.value.errors()[0]["loc"] == ("order_type",)


# ---------------------------------------------------------------------------
# awb/save (§6.1)
# ---------------------------------------------------------------------------
def party(**over):
    data = {
        "name": "Seller SRL",
        "contact": "Ion",
        "phone1": "0722123456",
        "locality_id": 8801,
        "street": "Str. Test 1",
    }
    data.update(over)
    return data


def awb(**over):
    data = {
        "order_id": 939393,
        "sender": party(address_id="12"),
        "receiver": party(legal_entity=0, zipcode="012345"),
        "is_oversize": 0,
        "envelope_number": 0,
        "parcel_number": 1,
        "cod": "150.5",
    }
    data.update(over)
    return data


def test_awb_passes_and_normalises_phones():
    data = awb(receiver=party(phone1="0722 123-456", phone2="+40722123456"))
    model = AwbSave.model_validate(data, context=CTX)
    payload = model.to_payload()
    assert payload["receiver"]["phone1"] == "0722123456"
    assert payload["receiver"]["phone2"] == "+40722123456"
    assert payload["cod"] == 150.5


def test_awb_return_passes():
    data = awb(rma_id=5, date="2026-01-16", pickup_and_return=0)
    model = AwbSave.model_validate(data, context=CTX)
    assert model.to_payload()["date"] == "2026-01-16"


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"order_id": 0}, "order_id: must be an integer between 1 and 4294967295"),
        ({"rma_id": 4294967296, "date": "2026-01-16"}, "rma_id: must be an integer"),
        ({"locker_id": "ab"}, "locker_id: must be 3 to 255 characters long (got 2)"),
        ({"locker_id": LONG}, "locker_id: must be 3 to 255 characters long (got 256)"),
        ({"is_oversize": 2}, "is_oversize: must be 0 or 1 (got 2)"),
        (
            {"insured_value": "1000000000"},
            "insured_value: must be at most 999999999 (got 1000000000)",
        ),
        ({"insured_value": "-1"}, "insured_value: must be 0 or greater (got -1)"),
        ({"weight": "100000"}, "weight: must be at most 99999 (got 100000)"),
        (
            {"envelope_number": 10000},
            "envelope_number: must be an integer between 0 and 9999 (got 10000)",
        ),
        (
            {"parcel_number": 1000},
            "parcel_number: must be an integer between 0 and 999 (got 1000)",
        ),
        (
            {"parcel_number": 0, "envelope_number": 0},
            "parcel_number / envelope_number: they cannot both be 0",
        ),
        (
            {"observation": LONG},
            "observation: must be 0 to 255 characters long (got 256)",
        ),
        ({"cod": "1000000000"}, "cod: must be at most 999999999 (got 1000000000)"),
        ({"cod": "-0.01"}, "cod: must be 0 or greater (got -0.01)"),
        ({"pickup_and_return": 2}, "pickup_and_return: must be 0 or 1 (got 2)"),
        ({"saturday_delivery": 2}, "saturday_delivery: must be 0 or 1 (got 2)"),
        ({"sameday_delivery": 2}, "sameday_delivery: must be 0 or 1 (got 2)"),
        ({"dropoff_locker": 2}, "dropoff_locker: must be 0 or 1 (got 2)"),
        ({"unboxing": 2}, "unboxing: must be 0 or 1 (got 2)"),
        (
            {"rma_id": 5, "date": "2026-01-16", "pickup_and_return": 1},
            "pickup_and_return: must be 0 or not sent for an AWB of a return",
        ),
        (
            {"rma_id": 5, "date": "2026-01-16", "dropoff_locker": 1},
            "dropoff_locker: is used only for orders, not returns",
        ),
        ({"rma_id": 5}, "date: is required for an AWB of a return (rma_id)"),
        (
            {"date": "2026-01-15"},
            "date: must be at least the next day (2026-01-16) (got 2026-01-15)",
        ),
        ({"date": "16.01.2026"}, "date: must be a date in YYYY-MM-DD format"),
        (
            {"sender": party(name="ab")},
            "name: must be 3 to 255 characters long (got 2)",
        ),
        (
            {"sender": party(name=LONG)},
            "name: must be 3 to 255 characters long (got 256)",
        ),
        ({"receiver": party(contact="")}, "contact: must be 1 to 255 characters long"),
        (
            {"receiver": party(contact=LONG)},
            "contact: must be 1 to 255 characters long",
        ),
        (
            {"receiver": party(phone1="0722123")},
            "phone1: must be 8 to 11 digits, optionally starting with '+'",
        ),
        (
            {"receiver": party(phone1="072212345678")},
            (
                "phone1: must be 8 to 11 digits, optionally starting with '+' (spaces, "
                "dots, dashes and brackets are removed) (got '072212345678')"
            ),
        ),
        ({"receiver": party(phone2="07x2123456")}, "phone2: must be 8 to 11 digits"),
        ({"receiver": party(phone1="40+722123456")}, "phone1: must be 8 to 11 digits"),
        (
            {"sender": party(address_id="a" * 22)},
            "address_id: must be 0 to 21 characters long (got 22)",
        ),
        (
            {"receiver": party(locality_id=0)},
            "locality_id: must be an integer between 1 and 4294967295 (got 0)",
        ),
        ({"receiver": party(street="ab")}, "street: must be 3 to 255 characters long"),
        ({"receiver": party(street=LONG)}, "street: must be 3 to 255 characters long"),
        ({"receiver": party(zipcode="")}, "zipcode: must be 1 to 255 characters long"),
        ({"receiver": party(legal_entity=2)}, "legal_entity: must be 0 or 1 (got 2)"),
        (
            {"sender": party(legal_entity=1)},
            "sender.legal_entity: applies only to the receiver",
        ),
        ({"courier": 1}, "AwbSave: unknown key(s) courier"),
    ],
)
def test_awb_limits(override, expected):
    assert expected in messages(AwbSave, awb(**override))


def test_awb_read_and_save_result():
    raw = {
        "emag_id": 9755945,
        "order_id": 1,
        "type": 3,
        "awb": [{"emag_id": 9755945, "awb_number": "2EMG00011012"}],
        "status": {"code": "DLV", "name": "Delivered"},
        "courier": {"courier_account_id": 5186, "courier_name": "SAMEDAY"},
        "extra": 1,
    }
    read = AwbRead.model_validate(raw)
    assert read.awb_numbers == ["2EMG00011012"]
    assert read.model_dump(exclude_unset=True)["extra"] == 1


# ---------------------------------------------------------------------------
# reference data
# ---------------------------------------------------------------------------
def test_reference_models_parse():
    assert VatRate.model_validate({"vat_id": 1, "vat_rate": 0.19}).vat_rate == Decimal(
        "0.19"
    )
    assert HandlingTime.model_validate(3).value == 3
    courier = CourierAccount.model_validate(
        {"account_id": 1, "courier_account_properties": [0, 2], "status": 1}
    )
    assert courier.has_property(2) and not courier.has_property(9)
    addr = Address.model_validate({"address_id": 123, "address_type_id": 2})
    assert addr.address_id == "123"
    loc = Locality.model_validate({"emag_id": 1, "name": "Bucuresti", "region2": "B"})
    assert loc.region2 == "B"


@pytest.mark.parametrize(
    ("model", "data", "expected"),
    [
        (Address, {"address_id": "a" * 22}, "address_id: must be 0 to 21 characters"),
        (Address, {"country_code": "c" * 46}, "country_code: must be 0 to 45"),
        (Address, {"suburb": "s" * 201}, "suburb: must be 0 to 200 characters"),
        (Address, {"city": "c" * 301}, "city: must be 0 to 300 characters"),
        (Address, {"address": "a" * 65536}, "address: must be 0 to 65535 characters"),
        (Address, {"zipcode": "1" * 101}, "zipcode: must be 0 to 100 characters"),
        (Address, {"quarter": "q" * 201}, "quarter: must be 0 to 200 characters"),
        (Address, {"floor": "f" * 101}, "floor: must be 0 to 100 characters"),
        (Address, {"address_type_id": 5}, "address_type_id: must be 1 (return), 2"),
        (
            Locality,
            {"name": "n" * 61},
            "name: must be 0 to 60 characters long (got 61)",
        ),
        (Locality, {"zipcode": "1" * 11}, "zipcode: must be 0 to 10 characters long"),
        (
            CourierAccount,
            {"courier_account_properties": [0, 1]},
            (
                "courier_account_properties: values must be among 0 (Regular (HD)), "
                "2 (Lockers), 6 (Offices), 8 (Crossborder), 9 (BPO) (got [1])"
            ),
        ),
        (
            CourierAccount,
            {"courier_account_type": 5},
            (
                "courier_account_type: must be 1 (RMA), 2 (Order), 3 (RMA & Order) or "
                "4 (Non Marketplace) (got 5)"
            ),
        ),
        (CourierAccount, {"account_display_name": "n" * 61}, "must be 0 to 60"),
    ],
)
def test_reference_limits_only_when_asked(model, data, expected):
    model.model_validate(data)  # read: lenient
    assert expected in messages(model, data, context={"check_limits": True})


def test_category_parses_values_and_tags():
    cat = Category.model_validate(
        {
            "id": 506,
            "characteristics": [
                {"id": 1, "type_id": 11, "values": {"0": "Blue"}, "tags": []},
                {"id": 6506, "values": ["36 EU"], "tags": ["original", "converted"]},
            ],
            "family_types": [
                {
                    "id": 95,
                    "characteristics": [
                        {"characteristic_id": 44, "characteristic_family_type_id": 2}
                    ],
                }
            ],
            "new_key": 1,
        }
    )
    assert cat.characteristic(1).value_list == ["Blue"]
    assert cat.characteristic(6506).tags == ["original", "converted"]
    assert cat.family_types[0].characteristics[0].characteristic_id == 44
    assert cat.model_dump()["new_key"] == 1


# ---------------------------------------------------------------------------
# RMA (§7)
# ---------------------------------------------------------------------------
RAW_RMA = {
    "emag_id": 123,
    "order_id": 939393,
    "type": 3,
    "customer_name": "Ion",
    "customer_phone": "0722",
    "products": [
        {
            "id": 1,
            "product_id": 5,
            "quantity": 1,
            "product_name": "Phone",
            "return_reason": 3,
            "new_line_key": "kept",
        }
    ],
    "awbs": [{"reservation_id": 4528511}],
    "pickup_method": 1,
    "return_type": 3,
    "return_tax_value": "12.50",
    "date": "2026-01-10 10:00:00",
    "request_status": 2,
    "rma_new_key": True,
}


def test_rma_round_trip():
    rma = Rma.model_validate(RAW_RMA)
    rma.request_status = 3
    payload = rma.to_save_payload()
    assert payload["rma_new_key"] is True
    assert payload["products"][0]["new_line_key"] == "kept"
    assert payload["request_status"] == 3
    assert payload["return_tax_value"] == 12.5


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"request_status": 8}, "request_status: must be 1 (Incomplete), 2 (New)"),
        ({"type": 1}, "type: must be 2 (Fulfilled by eMAG (FBE)) or 3"),
        ({"return_type": 6}, "return_type: must be 1 (Replacement with same product)"),
        ({"pickup_method": 4}, "pickup_method: must be 1 (eMAG courier)"),
        (
            {"products": [{"id": 10_000_000}]},
            "return product line id: must be an integer between 1 and 9999999",
        ),
        ({"products": [{"product_id": 5}]}, "return product: id (eMAG return product"),
        ({"emag_id": None}, "return request: missing required key(s) emag_id"),
    ],
)
def test_rma_save_limits(override, expected):
    rma = Rma.model_validate({**RAW_RMA, **override})  # read: lenient
    with pytest.raises(ValidationError) as exc:
        rma.to_save_payload()
    assert expected in str(exc.value)


def test_characteristic_value_outside_the_allowed_values_is_refused():
    category = {
        "id": 506,
        "characteristics": [
            {"id": 38, "name": "Tip", "allow_new_value": 0, "values": ["In-ear"]},
            {"id": 39, "name": "Model", "allow_new_value": 1, "values": ["A"]},
        ],
    }
    ok = new_product(
        characteristics=[{"id": 38, "value": "In-ear"}, {"id": 39, "value": "B"}]
    )
    ProductOfferSave.model_validate(ok, context={"category": category})
    bad = new_product(characteristics=[{"id": 38, "value": "Bluetooth"}])
    assert "'Bluetooth' is not an allowed value of id 38 (Tip)" in messages(
        ProductOfferSave, bad, context={"category": category}
    )
