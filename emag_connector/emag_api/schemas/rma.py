"""Return requests: rma/read and rma/save (§7).

:class:`Rma` is read from eMAG and sent back by rma/save, like an order:
unknown keys are kept, :meth:`Rma.to_save_payload` dumps with
``exclude_unset=True`` after checking the documented limits
(``context={"check_limits": True}``). Status changes are checked with
:func:`emag_connector.emag_api.status.check_rma_transition`.

Since v4.4.6 ``id``, ``invoice_number`` and ``customer_email`` are no longer
returned (the v4.4.9 table still lists the first two): all are optional here.
"""

from typing import Any

from pydantic import ValidationInfo, model_validator

from ..status import ORDER_TYPE_LABELS
from .common import (
    EmagReadModel,
    Money,
    int_range,
    limit_error,
    limits_on,
    one_of,
)

RMA_STATUSES = {
    1: "Incomplete",
    2: "New",
    3: "Acknowledged",
    4: "Refused",
    5: "Canceled",
    6: "Received",
    7: "Finalized",
}
RMA_TYPES = ORDER_TYPE_LABELS  # a return has the type of its order
RMA_RETURN_TYPES = {
    1: "Replacement with same product",
    2: "Replacement with a different product",
    3: "Refund",
    4: "Cancel payment contract for this product",
    5: "Voucher",
}
RMA_PICKUP_METHODS = {1: "eMAG courier", 2: "Seller's own courier", 3: "Sent by client"}


class RmaProduct(EmagReadModel):
    id: int_range(1, 9_999_999, label="return product line id", soft=True) | None = None
    product_emag_id: int | None = None
    product_id: int | None = None
    quantity: int | None = None
    product_name: str | None = None
    return_reason: int | None = None
    observations: str | None = None
    diagnostic: int | None = None
    reject_reason: int | None = None
    refund_value: Any = None

    @model_validator(mode="after")
    def _save_rules(self, info: ValidationInfo):
        if limits_on(info) and self.id is None:
            raise limit_error(
                "return product: id (eMAG return product line id) is required"
            )
        return self


class RmaAwb(EmagReadModel):
    reservation_id: int | None = None


class Rma(EmagReadModel):
    emag_id: int | None = None
    id: int | None = None
    order_id: int | None = None
    type: one_of(RMA_TYPES, names=RMA_TYPES, label="type", soft=True) | None = None
    invoice_number: str | None = None
    customer_name: str | None = None
    customer_company: str | None = None
    customer_phone: str | None = None
    products: list[RmaProduct] | None = None
    awbs: list[RmaAwb] | None = None
    pickup_country: str | None = None
    pickup_suburb: str | None = None
    pickup_city: str | None = None
    pickup_address: str | None = None
    pickup_address_id: int | None = None
    pickup_zipcode: str | None = None
    pickup_date: str | None = None
    pickup_locality_id: int | None = None
    pickup_method: (
        one_of(RMA_PICKUP_METHODS, names=RMA_PICKUP_METHODS, soft=True) | None
    ) = None
    return_reason: int | None = None
    observations: str | None = None
    return_type: one_of(RMA_RETURN_TYPES, names=RMA_RETURN_TYPES, soft=True) | None = (
        None
    )
    return_address_id: int | None = None
    return_tax_value: Money | None = None
    customer_account_iban: str | None = None
    customer_account_bank: str | None = None
    customer_account_beneficiary: str | None = None
    replacement_product_emag_id: int | None = None
    replacement_product_id: int | None = None
    replacement_product_name: str | None = None
    replacement_product_quantity: int | None = None
    date: str | None = None
    request_status: (
        one_of(RMA_STATUSES, names=RMA_STATUSES, label="request_status", soft=True)
        | None
    ) = None

    @model_validator(mode="after")
    def _save_rules(self, info: ValidationInfo):
        if limits_on(info):
            missing = [
                k for k in ("emag_id", "order_id", "type") if getattr(self, k) is None
            ]
            if missing:
                raise limit_error(
                    f"return request: missing required key(s) {', '.join(missing)}"
                )
        return self

    def to_save_payload(self) -> dict[str, Any]:
        """Payload for rma/save: every key read, after the limit checks."""
        payload = self.model_dump(mode="json", exclude_unset=True, by_alias=True)
        type(self).model_validate(payload, context={"check_limits": True})
        return payload


#: rma/save takes the same structure as rma/read
RmaSave = Rma
