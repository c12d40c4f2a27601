"""Shared building blocks for the eMAG payload models.

Everything here is plain pydantic v2 (no Odoo, no HTTP).

Two kinds of models:

* ``EmagSaveModel``: payloads we *send* (``*/save``). Unknown keys are refused
  (a typo such as ``sale_prce`` would otherwise be silently ignored by eMAG),
  surrounding whitespace of strings is stripped, and every documented limit is
  enforced. Dump them with :meth:`EmagSaveModel.to_payload`
  (``mode="json", exclude_none=True``).
* ``EmagReadModel``: payloads we *read*. Unknown keys are kept
  (``extra="allow"``) so that a read-modify-write (``order/save``) sends back
  every key eMAG gave us. Types are checked, but documented limits and
  enumerations are only enforced when the validation context carries
  ``{"check_limits": True}``: an order must never fail to import because eMAG
  added a new payment mode.

Validation context keys understood by the models (all optional):

``today``
    a :class:`datetime.date` (or a callable returning one) used as "today" by
    date rules (offer ``start_date``, AWB ``date``). Default:
    :func:`today_provider`, i.e. the current date in Europe/Bucharest.
``platform``
    one of :data:`PLATFORMS`; ``green_tax`` is accepted only for ``emag_ro``.
``existing_offer``
    ``True`` when a :class:`ProductOfferSave` updates an offer that already
    exists (status 2 allowed, min/max sale price no longer required).
``category``
    a :class:`~.category.Category` (or its dict) used by
    :class:`ProductOfferSave` to check mandatory EAN/warranty/characteristics.
``check_limits``
    ``True`` to enforce documented limits on read models (before sending an
    order or a return request back with ``order/save`` / ``rma/save``).

Prices are :class:`decimal.Decimal`. In ``mode="json"`` they are dumped as JSON
numbers (an ``int`` when integral, else a ``float``); the save models accept at
most 4 decimals, and a float with at most 15 significant digits prints back
exactly, so ``51.6477`` is sent as ``51.6477``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlparse

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .. import platforms

__all__ = [
    "PLATFORMS",
    "EmagReadModel",
    "EmagSaveModel",
    "Money",
    "limit_error",
    "today_provider",
]

#: Platform codes accepted in the validation context (``platform`` key).
PLATFORMS = tuple(platforms.PLATFORMS)

#: Upper bounds used by eMAG ("Integer value between 1 and ...").
MAX_MEDIUMINT = 16_777_215
MAX_UINT32 = 4_294_967_295
MAX_INT32 = 2_147_483_647

ERROR_TYPE = "emag_limit"


# --------------------------------------------------------------------------
# "today"
# --------------------------------------------------------------------------
def _bucharest_today() -> date:
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover
        return date.today()
    try:
        return datetime.now(ZoneInfo("Europe/Bucharest")).date()
    except (ZoneInfoNotFoundError, ValueError):  # no tz database on this host
        return date.today()


#: Module-level "today" source; tests may monkeypatch it, or pass
#: ``context={"today": date(...)}`` to ``model_validate``.
today_provider: Callable[[], date] = _bucharest_today


def get_today(info: ValidationInfo | None) -> date:
    ctx = (info.context if info is not None else None) or {}
    value = ctx.get("today")
    if value is None:
        return today_provider()
    if callable(value):
        value = value()
    if isinstance(value, datetime):
        return value.date()
    return value


def context_get(info: ValidationInfo | None, key: str, default: Any = None) -> Any:
    ctx = (info.context if info is not None else None) or {}
    if isinstance(ctx, Mapping):
        return ctx.get(key, default)
    return default


def limits_on(info: ValidationInfo | None) -> bool:
    return bool(context_get(info, "check_limits", False))


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------
def limit_error(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as-is (no "Value error, ")."""
    return PydanticCustomError(ERROR_TYPE, message)


def _name(info: ValidationInfo | None, label: str | None) -> str:
    if label:
        return label
    if info is not None and info.field_name:
        return info.field_name
    return "value"


def _fmt_choices(values: Iterable[Any], names: Mapping[Any, str] | None) -> str:
    parts = []
    for v in values:
        shown = repr(v) if isinstance(v, str) else str(v)
        if names and v in names:
            shown = f"{shown} ({names[v]})"
        parts.append(shown)
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


# --------------------------------------------------------------------------
# constrained type factories
# --------------------------------------------------------------------------
def int_range(lo: int, hi: int, *, label: str | None = None, soft: bool = False):
    """``int`` between ``lo`` and ``hi`` inclusive."""

    def check(value: int, info: ValidationInfo) -> int:
        if soft and not limits_on(info):
            return value
        if not lo <= value <= hi:
            raise limit_error(
                f"{_name(info, label)}: must be an integer between {lo} and {hi} "
                f"(got {value})"
            )
        return value

    return Annotated[int, AfterValidator(check)]


