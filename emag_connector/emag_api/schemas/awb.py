"""AWBs: awb/save (§6.1) and awb/read (§6.2).

:class:`AwbSave` is a save model (unknown keys refused, every limit enforced).
Context key ``today`` controls the "at least the next day" rule of ``date``.
``date`` is dumped as ``YYYY-MM-DD`` (the doc does not state the format).
"""

from datetime import timedelta
from typing import Any

from pydantic import ValidationInfo, field_validator, model_validator

from .common import (
    MAX_UINT32,
    AwbPhone,
    EmagReadModel,
    EmagSaveModel,
    IsoDate,
    Money,
    get_today,
    int_range,
    limit_error,
    one_of,
    price,
    str_len,
)

AWB_TYPES = {1: "delivery to customer", 2: "pickup from customer"}
AWB_PDF_FORMATS = ("A4", "A5", "A6", "ZPL")

Flag = one_of((0, 1))


class AwbParty(EmagSaveModel):
    """Sender / receiver block (§6.1)."""

    name: str_len(3, 255)
    contact: str_len(1, 255)
    phone1: AwbPhone
    phone2: AwbPhone | None = None
    legal_entity: Flag | None = None
    address_id: str_len(0, 21) | None = None
    locality_id: int_range(1, MAX_UINT32)
    street: str_len(3, 255)
    zipcode: str_len(1, 255) | None = None

    @field_validator("address_id", "zipcode", mode="before")
    @classmethod
    def _number_to_string(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class AwbSave(EmagSaveModel):
    order_id: int_range(1, MAX_UINT32)
    rma_id: int_range(1, MAX_UINT32) | None = None
    sender: AwbParty
    receiver: AwbParty
    locker_id: str_len(3, 255) | None = None
    is_oversize: Flag
    insured_value: price(allow_zero=True, places=28, maximum=999999999) | None = None
    weight: price(allow_zero=True, places=28, maximum=99999) | None = None
    envelope_number: int_range(0, 9999)
    parcel_number: int_range(0, 999)
    observation: str_len(0, 255) | None = None
    cod: price(allow_zero=True, places=28, maximum=999999999)
    courier_account_id: int | None = None
    pickup_and_return: Flag | None = None
    saturday_delivery: Flag | None = None
    sameday_delivery: Flag | None = None
    dropoff_locker: Flag | None = None
    unboxing: Flag | None = None
    date: IsoDate | None = None

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo):
        if self.envelope_number == 0 and self.parcel_number == 0:
            raise limit_error(
                "parcel_number / envelope_number: they cannot both be 0 (send at "
                "least one parcel or one envelope)"
            )
        if self.sender.legal_entity is not None:
            raise limit_error("sender.legal_entity: applies only to the receiver")
        is_return = self.rma_id is not None
        if is_return:
            if self.pickup_and_return:
                raise limit_error(
                    "pickup_and_return: must be 0 or not sent for an AWB of a return"
                )
            if self.dropoff_locker:
                raise limit_error(
                    "dropoff_locker: is used only for orders, not returns"
                )
            if self.date is None:
                raise limit_error("date: is required for an AWB of a return (rma_id)")
        if self.date is not None:
            first = get_today(info) + timedelta(days=1)
            if self.date < first:
                raise limit_error(
                    f"date: must be at least the next day ({first.isoformat()}) "
                    f"(got {self.date.isoformat()})"
                )
        return self


# --------------------------------------------------------------------------
# awb/read
# --------------------------------------------------------------------------
class AwbNumber(EmagReadModel):
    emag_id: int | None = None
    awb_number: str | None = None
    awb_barcode: str | None = None


class AwbStatus(EmagReadModel):
    code: str | None = None
    name: str | None = None
    description: str | None = None


class AwbCourier(EmagReadModel):
    courier_account_id: int | None = None
    courier_name: str | None = None


class AwbRead(EmagReadModel):
    emag_id: int | None = None
    reservation_id: int | None = None
    order_id: int | None = None
    rma_id: int | None = None
    type: int | None = None
    weight: Money | None = None
    awb_type: int | None = None
    awb: list[AwbNumber] | None = None
    status: list[AwbStatus] | AwbStatus | None = None
    courier: list[AwbCourier] | AwbCourier | None = None

    @property
    def awb_numbers(self) -> list[str]:
        return [a.awb_number for a in self.awb or [] if a.awb_number]


class AwbSaveResult(EmagReadModel):
    """awb/save response (shape not documented): the ids seen in the wild are
    ``reservation_id``, ``emag_id`` and a nested ``awb`` list. Store all."""

    reservation_id: int | None = None
    emag_id: int | None = None
    awb: list[AwbNumber] | None = None

    @property
    def emag_ids(self) -> list[int]:
        ids = [self.emag_id] if self.emag_id else []
        ids += [a.emag_id for a in self.awb or [] if a.emag_id]
        return ids
