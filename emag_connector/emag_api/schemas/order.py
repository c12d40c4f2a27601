"""Orders: order/read and order/save (§5.1, §5.1.1, §5.1.2, §5.5) and
order/attachments/save (§5.1.3).

:class:`Order` is a read model that is also sent back by order/save ("the
seller should send ALL the fields initially read", §5.5):

* unknown keys are kept, and :meth:`Order.to_save_payload` dumps with
  ``exclude_unset=True`` so that keys eMAG sent (even ``null`` ones) go back and
  keys it did not send are not invented;
* documented limits are not enforced on read (a new enumeration value must not
  stop an import) but are enforced by :meth:`Order.to_save_payload`, which
  re-validates with ``context={"check_limits": True}``.

Amounts (``sale_price``, ``shipping_tax``, voucher values...) are Decimal and
go back to eMAG as JSON numbers.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationInfo, model_validator

from ..status import (
    ATTACHMENT_TYPE_LABELS,
    ORDER_STATUS_LABELS,
    ORDER_TYPE_FBE,
    ORDER_TYPE_LABELS,
    PAYMENT_MODE_LABELS,
)
from .common import (
    MAX_INT32,
    MAX_UINT32,
    EmagReadModel,
    EmagSaveModel,
    Money,
    ReadPartNumber,
    int_range,
    limit_error,
    limits_on,
    one_of,
    str_len,
    url_type,
)

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"

# the tables of status.py, under the names the models use
ORDER_TYPES = ORDER_TYPE_LABELS
ORDER_STATUSES = ORDER_STATUS_LABELS
PAYMENT_MODES = PAYMENT_MODE_LABELS
ATTACHMENT_TYPES = ATTACHMENT_TYPE_LABELS
ORDER_PRODUCT_STATUSES = {0: "cancelled", 1: "active"}

OrderId = int_range(1, MAX_UINT32, label="order id", soft=True)
LineId = int_range(1, 9_999_999, label="order product line id", soft=True)
VoucherId = int_range(1, 9_999_999, label="voucher_id", soft=True)
CustomerId = int_range(1, MAX_INT32, label="customer id", soft=True)
OrderStatus = one_of(ORDER_STATUSES, names=ORDER_STATUSES, label="status", soft=True)
OrderType = one_of(ORDER_TYPES, names=ORDER_TYPES, label="order type", soft=True)
PaymentMode = one_of(PAYMENT_MODES, names=PAYMENT_MODES, soft=True)
ProductStatus = one_of(
    ORDER_PRODUCT_STATUSES,
    names=ORDER_PRODUCT_STATUSES,
    label="product status",
    soft=True,
)


def parse_emag_datetime(value: str | None) -> datetime | None:
    """``"YYYY-mm-dd HH:ii:ss"`` -> naive datetime (eMAG local time)."""
    if not value:
        return None
    return datetime.strptime(value.strip()[:19], DATETIME_FORMAT)


class VoucherSplit(EmagReadModel):
    """product_voucher_split / shipping_tax_voucher_split /
    recycle_warranty_voucher_split entry (values are negative)."""

    voucher_id: VoucherId | None = None
    value: Money | None = None
    vat_value: Money | None = None
    vat: Money | None = None
    offered_by: Any = None
    voucher_name: str | None = None


class RecycleWarranty(EmagReadModel):
    """SGR deposit line (recycle_warranties)."""

    quantity: int | None = None
    sale_price: Money | None = None
    vat_rate: Money | None = None
    product_name: str | None = None
    recycle_warranty_voucher_split: list[VoucherSplit] | None = None


class OrderProduct(EmagReadModel):
    id: LineId | None = None
    product_id: int | None = None
    part_number_key: str | None = None
    part_number: ReadPartNumber | None = None
    ext_part_number: ReadPartNumber | None = None
    name: str | None = None
    mkt_id: Any = None
    status: ProductStatus | None = None
    quantity: int | None = None
    sale_price: Money | None = None
    vat: Money | None = None
    currency: str | None = None
    created: str | None = None
    modified: str | None = None
    details: Any = None
    product_voucher_split: list[VoucherSplit] | None = None
    recycle_warranties: list[RecycleWarranty] | None = None
    serial_numbers: Any = None
    attachments: list[Any] | None = None

    @model_validator(mode="after")
    def _save_rules(self, info: ValidationInfo):
        if limits_on(info):
            missing = [
                k
                for k in ("status", "quantity", "sale_price")
                if getattr(self, k) is None
            ]
            if missing:
                raise limit_error(
                    f"order product {self.id}: missing required key(s) "
                    f"{', '.join(missing)}"
                )
            if self.quantity < 0:
                raise limit_error(
                    f"quantity: must not be negative (got {self.quantity} on order "
                    f"product {self.id})"
                )
        return self


class OrderVoucher(EmagReadModel):
    voucher_id: VoucherId | None = None
    modified: str | None = None
    created: str | None = None
    status: int | None = None
    sale_price_vat: Money | None = None
    sale_price: Money | None = None
    voucher_name: str | None = None
    vat: Money | None = None
    issue_date: str | None = None


class Customer(EmagReadModel):
    """§5.1.2. Locality ids are "Text" since v4.4.7; use the ``*_locality_int``
    properties for awb/save. The shipping_* address keys missing from the
    v4.4.9 table (present in v4.4.4) are declared too."""

    id: CustomerId | None = None
    mkt_id: Any = None
    name: str | None = None
    email: str | None = None
    company: str | None = None
    gender: str | None = None
    code: str | None = None
    registration_number: str | None = None
    bank: str | None = None
    iban: str | None = None
    fax: str | None = None
    legal_entity: int | None = None
    is_vat_payer: int | None = None
    phone_1: str | None = None
    phone_2: str | None = None
    phone_3: str | None = None
    billing_name: str | None = None
    billing_phone: str | None = None
    billing_country: str | None = None
    billing_suburb: str | None = None
    billing_city: str | None = None
    billing_locality_id: str | int | None = None
    billing_street: str | None = None
    billing_postal_code: str | None = None
    shipping_locality_id: str | int | None = None
    shipping_contact: str | None = None
    shipping_phone: str | None = None
    shipping_country: str | None = None
    shipping_suburb: str | None = None
    shipping_city: str | None = None
    shipping_street: str | None = None
    shipping_postal_code: str | None = None

    @staticmethod
    def _as_int(value: str | int | None) -> int | None:
        if value is None or str(value).strip() == "":
            return None
        try:
            return int(str(value).strip())
        except ValueError:
            return None

    @property
    def billing_locality_int(self) -> int | None:
        return self._as_int(self.billing_locality_id)

    @property
    def shipping_locality_int(self) -> int | None:
        return self._as_int(self.shipping_locality_id)


class OrderDetails(EmagReadModel):
    locker_id: str | None = None
    locker_name: str | None = None
    locker_delivery_eligible: int | None = None
    courier_external_office_id: str | None = None


class OrderAttachmentRead(EmagReadModel):
    name: str | None = None
    url: str | None = None
    type: int | None = None
    force_download: int | None = None


class Order(EmagReadModel):
    id: OrderId | None = None
    status: OrderStatus | None = None
    is_complete: int | None = None
    type: OrderType | None = None
    payment_mode: str | None = None
    payment_mode_id: PaymentMode | None = None
    detailed_payment_method: str | None = None
    delivery_mode: str | None = None
    # PHP sends an empty array ([]) instead of an empty object
    details: OrderDetails | list[Any] | None = None
    date: str | None = None
    modified: str | None = None
    payment_status: int | None = None
    cashed_co: Money | None = None
    cashed_cod: Money | None = None
    shipping_tax: Money | None = None
    shipping_tax_voucher_split: list[VoucherSplit] | None = None
    customer: Customer | list[Any] | None = None
    products: list[OrderProduct] | None = None
    attachments: list[OrderAttachmentRead] | None = None
    vouchers: list[OrderVoucher] | None = None
    is_storno: bool | None = None
    reason_cancellation: int | None = None
    enforced_vendor_courier_accounts: list[Any] | None = None

    @model_validator(mode="after")
    def _save_rules(self, info: ValidationInfo):
        if limits_on(info):
            missing = [
                k
                for k in ("id", "status", "type", "payment_mode_id")
                if getattr(self, k) is None
            ]
            if missing:
                raise limit_error(
                    f"order: missing required key(s) {', '.join(missing)}"
                )
        return self

    # helpers --------------------------------------------------------------
    @property
    def date_dt(self) -> datetime | None:
        return parse_emag_datetime(self.date)

    @property
    def modified_dt(self) -> datetime | None:
        return parse_emag_datetime(self.modified)

    @property
    def order_details(self) -> OrderDetails | None:
        return self.details if isinstance(self.details, OrderDetails) else None

    @property
    def order_customer(self) -> Customer | None:
        return self.customer if isinstance(self.customer, Customer) else None

    @property
    def cashed_co_amount(self):
        """cashed_co, or the v4.4.4 spelling cached_co kept as an extra key."""
        if self.cashed_co is not None:
            return self.cashed_co
        return (self.model_extra or {}).get("cached_co")

    @property
    def cashed_cod_amount(self):
        if self.cashed_cod is not None:
            return self.cashed_cod
        return (self.model_extra or {}).get("cached_cod")

    @property
    def cancellation_reason(self) -> int | None:
        """reason_cancellation, or the pre-4.4.7 key cancellation_reason."""
        if self.reason_cancellation is not None:
            return self.reason_cancellation
        value = (self.model_extra or {}).get("cancellation_reason")
        return int(value) if value not in (None, "") else None

    def to_save_payload(self) -> dict[str, Any]:
        """Payload for order/save: every key read (unknown ones included), in
        JSON form, after checking the documented limits. Refuses FBE orders
        (type 2), which can only receive attachments."""
        if self.type == ORDER_TYPE_FBE:
            raise ValueError(
                f"order {self.id}: orders fulfilled by eMAG (type 2) cannot be edited; "
                "the only action allowed on them is uploading attachments"
            )
        payload = self.model_dump(mode="json", exclude_unset=True, by_alias=True)
        type(self).model_validate(payload, context={"check_limits": True})
        return payload


# --------------------------------------------------------------------------
# order/attachments/save (§5.1.3)
# --------------------------------------------------------------------------
class OrderAttachmentSave(EmagSaveModel):
    order_id: int_range(1, MAX_UINT32) | None = None
    order_type: one_of(ORDER_TYPES, names=ORDER_TYPES)
    order_product_id: int_range(1, MAX_UINT32) | None = None
    name: str_len(1, 60) | None = None
    url: url_type()
    type: one_of(ATTACHMENT_TYPES, names=ATTACHMENT_TYPES) | None = None
    force_download: one_of((0, 1)) | None = None

    @model_validator(mode="after")
    def _required_ids(self):
        kind = self.type if self.type is not None else 1
        if kind == 1 and self.order_id is None:
            raise limit_error("order_id: is required for invoices (type 1)")
        if kind == 3 and self.order_product_id is None:
            raise limit_error(
                "order_product_id: is required for warranties (type 3); use the "
                "products[].id of the order"
            )
        if self.order_id is None and self.order_product_id is None:
            raise limit_error("order_id or order_product_id: one of them is required")
        return self


def order_from_raw(raw: Mapping[str, Any]) -> Order:
    """Shorthand for ``Order.model_validate(raw)``."""
    return Order.model_validate(raw)