def one_of(
    values: Iterable[Any],
    *,
    label: str | None = None,
    names: Mapping[Any, str] | None = None,
    soft: bool = False,
    base: type = int,
):
    """A value from a fixed set (eMAG enumerations)."""
    allowed = tuple(values)

    def check(value: Any, info: ValidationInfo) -> Any:
        if soft and not limits_on(info):
            return value
        if value not in allowed:
            raise limit_error(
                f"{_name(info, label)}: must be {_fmt_choices(allowed, names)} "
                f"(got {value!r})"
            )
        return value

    return Annotated[base, AfterValidator(check)]


def str_len(
    lo: int,
    hi: int,
    *,
    label: str | None = None,
    soft: bool = False,
    unit: str = "characters",
):
    """``str`` whose length is between ``lo`` and ``hi``."""

    def check(value: str, info: ValidationInfo) -> str:
        if soft and not limits_on(info):
            return value
        if not lo <= len(value) <= hi:
            raise limit_error(
                f"{_name(info, label)}: must be {lo} to {hi} {unit} long "
                f"(got {len(value)})"
            )
        return value

    return Annotated[str, AfterValidator(check)]


def _decimal_to_number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


_DecimalJson = PlainSerializer(_decimal_to_number, return_type=Any, when_used="json")

#: Any amount read from eMAG: Decimal in Python, a JSON number when dumped.
Money = Annotated[Decimal, _DecimalJson]


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def price(
    *,
    label: str | None = None,
    allow_zero: bool = False,
    places: int = 4,
    maximum: Decimal | int | None = None,
    soft: bool = False,
):
    """Decimal amount: > 0 (or >= 0), at most ``places`` decimals."""

    def check(value: Decimal, info: ValidationInfo) -> Decimal:
        if soft and not limits_on(info):
            return value
        name = _name(info, label)
        if allow_zero and value < 0:
            raise limit_error(f"{name}: must be 0 or greater (got {value})")
        if not allow_zero and value <= 0:
            raise limit_error(f"{name}: must be greater than 0 (got {value})")
        if maximum is not None and value > maximum:
            raise limit_error(f"{name}: must be at most {maximum} (got {value})")
        if decimal_places(value) > places:
            raise limit_error(
                f"{name}: at most {places} decimals are allowed (got {value})"
            )
        return value

    return Annotated[Decimal, AfterValidator(check), _DecimalJson]


def _http_url(value: str, info: ValidationInfo, label: str | None) -> str:
    name = _name(info, label)
    if not 1 <= len(value) <= 1024:
        raise limit_error(
            f"{name}: must be 1 to 1024 characters long (got {len(value)})"
        )
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise limit_error(f"{name}: must be a valid http(s) URL (got {value!r})")
    return value


def url_type(*, label: str | None = None):
    """Valid http(s) URL of 1 to 1024 characters."""

    def check(value: str, info: ValidationInfo) -> str:
        return _http_url(value, info, label)

    return Annotated[str, AfterValidator(check)]


# --------------------------------------------------------------------------
# specific eMAG rules
# --------------------------------------------------------------------------
_PART_NUMBER_STRIP = str.maketrans("", "", " ,;")


def strip_part_number(value: str) -> str:
    """Remove spaces, commas and semicolons, as eMAG does on save."""
    return value.translate(_PART_NUMBER_STRIP)


def _check_part_number(value: str, info: ValidationInfo) -> str:
    stripped = strip_part_number(value)
    if not 1 <= len(stripped) <= 25:
        raise limit_error(
            f"{_name(info, None)}: must be 1 to 25 characters after removing spaces, "
            f"commas and semicolons (got {len(stripped)})"
        )
    return stripped


#: part_number on product_offer/save: stripped like eMAG does, then 1..25 chars.
PartNumber = Annotated[str, AfterValidator(_check_part_number)]


def _soft_part_number(value: str, info: ValidationInfo) -> str:
    # read side: keep the value exactly as read, only check when asked
    if limits_on(info):
        _check_part_number(value, info)
    return value


#: part_number / ext_part_number read from an order (not stripped).
ReadPartNumber = Annotated[str, AfterValidator(_soft_part_number)]

_EAN_RE = re.compile(r"[0-9]{6,14}")


def _ean_before(value: Any, info: ValidationInfo) -> Any:
    if not isinstance(value, str):
        raise limit_error(
            f"ean: each EAN must be sent as a string of 6 to 14 digits, not as "
            f"{type(value).__name__} (got {value!r}); numbers lose leading zeros"
        )
    return value.strip()


