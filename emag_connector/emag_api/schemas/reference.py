"""Reference data: VAT rates (§2.2), handling times (§2.3), localities
(§6.5-6.6), courier accounts (§6.7) and addresses (§6.8).

All are read models: unknown keys kept, documented limits enforced only with
``context={"check_limits": True}``. The doc does not list the keys of vat/read
and handling_time/read; the models hold the keys seen in public integrations
(``vat_id``, ``vat_rate``, ``is_default``; ``value``) and keep anything else.
"""

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo, model_validator

from .common import (
    EmagReadModel,
    Money,
    int_range,
    limit_error,
    limits_on,
    one_of,
    str_len,
)

COURIER_ACCOUNT_PROPERTIES = {
    0: "Regular (HD)",
    2: "Lockers",
    6: "Offices",
    8: "Crossborder",
    9: "BPO",
}
COURIER_ACCOUNT_TYPES = {1: "RMA", 2: "Order", 3: "RMA & Order", 4: "Non Marketplace"}
ADDRESS_TYPES = {
    1: "return",
    2: "pickup",
    3: "invoice (head quarter)",
    4: "delivery estimates",
}
LOCALITY_COUNTRY_CODES = ("RO", "BG", "HU", "PL", "EL", "DE")


class VatRate(EmagReadModel):
    vat_id: int | None = None
    vat_rate: Money | None = None
    is_default: bool | int | None = None


class HandlingTime(EmagReadModel):
    """A handling_time/read entry; a bare number is accepted as ``value``."""

    value: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _scalar(cls, data: Any) -> Any:
        if isinstance(data, int | str) and str(data).strip().lstrip("-").isdigit():
            return {"value": int(data)}
        return data


Str60 = str_len(0, 60, soft=True)


class Locality(EmagReadModel):
    """locality/read (§6.6); region1..4 and their _latin variants are declared,
    any other key is kept."""

    emag_id: int | None = None
    name: Str60 | None = None
    name_latin: Str60 | None = None
    region1: Str60 | None = None
    region2: Str60 | None = None
    region3: Str60 | None = None
    region4: Str60 | None = None
    region1_latin: Str60 | None = None
    region2_latin: Str60 | None = None
    region3_latin: Str60 | None = None
    region4_latin: Str60 | None = None
    geoid: int | None = None
    modified: str | None = None
    zipcode: str_len(0, 10, soft=True) | None = None
    country_code: Str60 | None = None
    iso2: Str60 | None = None


def _soft_properties(value: list[Any], info: ValidationInfo) -> list[Any]:
    if limits_on(info):
        bad = [v for v in value if v not in COURIER_ACCOUNT_PROPERTIES]
        if bad:
            allowed = ", ".join(
                f"{k} ({v})" for k, v in COURIER_ACCOUNT_PROPERTIES.items()
            )
            raise limit_error(
                f"courier_account_properties: values must be among {allowed} "
                f"(got {bad})"
            )
    return value


class CourierAccount(EmagReadModel):
    account_id: int | None = None
    account_display_name: Str60 | None = None
    courier_account_type: (
        one_of(COURIER_ACCOUNT_TYPES, names=COURIER_ACCOUNT_TYPES, soft=True) | None
    ) = None
    courier_name: Str60 | None = None
    courier_account_properties: (
        Annotated[list[Any], AfterValidator(_soft_properties)] | None
    ) = None
    created: str | None = None
    status: one_of((0, 1), names={0: "inactive", 1: "active"}, soft=True) | None = None
    pickup_country_code: Str60 | None = None

    def has_property(self, prop: int) -> bool:
        return any(
            str(p) == str(prop) or (isinstance(p, Mapping) and prop in p.values())
            for p in self.courier_account_properties or []
        )


class Address(EmagReadModel):
    """addresses/read (§6.8)."""

    address_id: str_len(0, 21, soft=True) | None = None
    country_id: int | None = None
    country_code: str_len(0, 45, soft=True) | None = None
    address_type_id: one_of(ADDRESS_TYPES, names=ADDRESS_TYPES, soft=True) | None = None
    locality_id: int_range(1, 4_294_967_295, soft=True) | None = None
    suburb: str_len(0, 200, soft=True) | None = None
    city: str_len(0, 300, soft=True) | None = None
    address: str_len(0, 65535, soft=True) | None = None
    zipcode: str_len(0, 100, soft=True) | None = None
    quarter: str_len(0, 200, soft=True) | None = None
    floor: str_len(0, 100, soft=True) | None = None
    is_default: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _id_as_string(cls, data: Any) -> Any:
        # the doc types address_id as a string; eMAG may send a number
        if isinstance(data, Mapping) and isinstance(data.get("address_id"), int):
            data = dict(data)
            data["address_id"] = str(data["address_id"])
        return data
