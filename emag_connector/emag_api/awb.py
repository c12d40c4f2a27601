"""The AWB of an order (§6.1), built from the order as eMAG sent it.

eMAG's rules are checked here, before awb/save, with a message a seller
understands: no AWB for an order fulfilled by eMAG, not yet acknowledged,
cancelled or returned; only the courier accounts the order enforces
(``enforced_vendor_courier_accounts``: an empty list means no AWB at all).
The receiver, the locker and the cash-on-delivery amount come from the order;
the sender and the parcels from the seller.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from .orders import order_total
from .schemas.awb import AwbSave
from .schemas.common import validation_messages

PAYMENT_MODE_COD = 1


class AwbRefused(ValueError):
    """eMAG would refuse this AWB; the message says why and what to do."""


def _customer(order: Mapping) -> Mapping:
    customer = order.get("customer")
    return customer if isinstance(customer, Mapping) else {}


def _details(order: Mapping) -> Mapping:
    details = order.get("details")
    return details if isinstance(details, Mapping) else {}


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, False) else ""


def awb_phone(value: Any) -> str:
    """A phone as awb/save takes it: digits, with a leading '+' for an
    international number written with 00."""
    text = "".join(ch for ch in _text(value) if ch.isdigit() or ch == "+")
    if text.startswith("00"):
        text = "+" + text[2:]
    return text


def check_awb_allowed(order: Mapping) -> None:
    """Raise :class:`AwbRefused` when eMAG would not issue an AWB for the order."""
    order_id = order.get("id")
    if int(order.get("type") or 3) == 2:
        raise AwbRefused(
            f"eMAG order {order_id} is fulfilled by eMAG: eMAG ships it, the seller "
            "issues no AWB."
        )
    status = int(order.get("status") or 0)
    if status == 0:
        raise AwbRefused(f"eMAG order {order_id} is cancelled: no AWB can be issued.")
    if status == 1:
        raise AwbRefused(
            f"eMAG order {order_id} is not acknowledged yet: import it first, the "
            "AWB is issued once the order is in progress."
        )
    if status == 5:
        raise AwbRefused(f"eMAG order {order_id} is returned: no AWB can be issued.")
    enforced = order.get("enforced_vendor_courier_accounts")
    if enforced is not None and not enforced:
        raise AwbRefused(
            f"eMAG allows no courier account for order {order_id} (its list of "
            "enforced courier accounts is empty): the AWB cannot be issued from the "
            "Marketplace. Ship it as eMAG asks in the order."
        )


def enforced_courier_accounts(order: Mapping) -> list[int] | None:
    """The courier account ids the order enforces; None when any may be used."""
    enforced = order.get("enforced_vendor_courier_accounts")
    if enforced is None:
        return None
    ids = []
    for item in enforced:
        if isinstance(item, Mapping):
            item = item.get("account_id") or item.get("courier_account_id")
        if item not in (None, ""):
            ids.append(int(item))
    return ids


def courier_account(order: Mapping, preferred: int | None) -> int | None:
    """The courier account of the AWB: the seller's preferred one when the
    order allows it, else the first one the order enforces. None lets eMAG
    use the seller's default account."""
    enforced = enforced_courier_accounts(order)
    if enforced is None or preferred in enforced:
        return preferred
    if not enforced:
        check_awb_allowed(order)  # raises: no courier account is allowed
    return enforced[0]


def receiver(order: Mapping) -> dict:
    """The receiver block: the order's delivery address, contact and phone."""
    customer = _customer(order)
    contact = _text(customer.get("shipping_contact")) or _text(customer.get("name"))
    legal_entity = int(customer.get("legal_entity") or 0)
    name = (_text(customer.get("company")) if legal_entity else "") or contact
    phone = (
        customer.get("shipping_phone")
        or customer.get("phone_1")
        or customer.get("billing_phone")
    )
    party = {
        "name": name,
        "contact": contact or name,
        "phone1": awb_phone(phone),
        "legal_entity": legal_entity,
        "locality_id": customer.get("shipping_locality_id"),
        "street": _text(customer.get("shipping_street")),
        "zipcode": _text(customer.get("shipping_postal_code")) or None,
    }
    if party["locality_id"] in (None, ""):
        raise AwbRefused(
            f"eMAG order {order.get('id')} has no delivery locality: eMAG needs its "
            "locality id to issue the AWB."
        )
    party["locality_id"] = int(party["locality_id"])
    return party


def locker_id(order: Mapping) -> str | None:
    """The locker (easybox) the customer chose, if any."""
    return _text(_details(order).get("locker_id")) or None


def cod_amount(order: Mapping) -> Decimal:
    """What the courier collects: the order's total with VAT for cash on
    delivery, nothing otherwise."""
    if int(order.get("payment_mode_id") or 0) != PAYMENT_MODE_COD:
        return Decimal(0)
    return order_total(order)


