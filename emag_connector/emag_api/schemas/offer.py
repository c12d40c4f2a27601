"""Products and offers: product_offer/save (§2.4.2, §2.6.1, §2.11),
offer/save (§2.6.2), measurements/save (§2.7) and product_offer/read (§2.8).

Save models (send with ``model.to_payload()``):

* :class:`ProductOfferSave`: new product with its documentation and offer
  (§2.4.2); also a documentation update of an owned product with
  ``context={"existing_offer": True}``.
* :class:`ProductOfferAttach`: offer attached to an existing eMAG product by
  ``part_number_key`` *or* one ``ean`` (§2.11).
* :class:`ProductOfferUpdate`: offer-only update through product_offer/save
  (§2.6.1: id, status, sale_price, vat_id, handling_time, stock mandatory).
* :class:`OfferLightSave`: light offer API offer/save (§2.6.2, only id mandatory).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..platforms import OFFER_CURRENCY_TYPES
from .common import (
    MAX_MEDIUMINT,
    MAX_UINT32,
    PLATFORMS,
    Ean,
    EmagReadModel,
    EmagSaveModel,
    Money,
    PartNumber,
    PartNumberKey,
    StartDate,
    context_get,
    get_today,
    int_range,
    last_day_of_month,
    limit_error,
    max_items,
    one_of,
    price,
    str_len,
    url_type,
)

# --------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------
OFFER_STATUS_INACTIVE = 0
OFFER_STATUS_ACTIVE = 1
OFFER_STATUS_EOL = 2
OFFER_STATUS_LABELS = {0: "inactive", 1: "active", 2: "end of life"}

SOURCE_LANGUAGES = (
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
)
CURRENCY_TYPES = OFFER_CURRENCY_TYPES
SUPPLY_LEAD_TIMES = (2, 3, 5, 7, 14, 30, 60, 90, 120)
IMAGE_DISPLAY_TYPES = {0: "other image", 1: "main image", 2: "secondary image"}
GPSR_MAX_SETS = 10

#: validation_status / translation_validation_status values that allow the
#: offer to be sold (§2.8 availability table). 17 exists only on translations.
VALIDATION_STATUS_SELLABLE = frozenset({3, 9, 11, 12})
TRANSLATION_STATUS_SELLABLE = frozenset({3, 9, 11, 12, 17})
VALIDATION_STATUS_LABELS = {
    0: "Draft",
    1: "In MKTP validation",
    2: "Awaiting Brand validation",
    3: "Waiting for EAN approval",
    4: "New documentation validation pending",
    5: "Rejected Brand",
    6: "Invalid product - EAN rejected",
    8: "Documentation rejected",
    9: "Approved documentation",
    10: "Blocked",
    11: "Update awaiting approval",
    12: "Update rejected",
    13: "Waiting for salable offer",
    14: "Unsuccessful translation",
    15: "Translation in progress",
    16: "Translation pending",
    17: "Partial translation",
}
OFFER_VALIDATION_STATUS_LABELS = {1: "Valid (saleable)", 2: "Invalid price"}
GENIUS_TYPE_LABELS = {1: "Genius Full", 2: "Genius EasyBox", 3: "Genius HD"}

# --------------------------------------------------------------------------
# constrained types
# --------------------------------------------------------------------------
ProductId = int_range(1, MAX_MEDIUMINT)
CategoryId = int_range(1, 65535)
CharacteristicId = int_range(1, 65535, label="characteristic id")
AttachmentId = int_range(1, MAX_UINT32, label="attachment id")
Flag = one_of((0, 1))
StockValue = int_range(0, 65535, label="stock value")
HandlingTimeValue = int_range(0, 255, label="handling_time value")
Warranty = int_range(0, 255)
WarehouseId = int_range(1, MAX_UINT32, label="warehouse_id")
SupplyLeadTime = one_of(SUPPLY_LEAD_TIMES)
SourceLanguage = one_of(SOURCE_LANGUAGES, base=str)
CurrencyType = one_of(CURRENCY_TYPES, base=str)
Price = price()
GreenTax = price(allow_zero=True)
Name255 = str_len(1, 255)
Text16M = str_len(1, MAX_MEDIUMINT)
Url = url_type()
StatusNew = one_of((0, 1), names=OFFER_STATUS_LABELS, label="status")
StatusAny = one_of((0, 1, 2), names=OFFER_STATUS_LABELS, label="status")


# --------------------------------------------------------------------------
# nested save models
# --------------------------------------------------------------------------
class StockEntry(EmagSaveModel):
    warehouse_id: WarehouseId
    value: StockValue


class HandlingTimeEntry(EmagSaveModel):
    warehouse_id: WarehouseId
    value: HandlingTimeValue


class GpsrContact(EmagSaveModel):
    """One GPSR set (manufacturer or EU representative): all three required."""

    name: str_len(1, 200, label="GPSR name")
    address: str_len(1, 500, label="GPSR address")
    email: str_len(1, 100, label="GPSR email")

    @model_validator(mode="before")
    @classmethod
    def _all_three(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            missing = [
                k
                for k in ("name", "address", "email")
                if data.get(k) is None or str(data.get(k)).strip() == ""
            ]
            if missing:
                raise limit_error(
                    "GPSR set (manufacturer / eu_representative): name, address and "
                    f"email must all be filled in (missing: {', '.join(missing)})"
                )
        return data


class ProductImage(EmagSaveModel):
    display_type: (
        one_of((0, 1, 2), names=IMAGE_DISPLAY_TYPES, label="image display_type") | None
    ) = None
    url: url_type(label="image url")


class ProductCharacteristic(EmagSaveModel):
    id: CharacteristicId
    value: str_len(1, 255, label="characteristic value")
    tag: str_len(1, 255, label="characteristic tag") | None = None


class ProductFamily(EmagSaveModel):
    id: int_range(0, MAX_UINT32, label="family id")
    name: str_len(1, 255, label="family name") | None = None
    family_type_id: int | None = None

    @model_validator(mode="after")
    def _name_and_type(self):
        if self.id != 0 and (not self.name or self.family_type_id is None):
            raise limit_error(
                "family: name and family_type_id are required when family id is not "
                "0 (id 0 removes the product from its family)"
            )
        return self


class ProductAttachment(EmagSaveModel):
    id: AttachmentId | None = None
    url: url_type(label="attachment url")


def _unique_warehouses(entries: list, label: str) -> list:
    seen: set[int] = set()
    for entry in entries:
        if entry.warehouse_id in seen:
            raise limit_error(
                f"{label}: warehouse_id {entry.warehouse_id} is listed more than once"
            )
        seen.add(entry.warehouse_id)
    return entries


def _stock_list(value: list, info: ValidationInfo) -> list:
    if not value:
        raise limit_error(
            "stock: must contain at least one {warehouse_id, value} entry"
        )
    return _unique_warehouses(value, "stock")


def _ht_list(value: list, info: ValidationInfo) -> list:
    return _unique_warehouses(value, "handling_time")


StockList = Annotated[list[StockEntry], AfterValidator(_stock_list)]
HandlingTimeList = Annotated[list[HandlingTimeEntry], AfterValidator(_ht_list)]
GpsrList = Annotated[list[GpsrContact], max_items(GPSR_MAX_SETS)]
EanList = Annotated[list[Ean], max_items(10_000, min_n=1)]


# --------------------------------------------------------------------------
# offer rules shared by all save variants
# --------------------------------------------------------------------------
def check_price_rules(
    sale_price: Decimal | None,
    recommended_price: Decimal | None,
    min_sale_price: Decimal | None,
    max_sale_price: Decimal | None,
) -> None:
    """Cross-field price rules of §2.4.2 (each applied when both sides are known)."""
    if (
        min_sale_price is not None
        and max_sale_price is not None
        and max_sale_price <= min_sale_price
    ):
        raise limit_error(
            f"max_sale_price: must be greater than min_sale_price "
            f"(got max {max_sale_price} <= min {min_sale_price})"
        )
    if sale_price is not None:
        if recommended_price is not None and recommended_price <= sale_price:
            raise limit_error(
                f"recommended_price: must be greater than sale_price "
                f"(got {recommended_price} <= {sale_price})"
            )
        if min_sale_price is not None and sale_price < min_sale_price:
            raise limit_error(
                f"sale_price: must be within [min_sale_price, max_sale_price] "
                f"(got {sale_price} < min {min_sale_price})"
            )
        if max_sale_price is not None and sale_price > max_sale_price:
            raise limit_error(
                f"sale_price: must be within [min_sale_price, max_sale_price] "
                f"(got {sale_price} > max {max_sale_price})"
            )


class _OfferBase(EmagSaveModel):
    """Offer keys common to the product_offer/save variants (all optional here;
    subclasses make the documented ones required)."""

    #: status 2 (end of life) may only be sent on an update
    status_eol_allowed: ClassVar[bool] = False

    id: ProductId
    status: StatusAny | None = None
    sale_price: Price | None = None
    recommended_price: Price | None = None
    min_sale_price: Price | None = None
    max_sale_price: Price | None = None
    currency_type: CurrencyType | None = None
    vat_id: int | None = None
    stock: StockList | None = None
    handling_time: HandlingTimeList | None = None
    supply_lead_time: SupplyLeadTime | None = None
    start_date: StartDate | None = None
    warranty: Warranty | None = None
    emag_club: Flag | None = None
    manufacturer: GpsrList | None = None
    eu_representative: GpsrList | None = None
    green_tax: GreenTax | None = None

    def _eol_allowed(self, info: ValidationInfo) -> bool:
        return self.status_eol_allowed

    @model_validator(mode="after")
    def _offer_rules(self, info: ValidationInfo):
        if self.status == OFFER_STATUS_EOL and not self._eol_allowed(info):
            raise limit_error(
                "status: 2 (end of life) can only be sent when updating an existing "
                "offer, not when creating one"
            )
        check_price_rules(
            self.sale_price,
            self.recommended_price,
            self.min_sale_price,
            self.max_sale_price,
        )
        if self.green_tax is not None:
            check_green_tax_platform(info)
        if self.currency_type is not None and self.start_date is not None:
            last = last_day_of_month(get_today(info))
            if self.start_date > last:
                raise limit_error(
                    f"start_date: with currency_type {self.currency_type} it must not "
                    f"be later than the last day of the current month "
                    f"({last.isoformat()}) (got {self.start_date.isoformat()})"
                )
        return self


def check_green_tax_platform(info: ValidationInfo | None) -> None:
    platform = context_get(info, "platform")
    if platform is None:
        raise limit_error(
            "green_tax: can only be set on the eMAG RO platform; pass "
            "context={'platform': 'emag_ro'} when validating"
        )
    if platform not in PLATFORMS:
        raise limit_error(
            f"platform: unknown platform {platform!r} in validation context "
            f"(expected one of {', '.join(PLATFORMS)})"
        )
    if platform != "emag_ro":
        raise limit_error(
            f"green_tax: can only be set on the eMAG RO platform (got platform "
            f"{platform})"
        )


def _require(model: Any, fields: tuple[str, ...], what: str) -> None:
    missing = [f for f in fields if getattr(model, f) is None]
    if missing:
        raise limit_error(f"{what}: missing required key(s) {', '.join(missing)}")


# --------------------------------------------------------------------------
# product_offer/save variants
# --------------------------------------------------------------------------
class ProductOfferSave(_OfferBase):
    """New product with full documentation and offer (§2.4.2).

    Context: ``existing_offer`` (bool; allows status 2 and makes min/max sale
    price optional), ``platform`` (for green_tax), ``today``, ``category``
    (a Category read from category/read: checks mandatory EAN, warranty and
    characteristics, characteristic ids and tags).
    """

    category_id: CategoryId
    vendor_category_id: int | None = None
    source_language: SourceLanguage | None = None
    name: Name255
    part_number: PartNumber
    description: Text16M | None = None
    brand: Name255
    force_images_download: Flag | None = None
    images: list[ProductImage] | None = None
    images_overwrite: Flag | None = None
    characteristics: list[ProductCharacteristic] | None = None
    family: ProductFamily | None = None
    url: Url | None = None
    ean: EanList | None = None
    attachments: list[ProductAttachment] | None = None
    safety_information: Text16M | None = None

    status: StatusAny
    sale_price: Price
    vat_id: int
    stock: StockList

    def _eol_allowed(self, info: ValidationInfo) -> bool:
        return bool(context_get(info, "existing_offer", False))

    @model_validator(mode="after")
    def _first_save(self, info: ValidationInfo):
        if not context_get(info, "existing_offer", False):
            _require(
                self,
                ("min_sale_price", "max_sale_price"),
                "product_offer/save (first save of the offer)",
            )
        category = context_get(info, "category")
        if category is not None:
            check_against_category(
                self,
                category,
                check_mandatory=not context_get(info, "existing_offer", False),
            )
        return self


class ProductOfferAttach(_OfferBase):
    """New offer attached to an existing eMAG product (§2.11): exactly one of
    ``part_number_key`` or ``ean`` (a single EAN)."""

    name: Name255
    part_number_key: PartNumberKey | None = None
    ean: Annotated[list[Ean], max_items(1, min_n=1)] | None = None
    status: StatusNew
    sale_price: Price
    min_sale_price: Price
    max_sale_price: Price
    vat_id: int
    stock: StockList

    @model_validator(mode="after")
    def _pnk_xor_ean(self):
        if (self.part_number_key is None) == (self.ean is None):
            raise limit_error(
                "part_number_key / ean: send exactly one of them to attach an offer "
                "(they are mutually exclusive, and one is required)"
            )
        return self


class ProductOfferUpdate(_OfferBase):
    """Offer-only update through product_offer/save (§2.6.1)."""

    status_eol_allowed: ClassVar[bool] = True

    status: StatusAny
    sale_price: Price
    vat_id: int
    handling_time: HandlingTimeList
    stock: StockList


class OfferLightSave(EmagSaveModel):
    """Light offer API offer/save (§2.6.2): only ``id`` is mandatory; send only
    what changes. Cannot create offers (so status 2 is allowed)."""

    id: ProductId
    sale_price: Price | None = None
    recommended_price: Price | None = None
    min_sale_price: Price | None = None
    max_sale_price: Price | None = None
    currency_type: CurrencyType | None = None
    stock: StockList | None = None
    handling_time: HandlingTimeList | None = None
    vat_id: int | None = None
    status: StatusAny | None = None

    @model_validator(mode="after")
    def _prices(self):
        check_price_rules(
            self.sale_price,
            self.recommended_price,
            self.min_sale_price,
            self.max_sale_price,
        )
        return self


class MeasurementsSave(EmagSaveModel):
    """measurements/save (§2.7): millimetres and grams, 0..999999, 2 decimals."""

    id: ProductId
    length: price(allow_zero=True, places=2, maximum=999999)
    width: price(allow_zero=True, places=2, maximum=999999)
    height: price(allow_zero=True, places=2, maximum=999999)
    weight: price(allow_zero=True, places=2, maximum=999999)


def _check_characteristic_entries(cid, entries, template) -> None:
    """Tags and allowed values of the entries sent for one characteristic."""
    tags = template.tags or []
    allowed = [str(v) for v in template.value_list]
    for entry in entries:
        if tags and entry.tag is None:
            raise limit_error(
                f"characteristics: id {cid} ({template.name}) has tags "
                f"({', '.join(tags)}); send one entry per tag with its 'tag'"
            )
        if tags and entry.tag not in tags:
            raise limit_error(
                f"characteristics: tag {entry.tag!r} is not valid for id {cid} "
                f"(expected {', '.join(tags)})"
            )
        if not template.allow_new_value and allowed and entry.value not in allowed:
            raise limit_error(
                f"characteristics: {entry.value!r} is not an allowed value of "
                f"id {cid} ({template.name}); eMAG accepts only the values of "
                "the category for it"
            )


def check_against_category(
    offer: ProductOfferSave, category: Any, *, check_mandatory: bool = True
) -> None:
    """Checks of a product against its category template (§2.1, §2.4.2)."""
    from .category import Category

    if not isinstance(category, Category):
        category = Category.model_validate(category)
    if category.id is not None and category.id != offer.category_id:
        raise limit_error(
            f"category_id: {offer.category_id} does not match the category given "
            f"in the validation context ({category.id})"
        )
    if category.is_ean_mandatory == 1 and not offer.ean:
        raise limit_error(
            f"ean: at least one EAN is mandatory in category {category.id}"
        )
    if category.is_warranty_mandatory == 1 and offer.warranty is None:
        raise limit_error(f"warranty: is mandatory in category {category.id}")
    known = {c.id: c for c in category.characteristics or []}
    sent: dict[int, list[ProductCharacteristic]] = {}
    for ch in offer.characteristics or []:
        sent.setdefault(ch.id, []).append(ch)
    if known:
        for cid, entries in sent.items():
            if cid not in known:
                raise limit_error(
                    f"characteristics: id {cid} is not a characteristic of category "
                    f"{category.id}"
                )
            _check_characteristic_entries(cid, entries, known[cid])
        if check_mandatory:
            missing = [
                f"{c.id} ({c.name})"
                for c in known.values()
                if c.is_mandatory == 1 and c.id not in sent
            ]
            if missing:
                raise limit_error(
                    f"characteristics: mandatory characteristic(s) missing: "
                    f"{', '.join(missing)}"
                )
    if offer.family is not None and offer.family.id != 0 and category.family_types:
        type_ids = {f.id for f in category.family_types}
        if offer.family.family_type_id not in type_ids:
            raise limit_error(
                f"family: family_type_id {offer.family.family_type_id} is not a family "
                f"type of category {category.id}"
            )


# --------------------------------------------------------------------------
# product_offer/read (§2.8)
# --------------------------------------------------------------------------
class ValidationStatus(EmagReadModel):
    """One entry of validation_status / translation_validation_status /
    offer_validation_status. The doc writes ``Description``; both spellings are
    accepted (dumped as ``description``)."""

    value: int | None = None
    description: str | None = None
    errors: Any = None

    @model_validator(mode="before")
    @classmethod
    def _accept_both_spellings(cls, data: Any) -> Any:
        if (
            isinstance(data, Mapping)
            and "Description" in data
            and "description" not in data
        ):
            data = dict(data)
            data["description"] = data.pop("Description")
        return data


class GpsrContactRead(EmagReadModel):
    name: str | None = None
    address: str | None = None
    email: str | None = None


class StockRead(EmagReadModel):
    warehouse_id: int | None = None
    value: int | None = None


class ImageRead(EmagReadModel):
    url: str | None = None
    display_type: int | None = None


class CharacteristicRead(EmagReadModel):
    id: int | None = None
    value: Any = None
    tag: str | None = None


def _first_value(entries: Any) -> int | None:
    if entries is None:
        return None
    if isinstance(entries, ValidationStatus):
        return entries.value
    if isinstance(entries, list) and entries:
        first = entries[0]
        return first.value if isinstance(first, ValidationStatus) else None
    return None


StatusEntries = list[ValidationStatus] | ValidationStatus


class ProductOfferRead(EmagReadModel):
    """An offer as returned by product_offer/read. Unknown keys are kept."""

    id: int | None = None
    part_number_key: str | None = None
    part_number: str | None = None
    name: str | None = None
    brand: str | None = None
    description: str | None = None
    url: str | None = None
    category_id: int | None = None
    vendor_category_id: int | None = None
    number_of_offers: int | None = None
    buy_button_rank: int | None = None
    best_offer_sale_price: Money | None = None
    best_offer_recommended_price: Money | None = None
    ownership: int | None = None
    sale_price: Money | None = None
    recommended_price: Money | None = None
    min_sale_price: Money | None = None
    max_sale_price: Money | None = None
    currency: str | None = None
    warranty: int | None = None
    ean: list[str] | None = None
    general_stock: int | None = None
    estimated_stock: int | None = None
    stock: list[StockRead] | None = None
    status: int | None = None
    images: list[ImageRead] | None = None
    characteristics: list[CharacteristicRead] | None = None
    vat_id: int | None = None
    family: Any = None
    handling_time: list[StockRead] | None = None
    validation_status: StatusEntries | None = None
    translation_validation_status: StatusEntries | None = None
    offer_validation_status: StatusEntries | None = None
    genius_eligibility: int | None = None
    genius_eligibility_type: int | None = None
    genius_computed: int | None = None
    manufacturer: bool | list[GpsrContactRead] | None = None
    eu_representative: bool | list[GpsrContactRead] | None = None
    safety_information: str | None = None

    @field_validator("ean", mode="before")
    @classmethod
    def _ean_as_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [str(v) for v in value]
        return value

    @property
    def validation_status_value(self) -> int | None:
        return _first_value(self.validation_status)

    @property
    def translation_validation_status_value(self) -> int | None:
        return _first_value(self.translation_validation_status)

    @property
    def offer_validation_status_value(self) -> int | None:
        return _first_value(self.offer_validation_status)

    @property
    def stock_total(self) -> int | None:
        """general_stock when given, else the sum of stock[].value."""
        if self.general_stock is not None:
            return self.general_stock
        if self.stock:
            return sum(s.value or 0 for s in self.stock)
        return None

    def unsellable_reasons(self) -> list[str]:
        """Why the offer cannot be sold (§2.8); empty when it can."""
        reasons = []
        stock = self.stock_total
        if not stock or stock <= 0:
            reasons.append(f"stock is {stock or 0} (must be > 0)")
        if self.status != OFFER_STATUS_ACTIVE:
            label = OFFER_STATUS_LABELS.get(self.status, "missing")
            reasons.append(f"status is {self.status} ({label}), not 1 (active)")
        ovs = self.offer_validation_status_value
        if ovs != 1:
            label = OFFER_VALIDATION_STATUS_LABELS.get(ovs, "missing")
            reasons.append(f"offer_validation_status is {ovs} ({label}), not 1 (valid)")
        vs = self.validation_status_value
        if vs not in VALIDATION_STATUS_SELLABLE:
            label = VALIDATION_STATUS_LABELS.get(vs, "missing/unknown")
            reasons.append(f"validation_status is {vs} ({label})")
        tvs = self.translation_validation_status_value
        if tvs is not None and tvs not in TRANSLATION_STATUS_SELLABLE:
            label = VALIDATION_STATUS_LABELS.get(tvs, "unknown")
            reasons.append(f"translation_validation_status is {tvs} ({label})")
        return reasons

    @property
    def is_sellable(self) -> bool:
        return not self.unsellable_reasons()


def offer_is_sellable(offer: ProductOfferRead | Mapping[str, Any]) -> bool:
    """§2.8: stock > 0, status 1, offer_validation_status 1 and a
    validation_status allowing availability (3, 9, 11, 12); when a
    translation_validation_status is present it must allow availability too
    (3, 9, 11, 12, 17). The seller account being active is not visible here."""
    if not isinstance(offer, ProductOfferRead):
        offer = ProductOfferRead.model_validate(offer)
    return offer.is_sellable