def _ean_after(value: str, info: ValidationInfo) -> str:
    if not _EAN_RE.fullmatch(value):
        raise limit_error(
            f"ean: {value!r} is not valid: an EAN must be 6 to 14 digits (0-9 only)"
        )
    return value


Ean = Annotated[str, BeforeValidator(_ean_before), AfterValidator(_ean_after)]

_PNK_RE = re.compile(r"[A-Za-z0-9]+")


def _check_pnk(value: str, info: ValidationInfo) -> str:
    value = value.strip()
    if (
        not _PNK_RE.fullmatch(value)
        or not any(c.isdigit() for c in value)
        or not any(c.isalpha() for c in value)
    ):
        raise limit_error(
            f"part_number_key: {value!r} is not an eMAG part_number_key (it is the "
            "last part of the product URL and always has both letters and digits, "
            "e.g. D5DD9BBBM)"
        )
    return value


PartNumberKey = Annotated[str, AfterValidator(_check_pnk)]

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_before(value: Any, info: ValidationInfo) -> Any:
    name = _name(info, None)
    if isinstance(value, datetime):
        raise limit_error(
            f"{name}: must be a date in YYYY-MM-DD format, not a datetime"
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:  # 2026-02-30
            raise limit_error(f"{name}: {value.strip()} is not a valid date") from exc
    raise limit_error(f"{name}: must be a date in YYYY-MM-DD format (got {value!r})")


#: A calendar date written ``YYYY-MM-DD`` (dumped the same way in JSON).
IsoDate = Annotated[date, BeforeValidator(_date_before)]


def _check_start_date(value: date, info: ValidationInfo) -> date:
    today = get_today(info)
    first, last = today + timedelta(days=1), today + timedelta(days=60)
    if not first <= value <= last:
        raise limit_error(
            f"start_date: must be from tomorrow ({first.isoformat()}) up to 60 days "
            f"ahead ({last.isoformat()}) (got {value.isoformat()})"
        )
    return value


StartDate = Annotated[
    date, BeforeValidator(_date_before), AfterValidator(_check_start_date)
]


def last_day_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


_PHONE_SEPARATORS = str.maketrans("", "", " -.()/")
_PHONE_RE = re.compile(r"\+?[0-9]{8,11}")


def _check_phone(value: str, info: ValidationInfo) -> str:
    cleaned = value.translate(_PHONE_SEPARATORS)
    if not _PHONE_RE.fullmatch(cleaned):
        raise limit_error(
            f"{_name(info, None)}: must be 8 to 11 digits, optionally starting with "
            f"'+' (spaces, dots, dashes and brackets are removed) (got {value!r})"
        )
    return cleaned


#: AWB phone: separators removed, then ``+?`` and 8..11 digits.
AwbPhone = Annotated[str, AfterValidator(_check_phone)]


def max_items(n: int, *, label: str | None = None, min_n: int = 0):
    """Length rule for lists, used as ``Annotated[list[X], max_items(10)]``."""

    def check(value: list, info: ValidationInfo) -> list:
        name = _name(info, label)
        if len(value) < min_n:
            raise limit_error(
                f"{name}: must contain at least {min_n} item{'s' if min_n > 1 else ''}"
                f" (got {len(value)})"
            )
        if len(value) > n:
            raise limit_error(
                f"{name}: at most {n} items are allowed (got {len(value)})"
            )
        return value

    return AfterValidator(check)


# --------------------------------------------------------------------------
# base models
# --------------------------------------------------------------------------
class EmagReadModel(BaseModel):
    """Model of data read from eMAG. Unknown keys are kept and dumped back."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class EmagSaveModel(BaseModel):
    """Model of a payload sent to eMAG. Unknown keys are refused."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, populate_by_name=True
    )

    @model_validator(mode="before")
    @classmethod
    def _refuse_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            known = set(cls.model_fields)
            for field in cls.model_fields.values():
                if isinstance(field.alias, str):
                    known.add(field.alias)
            unknown = sorted(str(k) for k in data if k not in known)
            if unknown:
                raise limit_error(
                    f"{cls.__name__}: unknown key(s) {', '.join(unknown)} (misspelt, "
                    "or not accepted by this eMAG route)"
                )
        return data

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready dict: ``model_dump(mode="json", exclude_none=True)``."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


def validation_messages(error) -> list[str]:
    """Readable lines from a pydantic ValidationError of the schemas."""
    lines = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"] if p != "__root__")
        message = item["msg"].removeprefix("Value error, ")
        lines.append(
            message if not where or message.startswith(where) else f"{where}: {message}"
        )
    return lines