def awb_payload(
    order: Mapping,
    sender: Mapping,
    *,
    parcels: int,
    envelopes: int = 0,
    weight: float | None = None,
    cod: Decimal | None = None,
    courier_account_id: int | None = None,
    insured_value: Decimal | None = None,
    saturday_delivery: bool = False,
    sameday_delivery: bool = False,
    observation: str | None = None,
) -> dict:
    """The awb/save body for ``order``, checked against every limit of §6.1.

    ``cod`` defaults to :func:`cod_amount`; give 0 for a second AWB of an order
    whose first one already collects the money.
    """
    check_awb_allowed(order)
    body = {
        "order_id": int(order["id"]),
        "sender": dict(sender),
        "receiver": receiver(order),
        "locker_id": locker_id(order),
        "is_oversize": 0,
        "insured_value": insured_value,
        "weight": weight or None,
        "envelope_number": envelopes,
        "parcel_number": parcels,
        "observation": observation or None,
        "cod": cod_amount(order) if cod is None else cod,
        "courier_account_id": courier_account(order, courier_account_id),
        "saturday_delivery": 1 if saturday_delivery else None,
        "sameday_delivery": 1 if sameday_delivery else None,
    }
    body = {key: value for key, value in body.items() if value is not None}
    try:
        return AwbSave.model_validate(body).to_payload()
    except ValidationError as exc:
        lines = "; ".join(validation_messages(exc))
        raise AwbRefused(f"AWB of eMAG order {order.get('id')}: {lines}") from None


def pickup_sender(rma: Mapping) -> dict:
    """The sender block of a return's pickup: the customer, where eMAG says
    the parcel waits."""
    name = _text(rma.get("customer_company")) or _text(rma.get("customer_name"))
    street = _text(rma.get("pickup_address"))
    party = {
        "name": name,
        "contact": _text(rma.get("customer_name")) or name,
        "phone1": awb_phone(rma.get("customer_phone")),
        "locality_id": rma.get("pickup_locality_id"),
        "street": street,
        "zipcode": _text(rma.get("pickup_zipcode")) or None,
    }
    if party["locality_id"] in (None, "", 0):
        raise AwbRefused(
            f"eMAG return {rma.get('emag_id')} has no pickup locality: eMAG needs "
            "its locality id to issue the pickup AWB."
        )
    party["locality_id"] = int(party["locality_id"])
    return party


def pickup_awb_payload(
    rma: Mapping,
    receiver_party: Mapping,
    *,
    day: date,
    parcels: int,
    weight: float | None = None,
    courier_account_id: int | None = None,
    today: date | None = None,
) -> dict:
    """The awb/save body of the pickup of a return (§7.3) by the seller's own
    courier: from the customer to the seller, on ``day`` (at least the next
    day), nothing to collect."""
    body = {
        "order_id": int(rma["order_id"]),
        "rma_id": int(rma["emag_id"]),
        "sender": pickup_sender(rma),
        "receiver": dict(receiver_party),
        "is_oversize": 0,
        "weight": weight or None,
        "envelope_number": 0,
        "parcel_number": parcels,
        "cod": 0,
        "courier_account_id": courier_account_id,
        "date": day.isoformat(),
    }
    body = {key: value for key, value in body.items() if value is not None}
    context = {"today": today} if today else None
    try:
        return AwbSave.model_validate(body, context=context).to_payload()
    except ValidationError as exc:
        lines = "; ".join(validation_messages(exc))
        raise AwbRefused(
            f"Pickup AWB of eMAG return {rma.get('emag_id')}: {lines}"
        ) from None


def awb_ids(result: Any) -> dict:
    """Every id of an awb/save answer, whatever its shape (a dict, or a list of
    one): reservation id, eMAG AWB id, AWB number and barcode, courier."""
    if isinstance(result, list):
        result = result[0] if result else {}
    result = result if isinstance(result, Mapping) else {}
    numbers = result.get("awb") or []
    first = numbers[0] if isinstance(numbers, list) and numbers else {}
    first = first if isinstance(first, Mapping) else {}
    emag_id = first.get("emag_id") or result.get("emag_id")
    return {
        "reservation_id": int(result.get("reservation_id") or 0) or None,
        "emag_id": int(emag_id) if emag_id else None,
        "awb_number": _text(first.get("awb_number") or result.get("awb_number"))
        or None,
        "awb_barcode": _text(first.get("awb_barcode") or result.get("awb_barcode"))
        or None,
        "courier_account_id": int(result.get("courier_id") or 0) or None,
        "courier_name": _text(result.get("courier_name")) or None,
    }
