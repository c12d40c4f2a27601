"""eMAG's invoices to the seller (8.1 - 8.2): reading them, and their money
as the lines of a vendor bill.

``invoice/read`` answers ``{"total_results": n, "invoices": [...]}``, up to
1000 invoices a page (``itemsPerPage``, default 100, ``currentPage`` from 1).
Each invoice has one category, a storno flag, eMAG's legal entity as
``supplier``, lines with their value and VAT (``value`` is without VAT) and
the totals without VAT, of VAT and with VAT.

A bill made of these lines must total exactly what eMAG invoiced: the lines
here are what the bill's lines are, ``total_differences`` what does not add
up. A storno invoice (or one whose total is negative) becomes a credit note,
its amounts turned positive.
"""

from collections import namedtuple
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import EmagProtocolError

#: invoices a page: eMAG's default (it accepts up to 1000; an invoice may hold
#: many lines, and a smaller page answers well within the read timeout)
INVOICE_PAGE_SIZE = 100
MAX_INVOICE_PAGE_SIZE = 1000
DATE_FORMAT = "%Y-%m-%d"
CENT = Decimal("0.01")

#: the keys of an invoice's totals, in the order they are shown
TOTAL_KEYS = ("total_without_vat", "total_vat_value", "total_with_vat")

#: ``quantity`` and ``unit_price`` as a bill line shows them; ``value`` and
#: ``vat_value`` eMAG's, all with the sign of the bill
BillLine = namedtuple(
    "BillLine", "name unit quantity unit_price vat_rate value vat_value"
)
BillAmounts = namedtuple("BillAmounts", "credit_note lines totals")


def dec(value):
    """A Decimal of an eMAG number (a number or a text); 0 for nothing."""
    if value in (None, ""):
        return Decimal(0)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None


def cents(value):
    return dec(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_date_text(value):
    """A filter date as eMAG wants it ("YYYY-mm-dd"), from a date or a text."""
    if isinstance(value, (date, datetime)):
        return value.strftime(DATE_FORMAT)
    return str(value)


def invoice_filters(date_start=None, date_end=None, category=None, number=None):
    filters = {}
    if date_start:
        filters["date_start"] = as_date_text(date_start)
    if date_end:
        filters["date_end"] = as_date_text(date_end)
    if category:
        filters["category"] = category
    if number:
        filters["number"] = number
    return filters


def page_invoices(results, route="invoice/read"):
    """(total_results or None, invoices) of one answer of invoice/read."""
    if results is None:
        return 0, []
    if isinstance(results, list):  # tolerated: the invoices without the count
        return None, results
    if isinstance(results, dict) and isinstance(results.get("invoices", []), list):
        total = results.get("total_results")
        try:
            total = int(total) if total is not None else None
        except (TypeError, ValueError):
            total = None
        return total, results.get("invoices") or []
    raise EmagProtocolError(
        f"eMAG's answer to {route} holds no list of invoices: {results!r}"[:300],
        route=route,
        raw=results,
    )


def read_invoice_pages(client, filters, page_size=None):
    """Every invoice matching ``filters``, page after page: until a short
    page, ``total_results`` read, or a page bringing no invoice not seen yet
    (an answer that ignores ``currentPage`` would never end otherwise)."""
    page_size = max(1, min(page_size or INVOICE_PAGE_SIZE, MAX_INVOICE_PAGE_SIZE))
    page, seen = 1, set()
    while True:
        results = client.call(
            "invoice/read", dict(filters, currentPage=page, itemsPerPage=page_size)
        )
        total, invoices = page_invoices(results)
        new = [i for i in invoices if invoice_key(i) not in seen]
        seen.update(invoice_key(i) for i in new)
        yield from new
        if (
            len(invoices) < page_size
            or not new
            or (total is not None and len(seen) >= total)
        ):
            return
        page += 1


def invoice_key(invoice):
    if not isinstance(invoice, dict):
        return repr(invoice)
    return str(invoice.get("number") or "").strip() or repr(sorted(invoice.items()))


def vat_percent(value):
    """eMAG's VAT rate as a percentage (19); a fraction (0.19) is tolerated."""
    rate = dec(value)
    if 0 < abs(rate) < 1:
        rate *= 100
    return rate.normalize() if rate else Decimal(0)


def is_storno(invoice):
    try:
        return int(dec(invoice.get("is_storno"))) == 1
    except (ValueError, InvalidOperation):
        return False


def bill_amounts(invoice, price_digits=2):
    """The lines and totals of the bill of ``invoice``, with the bill's sign.

    A storno invoice, or one whose total with VAT is negative, is a credit
    note: its amounts are turned positive when eMAG gives them negative.
    A line keeps eMAG's quantity and unit price when they make its value to
    the cent at ``price_digits``; otherwise it is one unit of its value.
    """
    total_with_vat = dec(invoice.get("total_with_vat"))
    credit_note = is_storno(invoice) or total_with_vat < 0
    sign = -1 if total_with_vat < 0 else 1
    lines = []
    for line in invoice.get("lines") or []:
        if not isinstance(line, dict):
            raise ValueError("an invoice line is not an object")  # noqa: TRY004 - bad data
        value = cents(line.get("value")) * sign
        quantity = abs(dec(line.get("quantity")))
        unit_price = abs(dec(line.get("unit_price"))).quantize(
            Decimal(1).scaleb(-price_digits), rounding=ROUND_HALF_UP
        )
        if value < 0:
            unit_price = -unit_price
        if not quantity or cents(quantity * unit_price) != value:
            quantity, unit_price = Decimal(1), value
        lines.append(
            BillLine(
                name=str(line.get("product_name") or "").strip(),
                unit=str(line.get("unit_of_measure") or "").strip(),
                quantity=quantity,
                unit_price=unit_price,
                vat_rate=vat_percent(line.get("vat_rate")),
                value=value,
                vat_value=cents(line.get("vat_value")) * sign,
            )
        )
    totals = {key: cents(invoice.get(key)) * sign for key in TOTAL_KEYS}
    return BillAmounts(credit_note, lines, totals)


def line_totals(lines):
    """The totals the lines make: without VAT, of VAT, with VAT."""
    without = sum((line.value for line in lines), Decimal(0))
    vat = sum((line.vat_value for line in lines), Decimal(0))
    return dict(zip(TOTAL_KEYS, (without, vat, without + vat), strict=True))


def total_differences(totals, computed):
    """``[(key, eMAG's total, the computed one)]`` of the totals that differ
    by a cent or more."""
    return [
        (key, totals[key], cents(computed[key]))
        for key in TOTAL_KEYS
        if cents(computed[key]) != totals[key]
    ]
