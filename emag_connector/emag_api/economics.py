"""What eMAG keeps of a sale: the commission estimate of an offer, read from
answers whose exact shape only eMAG's Swagger documents."""

from decimal import Decimal, InvalidOperation


def commission_from(answer):
    """``{"value": Decimal percent, "created": str|None, "end_date": str|None}``
    from eMAG's commission estimate, found at the top of the answer or under
    ``data`` or ``results``; None when no usable ``value`` is there (the
    commission then stays unknown, never zero)."""
    candidates = [answer]
    if isinstance(answer, dict):
        for key in ("data", "results"):
            inner = answer.get(key)
            candidates.append(inner[0] if isinstance(inner, list) and inner else inner)
    for candidate in candidates:
        if not isinstance(candidate, dict) or "value" not in candidate:
            continue
        try:
            value = Decimal(str(candidate["value"]))
        except (InvalidOperation, ValueError):
            return None
        if not value.is_finite() or not 0 <= value <= 100:
            return None
        return {
            "value": value,
            "created": candidate.get("created") or None,
            "end_date": candidate.get("end_date") or None,
        }
    return None


def commission_amount(percent, price_with_vat):
    """eMAG's commission on one unit sold at ``price_with_vat``, in the same
    currency: eMAG takes its percentage of the price the customer pays."""
    return (Decimal(str(percent)) * Decimal(str(price_with_vat)) / 100).quantize(
        Decimal("0.0001")
    )
