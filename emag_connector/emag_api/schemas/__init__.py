"""pydantic v2 models of eMAG Marketplace API payloads (API v4.4.9).

Save models refuse unknown keys and enforce the documented limits; dump them
with ``model.to_payload()`` (= ``model_dump(mode="json", exclude_none=True)``).
Read models keep unknown keys; ``Order`` and ``Rma`` go back to eMAG with
``to_save_payload()`` (``exclude_unset=True``, limits checked).

Validation context keys: ``today``, ``platform``, ``existing_offer``,
``category``, ``check_limits`` (see :mod:`.common`).
"""

from .awb import (
    AwbCourier,
    AwbNumber,
    AwbParty,
    AwbRead,
    AwbSave,
    AwbSaveResult,
    AwbStatus,
)
from .category import (
    Category,
    CategoryCharacteristic,
    FamilyType,
    FamilyTypeCharacteristic,
)
from .common import (
    PLATFORMS,
    EmagReadModel,
    EmagSaveModel,
    strip_part_number,
    validation_messages,
)
from .offer import (
    GpsrContact,
    GpsrContactRead,
    HandlingTimeEntry,
    MeasurementsSave,
    OfferLightSave,
    ProductAttachment,
    ProductCharacteristic,
    ProductFamily,
    ProductImage,
    ProductOfferAttach,
    ProductOfferRead,
    ProductOfferSave,
    ProductOfferUpdate,
    StockEntry,
    ValidationStatus,
    check_price_rules,
    offer_is_sellable,
)
from .order import (
    Customer,
    Order,
    OrderAttachmentRead,
    OrderAttachmentSave,
    OrderDetails,
    OrderProduct,
    OrderVoucher,
    RecycleWarranty,
    VoucherSplit,
    parse_emag_datetime,
)
from .reference import Address, CourierAccount, HandlingTime, Locality, VatRate
from .rma import Rma, RmaAwb, RmaProduct, RmaSave

__all__ = [
    "PLATFORMS",
    "Address",
    "AwbCourier",
    "AwbNumber",
    "AwbParty",
    "AwbRead",
    "AwbSave",
    "AwbSaveResult",
    "AwbStatus",
    "Category",
    "CategoryCharacteristic",
    "CourierAccount",
    "Customer",
    "EmagReadModel",
    "EmagSaveModel",
    "FamilyType",
    "FamilyTypeCharacteristic",
    "GpsrContact",
    "GpsrContactRead",
    "HandlingTime",
    "HandlingTimeEntry",
    "Locality",
    "MeasurementsSave",
    "OfferLightSave",
    "Order",
    "OrderAttachmentRead",
    "OrderAttachmentSave",
    "OrderDetails",
    "OrderProduct",
    "OrderVoucher",
    "ProductAttachment",
    "ProductCharacteristic",
    "ProductFamily",
    "ProductImage",
    "ProductOfferAttach",
    "ProductOfferRead",
    "ProductOfferSave",
    "ProductOfferUpdate",
    "RecycleWarranty",
    "Rma",
    "RmaAwb",
    "RmaProduct",
    "RmaSave",
    "StockEntry",
    "ValidationStatus",
    "VatRate",
    "VoucherSplit",
    "check_price_rules",
    "offer_is_sellable",
    "parse_emag_datetime",
    "strip_part_number",
    "validation_messages",
]
