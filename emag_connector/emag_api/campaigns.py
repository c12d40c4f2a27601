"""Campaign proposals (v4.4.9, campaign_proposals/save): one entity per offer
proposed to an eMAG campaign, every documented limit checked before the call,
with messages a seller understands."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

MAX_ID = 16777215
MAX_CAMPAIGN_STOCK = 255
MIN_VOUCHER, MAX_VOUCHER = 10, 100
MAX_INTERVALS = 30
TIMEZONE = "Europe/Bucharest"


def _price(value):
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not price.is_finite() or price <= 0 or price.as_tuple().exponent < -4:
        return None
    return price


def _moment(when):
    return {
        "date": when.strftime("%Y-%m-%d %H:%M:%S.000000"),
        "timezone_type": 3,
        "timezone": TIMEZONE,
    }


def campaign_entity(
    offer_id,
    campaign_id,
    sale_price,
    stock,
    *,
    max_qty_per_order=None,
    voucher_discount=None,
    post_campaign_sale_price=None,
    not_available_post_campaign=False,
    intervals=(),
    multideals=False,
    name=None,
):
    """``(entity, problems)``: the campaign_proposals/save entity of one offer
    (``intervals``: ``(start, end, voucher_discount)`` with datetimes in
    Bucharest time), or the list of what eMAG would refuse."""
    label = name or f"Offer {offer_id}"
    problems = []
    if not (isinstance(offer_id, int) and 1 <= offer_id <= MAX_ID):
        problems.append(f"{label}: the seller offer id must be 1 to {MAX_ID}.")
    if not (isinstance(campaign_id, int) and 1 <= campaign_id <= MAX_ID):
        problems.append(f"{label}: the eMAG campaign id must be 1 to {MAX_ID}.")
    price = _price(sale_price)
    if price is None:
        problems.append(
            f"{label}: the campaign price must be above 0, with at most 4 decimals."
        )
    if not (isinstance(stock, int) and 0 <= stock <= MAX_CAMPAIGN_STOCK):
        problems.append(
            f"{label}: the campaign stock must be 0 to {MAX_CAMPAIGN_STOCK} units."
        )
    entity = {
        "id": offer_id,
        "campaign_id": campaign_id,
        "sale_price": float(price) if price else None,
        "stock": stock,
    }
    if max_qty_per_order:
        if not (isinstance(max_qty_per_order, int) and max_qty_per_order >= 1):
            problems.append(f"{label}: the maximum per order must be 1 or more.")
        entity["max_qty_per_order"] = max_qty_per_order
    if voucher_discount:
        if not MIN_VOUCHER <= voucher_discount <= MAX_VOUCHER:
            problems.append(
                f"{label}: the voucher discount must be {MIN_VOUCHER} to "
                f"{MAX_VOUCHER} (%)."
            )
        entity["voucher_discount"] = int(voucher_discount)
    if post_campaign_sale_price:
        after = _price(post_campaign_sale_price)
        if after is None:
            problems.append(
                f"{label}: the price after the campaign must be above 0, with at "
                "most 4 decimals."
            )
        entity["post_campaign_sale_price"] = float(after) if after else None
    if not_available_post_campaign:
        entity["not_available_post_campaign"] = 1
    blocks, found = _interval_blocks(label, list(intervals), multideals)
    problems += found
    if blocks:
        entity["date_intervals"] = blocks
    return entity, problems


def _interval_blocks(label, intervals, multideals):
    """``(date_intervals, problems)`` of ``(start, end, discount)`` tuples."""
    problems = []
    if multideals and not intervals:
        problems.append(f"{label}: a MultiDeals campaign needs date intervals.")
    if len(intervals) > MAX_INTERVALS:
        problems.append(f"{label}: at most {MAX_INTERVALS} date intervals.")
    blocks = []
    for index, (start, end, discount) in enumerate(intervals, start=1):
        if not (isinstance(start, datetime) and isinstance(end, datetime)):
            problems.append(f"{label}: interval {index} needs a start and an end.")
            continue
        if end <= start:
            problems.append(f"{label}: interval {index} ends before it starts.")
        if not MIN_VOUCHER <= (discount or 0) <= MAX_VOUCHER:
            problems.append(
                f"{label}: the discount of interval {index} must be {MIN_VOUCHER} "
                f"to {MAX_VOUCHER} (%)."
            )
        blocks.append(
            {
                "start_date": _moment(start),
                "end_date": _moment(end),
                "voucher_discount": int(discount or 0),
                "index": index,
            }
        )
    return blocks, problems


def smart_deals_price_from(results):
    """The price that wins the Smart Deals badge, from eMAG's answer (its
    shape is not documented: the first price-like key of the answer or of its
    first item), or None."""
    candidates = results if isinstance(results, list) else [results]
    for candidate in candidates[:1]:
        if not isinstance(candidate, dict):
            continue
        for key in ("targetPrice", "target_price", "smartDealsPrice", "price"):
            price = _price(candidate.get(key))
            if price is not None:
                return price
    return None
