"""Server-side checks of the limits documented by eMAG (API v4.4.9).

Every function here is pure: it receives plain JSON data and returns lists of
human-readable messages.  The route handlers decide what to do with them
(refuse the entity, or save it with a "documentation error").

Section numbers (§) refer to the eMAG Marketplace API documentation v4.4.9.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

MAX_INPUT_VARS = 4000  # §1.4
MAX_BULK_ENTITIES = 50  # §1.5
MAX_ITEMS_PER_PAGE = 100  # §1.3

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # "YYYY-mm-dd HH:ii:ss" in the doc

SOURCE_LANGUAGES = {
    "en_GB",
    "ro_RO",
    "pl_PL",
    "bg_BG",
    "hu_HU",
    "de_DE",
    "it_IT",
    "fr_FR",
    "es_ES",
    "nl_NL",
    "cs_CZ",
    "ru_RU",
    "el_GR",
    "lt_LT",
    "sk_SK",
    "uk_UA",
}
SUPPLY_LEAD_TIMES = {2, 3, 5, 7, 14, 30, 60, 90, 120}
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
ATTACHMENT_TYPES = {1, 3, 4, 8, 10, 11}  # §5.1.3
PART_NUMBER_STRIPPED = re.compile(r"[ ,;]")

# Keys of §2.4.2 that describe the product (documentation), as opposed to the offer.
DOCUMENTATION_KEYS = (
    "category_id",
    "name",
    "part_number",
    "brand",
    "description",
    "images",
    "characteristics",
    "family",
    "url",
    "ean",
    "attachments",
    "source_language",
    "safety_information",
)
# Keys accepted by the light offer API (§2.6.2) besides the mandatory "id".
LIGHT_OFFER_KEYS = {
    "sale_price",
    "recommended_price",
    "min_sale_price",
    "max_sale_price",
    "currency_type",
    "stock",
    "handling_time",
    "vat_id",
    "status",
}
# Mandatory keys when updating an offer through product_offer/save (§2.6.1).
UPDATE_REQUIRED_KEYS = (
    "id",
    "status",
    "sale_price",
    "vat_id",
    "handling_time",
    "stock",
)


# --------------------------------------------------------------------------- basics


def count_elements(data: Any) -> int:
    """Number of "input vars" of a payload, as PHP's max_input_vars would see it.

    Leaf values of the flattened JSON are counted; an empty list/dict counts as
    one element (it still is one form variable once flattened).
    """
    if isinstance(data, dict):
        return sum(count_elements(v) for v in data.values()) if data else 1
    if isinstance(data, list):
        return sum(count_elements(v) for v in data) if data else 1
    return 1


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def as_int(value: Any) -> int | None:
    """An integer, or an integer written as a string (eMAG is PHP: "12" == 12)."""
    if is_int(value):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def check_int(value: Any, lo: int | None = None, hi: int | None = None) -> str | None:
    number = as_int(value)
    if number is None:
        return "must be an integer"
    if lo is not None and number < lo or hi is not None and number > hi:
        if hi is None:
            return f"must be an integer greater than or equal to {lo}"
        return f"must be an integer between {lo} and {hi}"
    return None


def check_choice(value: Any, choices) -> str | None:
    number = as_int(value)
    if number is None or number not in choices:
        allowed = ", ".join(str(c) for c in sorted(choices))
        return f"must be one of {allowed}"
    return None


def check_str(value: Any, lo: int, hi: int) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if not lo <= len(value) <= hi:
        return f"must be a string between {lo} and {hi} characters long"
    return None


def as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check_decimal(
    value: Any, *, gt: Decimal | None = None, ge: Decimal | None = None, places: int = 4
) -> str | None:
    number = as_decimal(value)
    if number is None:
        return "must be a decimal number"
    if gt is not None and number <= gt:
        return f"must be greater than {gt}"
    if ge is not None and number < ge:
        return f"must be greater than or equal to {ge}"
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        return f"must have at most {places} decimals"
    return None


def check_url(value: Any, lo: int = 1, hi: int = 1024) -> str | None:
    problem = check_str(value, lo, hi)
    if problem:
        return problem
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return "must be a valid http(s) URL"
    return None


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, DATETIME_FORMAT)
    except ValueError:
        return None


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None


def strip_part_number(value: str) -> str:
    """§2.4.2: spaces, commas and semicolons are stripped from part numbers."""
    return PART_NUMBER_STRIPPED.sub("", value)


# ---------------------------------------------------------------- warehouse lists


def check_warehouse_list(value: Any, hi: int, *, required: bool) -> list[str]:
    """stock / handling_time: a list of {warehouse_id, value}."""
    if not isinstance(value, list):
        return ["must be a list of {warehouse_id, value}"]
    if required and not value:
        return ["must not be empty"]
    problems = []
    for i, row in enumerate(value):
        if not isinstance(row, dict):
            problems.append(f"[{i}] must be an object {{warehouse_id, value}}")
            continue
        if "warehouse_id" not in row:
            problems.append(f"[{i}].warehouse_id is required")
        elif check_int(row["warehouse_id"], 1, 4294967295):
            problems.append(f"[{i}].warehouse_id must be a positive integer")
        if "value" not in row:
            problems.append(f"[{i}].value is required")
        else:
            problem = check_int(row["value"], 0, hi)
            if problem:
                problems.append(f"[{i}].value {problem}")
    return problems


def check_gpsr(value: Any) -> list[str]:
    """manufacturer / eu_representative (§2.4.2, GPSR)."""
    if not isinstance(value, list):
        return ["must be a list of {name, address, email}"]
    if len(value) > 10:
        return ["accepts at most 10 sets of information"]
    problems = []
    limits = {"name": 200, "address": 500, "email": 100}
    for i, row in enumerate(value):
        if not isinstance(row, dict):
            problems.append(f"[{i}] must be an object {{name, address, email}}")
            continue
        for key, hi in limits.items():
            if key not in row:
                problems.append(
                    f"[{i}].{key} is required (all of name, address, email)"
                )
                continue
            problem = check_str(row[key], 1, hi)
            if problem:
                problems.append(f"[{i}].{key} {problem}")
    return problems


# ------------------------------------------------------------------ offer checks


@dataclass
class OfferContext:
    """What the validation of an offer needs to know about the account."""

    vat_ids: set[int]
    categories: dict[int, dict]
    catalogue_pnks: set[str]
    today: date
    catalogue_eans: set[str] = field(default_factory=set)
    platform: str = "emag_ro"
    currency: str = "RON"


@dataclass
class OfferCheck:
    errors: list[str] = field(default_factory=list)  # the entity is NOT saved
    doc_errors: list[str] = field(default_factory=list)  # saved, isError true


def _label(offer: Any, index: int) -> str:
    if isinstance(offer, dict) and as_int(offer.get("id")) is not None:
        return f"Offer {as_int(offer['id'])}"
    return f"Offer #{index + 1} of the request"


def _one(problem: str | None) -> list[str]:
    return [problem] if problem else []


def _check_pnk(pnk: Any) -> list[str]:
    if not isinstance(pnk, str) or not re.fullmatch(r"[A-Z0-9]{5,25}", pnk):
        return ["is not a valid part_number_key"]
    if not (re.search(r"\d", pnk) and re.search(r"[A-Z]", pnk)):
        return ["must contain both letters and digits"]
    return []


def _check_part_number(value: Any) -> list[str]:
    if isinstance(value, str):
        value = strip_part_number(value)
    return _one(check_str(value, 1, 25))


def _check_green_tax(value: Any, ctx: OfferContext) -> list[str]:
    if ctx.platform != "emag_ro":
        return ["can be set only on the eMAG RO platform"]
    return _one(check_decimal(value, ge=Decimal(0)))


def _check_currency(value: Any, ctx: OfferContext) -> list[str]:
    if not isinstance(value, str) or value not in {"EUR", "PLN", ctx.currency}:
        return ["must be a 3 characters currency: EUR or PLN"]
    return []


def _check_vat(value: Any, ctx: OfferContext) -> list[str]:
    vat_id = as_int(value)
    if vat_id is None:
        return ["must be an integer"]
    if vat_id not in ctx.vat_ids:
        return [f"{vat_id} is not a valid VAT rate id (see vat/read)"]
    return []


def _price(value: Any, ctx: OfferContext) -> list[str]:
    return _one(check_decimal(value, gt=Decimal(0)))


def _flag(value: Any, ctx: OfferContext) -> list[str]:
    return _one(check_choice(value, {0, 1}))


def _text(lo: int, hi: int):
    return lambda value, ctx: _one(check_str(value, lo, hi))


# key -> check(value, ctx) returning problems. A problem starting with "[" or "."
# refers to a sub-key ("[0].url ..."), else to the key itself.
PRODUCT_RULES = {
    "category_id": lambda v, ctx: _one(check_int(v, 1, 65535)),
    "vendor_category_id": lambda v, ctx: _one(check_int(v)),
    "part_number_key": lambda v, ctx: _check_pnk(v),
    "source_language": lambda v, ctx: (
        [] if v in SOURCE_LANGUAGES else ["is not an accepted language code"]
    ),
    "name": _text(1, 255),
    "brand": _text(1, 255),
    "part_number": lambda v, ctx: _check_part_number(v),
    "description": _text(1, 16777215),
    "safety_information": _text(1, 16777215),
    "force_images_download": _flag,
    "images_overwrite": _flag,
    "emag_club": _flag,
    "images": lambda v, ctx: _check_images(v),
    "characteristics": lambda v, ctx: _check_characteristics(v),
    "family": lambda v, ctx: _check_family(v),
    "url": _text(1, 1024),
    "warranty": lambda v, ctx: _one(check_int(v, 0, 255)),
    "ean": lambda v, ctx: _check_eans(v),
    "attachments": lambda v, ctx: _check_attachments(v),
    "supply_lead_time": lambda v, ctx: _one(check_choice(v, SUPPLY_LEAD_TIMES)),
    "start_date": lambda v, ctx: _one(_check_start_date(v, ctx.today)),
    "manufacturer": lambda v, ctx: check_gpsr(v),
    "eu_representative": lambda v, ctx: check_gpsr(v),
    "green_tax": _check_green_tax,
}
OFFER_RULES = {
    "id": lambda v, ctx: _one(check_int(v, 1, 16777215)),
    "status": lambda v, ctx: _one(check_choice(v, {0, 1, 2})),
    "sale_price": _price,
    "recommended_price": _price,
    "min_sale_price": _price,
    "max_sale_price": _price,
    "currency_type": _check_currency,
    "stock": lambda v, ctx: check_warehouse_list(v, 65535, required=True),
    # The doc's range is 0..255; handling_time/read only lists common values, so
    # the value is not restricted to that list.
    "handling_time": lambda v, ctx: check_warehouse_list(v, 255, required=False),
    "vat_id": _check_vat,
}


def check_offer_fields(offer: dict, ctx: OfferContext, *, light: bool) -> list[str]:
    """Type and range checks of every key present (§2.4.2, §2.6.2)."""
    rules = OFFER_RULES if light else {**OFFER_RULES, **PRODUCT_RULES}
    out: list[str] = []
    for key, rule in rules.items():
        if key not in offer:
            continue
        for problem in rule(offer[key], ctx):
            sep = "" if problem.startswith(("[", ".")) else " "
            out.append(f"'{key}'{sep}{problem}")
    return out


def _check_images(images: Any) -> list[str]:
    if not isinstance(images, list):
        return ["must be a list of {url, display_type}"]
    out = []
    for i, image in enumerate(images):
        if not isinstance(image, dict):
            out.append(f"[{i}] must be an object {{url, display_type}}")
            continue
        if "url" not in image:
            out.append(f"[{i}].url is required")
        else:
            out.extend(f"[{i}].url {p}" for p in _one(check_url(image["url"])))
        if "display_type" in image:
            problem = check_int(image["display_type"], 0, 2)
            out.extend(f"[{i}].display_type {p}" for p in _one(problem))
    return out


def _check_characteristics(items: Any) -> list[str]:
    if not isinstance(items, list):
        return ["must be a list of {id, value}"]
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            out.append(f"[{i}] must be an object {{id, value}}")
            continue
        if "id" not in item:
            out.append(f"[{i}].id is required")
        elif check_int(item["id"], 1, 65535):
            out.append(f"[{i}].id must be an integer between 1 and 65535")
        if "value" not in item:
            out.append(f"[{i}].value is required")
        elif check_str(item["value"], 1, 255):
            out.append(f"[{i}].value must be a string between 1 and 255 characters")
        if "tag" in item and check_str(item["tag"], 1, 255):
            out.append(f"[{i}].tag must be a string between 1 and 255 characters")
    return out


def _check_family(family: Any) -> list[str]:
    if not isinstance(family, dict):
        return ["must be an object {id, name, family_type_id}"]
    out = []
    family_id = as_int(family.get("id"))
    if family_id is None:
        out.append(".id is required and must be an integer")
    elif family_id != 0:
        if check_str(family.get("name"), 1, 255):
            out.append(".name is required when family id is not 0")
        if as_int(family.get("family_type_id")) is None:
            out.append(".family_type_id is required when family id is not 0")
    return out


def _check_eans(eans: Any) -> list[str]:
    if not isinstance(eans, list):
        return ["must be an array of strings"]
    out = []
    for i, ean in enumerate(eans):
        if not isinstance(ean, str) or not re.fullmatch(r"\d{6,14}", ean):
            out.append(f"[{i}] {ean!r} is not a valid ean (6 to 14 digits)")
    return out


def _check_attachments(items: Any) -> list[str]:
    if not isinstance(items, list):
        return ["must be a list of {id, url}"]
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            out.append(f"[{i}] must be an object {{id, url}}")
            continue
        if "id" in item and check_int(item["id"], 1, 4294967295):
            out.append(f"[{i}].id must be an integer between 1 and 4294967295")
        if "url" not in item:
            out.append(f"[{i}].url is required")
        elif check_url(item["url"]):
            out.append(f"[{i}].url must be a valid URL of 1 to 1024 characters")
    return out


def _check_start_date(value: Any, today: date) -> str | None:
    day = parse_date(value)
    if day is None:
        return "must be a date in YYYY-MM-DD format"
    if day < today + timedelta(days=1):
        return "cannot be earlier than tomorrow"
    if day > today + timedelta(days=60):
        return "can be at most 60 days in the future"
    return None


def effective_prices(offer: dict, existing: dict | None) -> dict[str, Decimal | None]:
    merged = dict(existing or {})
    merged.update(offer)
    return {
        key: as_decimal(merged.get(key))
        for key in (
            "sale_price",
            "recommended_price",
            "min_sale_price",
            "max_sale_price",
        )
    }


def check_price_rules(offer: dict, existing: dict | None) -> list[str]:
    """recommended > sale, max > min, min <= sale <= max (§2.4.2 IMPORTANT notes)."""
    prices = effective_prices(offer, existing)
    sale, rec = prices["sale_price"], prices["recommended_price"]
    low, high = prices["min_sale_price"], prices["max_sale_price"]
    out = []
    touched = set(offer) & {"recommended_price", "sale_price"}
    if rec is not None and sale is not None and touched and rec <= sale:
        out.append("'recommended_price' must be greater than sale_price")
    if low is not None and high is not None and high <= low:
        out.append("'max_sale_price' must be greater than min_sale_price")
    elif (
        sale is not None
        and low is not None
        and high is not None
        and not (low <= sale <= high)
    ):
        out.append(
            f"'sale_price' {sale} is not within [min_sale_price {low}, "
            f"max_sale_price {high}]: the offer is rejected"
        )
    return out


def validate_product_offer(
    offer: Any, index: int, existing: dict | None, ctx: OfferContext
) -> tuple[str, OfferCheck]:
    """Checks of one entity of product_offer/save. Returns (label, result)."""
    label = _label(offer, index)
    result = OfferCheck()
    if not isinstance(offer, dict):
        result.errors.append(f"{label}: each offer must be an object")
        return label, result
    problems = check_offer_fields(offer, ctx, light=False)
    if "id" not in offer:
        problems.append("'id' is required")
    if existing is None:
        problems.extend(_check_new_offer(offer, ctx, result))
    else:
        missing = [k for k in UPDATE_REQUIRED_KEYS if k not in offer]
        if missing:
            problems.append(
                "update of an existing offer: missing required key(s) "
                + ", ".join(missing)
            )
    if not problems:
        problems.extend(check_price_rules(offer, existing))
    result.errors.extend(f"{label}: {p}" for p in problems)
    result.doc_errors = [f"{label}: {p}" for p in result.doc_errors]
    return label, result


def _check_new_offer(offer: dict, ctx: OfferContext, result: OfferCheck) -> list[str]:
    problems = [
        f"'{key}' is required"
        for key in ("status", "sale_price", "vat_id", "stock")
        if key not in offer
    ]
    problems.extend(
        f"'{key}' is required on the first save of an offer"
        for key in ("min_sale_price", "max_sale_price")
        if key not in offer
    )
    if as_int(offer.get("status")) == 2:
        problems.append("'status' 2 (end of life) can be used only for updates")
    if "part_number_key" in offer:
        return problems + _check_attach(offer, ctx)
    eans = offer.get("ean")
    if isinstance(eans, list) and len(eans) == 1 and str(eans[0]) in ctx.catalogue_eans:
        # §2.11: "the 'ean' key with a single EAN" attaches to the eMAG product
        # that has it; no documentation is needed.
        return problems + ([] if "name" in offer else ["'name' is required"])
    # A new product: the documentation keys are required (§2.4.2).
    problems.extend(
        f"'{key}' is required for a new product"
        for key in ("category_id", "name", "part_number", "brand")
        if key not in offer
    )
    category = ctx.categories.get(as_int(offer.get("category_id")) or -1)
    if ctx.categories and "category_id" in offer and category is None:
        problems.append(f"'category_id' {offer['category_id']} is not a valid category")
    if category is not None:
        problems.extend(_check_category_rules(offer, category))
    if problems:
        return problems
    # Documentation errors: eMAG answers isError true but saves the offer (§1.4).
    if not offer.get("description"):
        result.doc_errors.append("documentation error: 'description' is missing")
    for i, image in enumerate(offer.get("images") or []):
        url = str(image.get("url", "")).lower().split("?")[0]
        if not url.endswith(IMAGE_EXTENSIONS):
            result.doc_errors.append(
                f"documentation error: 'images'[{i}].url must be a JPG, JPEG or PNG"
            )
    if category is not None:
        result.doc_errors.extend(_check_template(offer, category))
    return problems


def _check_attach(offer: dict, ctx: OfferContext) -> list[str]:
    """Attaching an offer to an existing product by part_number_key (§2.11)."""
    if "ean" in offer:
        return ["'part_number_key' and 'ean' are mutually exclusive"]
    problems = [] if "name" in offer else ["'name' is required"]
    pnk = offer["part_number_key"]
    if ctx.catalogue_pnks and isinstance(pnk, str) and pnk not in ctx.catalogue_pnks:
        problems.append(f"'part_number_key' {pnk} does not exist in the eMAG catalogue")
    return problems


def _check_category_rules(offer: dict, category: dict) -> list[str]:
    problems = []
    if not category.get("is_allowed"):
        problems.append(
            f"'category_id' {category['id']}: you are not allowed to post in this "
            "category"
        )
    if category.get("is_ean_mandatory") and not offer.get("ean"):
        problems.append(f"'ean' is mandatory in category {category['id']}")
    if category.get("is_warranty_mandatory") and "warranty" not in offer:
        problems.append(f"'warranty' is mandatory in category {category['id']}")
    return problems


def _check_template(offer: dict, category: dict) -> list[str]:
    """Characteristics against the category template: documentation errors."""
    template = {c["id"]: c for c in category.get("characteristics") or []}
    if not template:
        return []
    sent: dict[int, set] = {}
    out = []
    for item in offer.get("characteristics") or []:
        char_id = as_int(item.get("id"))
        sent.setdefault(char_id, set()).add(item.get("tag"))
        if char_id not in template:
            out.append(
                f"documentation error: characteristic {char_id} is not part of the "
                f"template of category {category['id']}"
            )
    for char_id, char in template.items():
        if char.get("is_mandatory") and char_id not in sent:
            out.append(
                f"documentation error: mandatory characteristic {char_id} is missing"
            )
        tags = char.get("tags") or []
        if tags and char_id in sent and not set(tags) <= sent[char_id]:
            out.append(
                f"documentation error: characteristic {char_id} must be sent once per "
                f"tag ({', '.join(tags)})"
            )
    return out


def validate_light_offer(
    offer: Any, index: int, existing: dict | None, ctx: OfferContext
) -> tuple[str, list[str]]:
    """One entity of offer/save (§2.6.2): only id is mandatory."""
    label = _label(offer, index)
    if not isinstance(offer, dict):
        return label, [f"{label}: each offer must be an object"]
    problems = []
    if "id" not in offer:
        problems.append("'id' is required")
    unknown = sorted(set(offer) - LIGHT_OFFER_KEYS - {"id"})
    if unknown:
        problems.append(
            "offer/save only updates offer data; not accepted: " + ", ".join(unknown)
        )
    problems.extend(check_offer_fields(offer, ctx, light=True))
    if "id" in offer and not problems and existing is None:
        problems.append("offer does not exist; offer/save cannot create offers")
    if not problems:
        problems.extend(check_price_rules(offer, existing))
    return label, [f"{label}: {p}" for p in problems]


# ----------------------------------------------------------- order attachments


def validate_attachment(att: Any, index: int) -> list[str]:
    """One entity of order/attachments/save (§5.1.3), without cross-checks."""
    label = f"Attachment #{index + 1}"
    if not isinstance(att, dict):
        return [f"{label}: must be an object"]
    out = []
    if "order_id" not in att:
        out.append("'order_id' is required")
    elif check_int(att["order_id"], 1, 4294967295):
        out.append("'order_id' must be an integer between 1 and 4294967295")
    if "order_type" not in att:
        out.append("'order_type' is required (2 or 3)")
    elif check_choice(att["order_type"], {2, 3}):
        out.append("'order_type' must be 2 or 3")
    if "name" in att and check_str(att["name"], 1, 60):
        out.append("'name' must be a string between 1 and 60 characters")
    if "url" not in att:
        out.append("'url' is required")
    elif check_url(att["url"]):
        out.append("'url' must be a valid http(s) URL of 1 to 1024 characters")
    att_type = as_int(att.get("type", 1))
    if att_type not in ATTACHMENT_TYPES:
        out.append("'type' must be one of 1, 3, 4, 8, 10, 11")
    if att_type == 3 and "order_product_id" not in att:
        out.append("'order_product_id' is required for warranties (type 3)")
    if "order_product_id" in att and check_int(att["order_product_id"], 1, 4294967295):
        out.append("'order_product_id' must be an integer between 1 and 4294967295")
    if "force_download" in att and check_choice(att["force_download"], {0, 1}):
        out.append("'force_download' must be 0 or 1")
    return [f"{label}: {p}" for p in out]


# ------------------------------------------------------------------------ AWB


def check_phone(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\+?\d{8,11}", value) is not None


def validate_party(party: Any, role: str, *, valid_locality) -> list[str]:
    """sender / receiver block of awb/save (§6.1)."""
    if not isinstance(party, dict):
        return [f"'{role}' is required and must be an object"]
    out = []
    uses_address = bool(party.get("address_id"))
    if "address_id" in party and check_str(party["address_id"], 0, 21):
        out.append(f"'{role}.address_id' must be a string of at most 21 characters")
    if check_str(party.get("name"), 3, 255):
        out.append(f"'{role}.name' must be a string between 3 and 255 characters")
    if check_str(party.get("contact"), 1, 255):
        out.append(f"'{role}.contact' must be a string between 1 and 255 characters")
    if not check_phone(party.get("phone1")):
        out.append(f"'{role}.phone1' must have between 8 and 11 digits")
    if (
        "phone2" in party
        and party["phone2"] not in (None, "")
        and not check_phone(party["phone2"])
    ):
        out.append(f"'{role}.phone2' must have between 8 and 11 digits")
    if "legal_entity" in party and check_choice(party["legal_entity"], {0, 1}):
        out.append(f"'{role}.legal_entity' must be 0 or 1")
    # With a saved address_id eMAG uses that address "regardless of the other
    # address fields", so locality and street are only checked without it.
    if not uses_address:
        locality = as_int(party.get("locality_id"))
        if locality is None or not 1 <= locality <= 4294967295:
            out.append(f"'{role}.locality_id' is required (integer)")
        elif not valid_locality(locality):
            out.append(f"'{role}.locality_id' {locality} is not a valid locality")
        if check_str(party.get("street"), 3, 255):
            out.append(f"'{role}.street' must be a string between 3 and 255 characters")
    zipcode = party.get("zipcode")
    if zipcode not in (None, "") and check_str(str(zipcode), 1, 255):
        out.append(f"'{role}.zipcode' must be between 1 and 255 characters")
    return out


AWB_REQUIRED = ("is_oversize", "envelope_number", "parcel_number", "cod")
AWB_INTEGERS = {
    "order_id": (1, 4294967295),
    "rma_id": (1, 4294967295),
    "envelope_number": (0, 9999),
    "parcel_number": (0, 999),
    "courier_account_id": (1, 4294967295),
}
AWB_NUMBERS = {"cod": 999999999, "insured_value": 999999999, "weight": 99999}
AWB_FLAGS = (
    "is_oversize",
    "pickup_and_return",
    "saturday_delivery",
    "sameday_delivery",
    "dropoff_locker",
    "unboxing",
)


def validate_awb_fields(awb: dict) -> list[str]:
    """Scalar keys of awb/save (§6.1)."""
    out = []
    if "order_id" not in awb and "rma_id" not in awb:
        out.append("'order_id' (or 'rma_id' for a return) is required")
    out.extend(f"'{key}' is required" for key in AWB_REQUIRED if key not in awb)
    for key, (lo, hi) in AWB_INTEGERS.items():
        if key in awb:
            out.extend(f"'{key}' {p}" for p in _one(check_int(awb[key], lo, hi)))
    for key in AWB_FLAGS:
        if key in awb:
            out.extend(f"'{key}' {p}" for p in _one(check_choice(awb[key], {0, 1})))
    for key, hi in AWB_NUMBERS.items():
        number = as_decimal(awb.get(key, 0))
        if number is None or not 0 <= number <= hi:
            out.append(f"'{key}' must be a number between 0 and {hi}")
    if (
        as_int(awb.get("envelope_number")) == 0
        and as_int(awb.get("parcel_number")) == 0
    ):
        out.append("'envelope_number' and 'parcel_number' cannot both be 0")
    if awb.get("observation") is not None:
        out.extend(
            f"'observation' {p}" for p in _one(check_str(awb["observation"], 0, 255))
        )
    if awb.get("locker_id") not in (None, ""):
        out.extend(
            f"'locker_id' {p}" for p in _one(check_str(awb["locker_id"], 3, 255))
        )
    return out
