"""The money of an eMAG order, as the lines of a sale order.

eMAG gives product prices without VAT (up to 4 decimals) with their VAT
rate, the shipping tax WITH VAT, vouchers split per product, shipping and
deposit (each split with its value, its VAT and who offered it), and SGR
deposits (``recycle_warranties``) per product line.

The customer pays the prices eMAG shows, with VAT, to the cent. So every line
here is a unit price with VAT rounded to the cent, a quantity and a VAT rate:
a sale order built from these lines with tax-included taxes totals exactly
``order_total(order)``, whatever the tax rounding of the company.
"""

from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ACTIVE = 1

#: kind: "product" | "deposit" | "shipping" | "voucher"
SaleLine = namedtuple(
    "SaleLine",
    "kind name quantity unit_price vat_rate emag_line_id offer_id part_number "
    "offered_by",
)


def dec(value):
    return Decimal(str(value if value not in (None, "") else 0))


def with_vat(price, rate):
    """A price without VAT as the customer sees it: with VAT, to the cent."""
    return (dec(price) * (1 + dec(rate))).quantize(CENT, rounding=ROUND_HALF_UP)


def cents(value):
    return dec(value).quantize(CENT, rounding=ROUND_HALF_UP)


def active_products(order):
    return [
        p
        for p in order.get("products") or []
        if int(p.get("status", ACTIVE) or 0) == ACTIVE and dec(p.get("quantity")) > 0
    ]


def order_currencies(order):
    """The currency codes the order's active product lines give (eMAG gives
    ``currency`` per product line; older orders may give none)."""
    return {
        str(p["currency"]).strip().upper()
        for p in active_products(order)
        if p.get("currency")
    }


def sale_lines(order):
    """The lines of the sale order of an eMAG order (see the module doc)."""
    lines, splits = [], []
    for product in active_products(order):
        quantity = dec(product.get("quantity"))
        lines.append(
            SaleLine(
                "product",
                product.get("name") or product.get("part_number") or "",
                quantity,
                with_vat(product.get("sale_price"), product.get("vat")),
                dec(product.get("vat")),
                product.get("id"),
                product.get("product_id"),
                product.get("ext_part_number") or product.get("part_number"),
                None,
            )
        )
        splits += product.get("product_voucher_split") or []
        for deposit in product.get("recycle_warranties") or []:
            lines.append(
                SaleLine(
                    "deposit",
                    deposit.get("product_name") or "SGR",
                    dec(deposit.get("quantity") or 1),
                    with_vat(deposit.get("sale_price"), deposit.get("vat_rate")),
                    dec(deposit.get("vat_rate")),
                    product.get("id"),
                    None,
                    None,
                    None,
                )
            )
            splits += deposit.get("recycle_warranty_voucher_split") or []
    shipping = cents(order.get("shipping_tax"))
    if shipping:
        lines.append(
            SaleLine(
                "shipping",
                "Shipping",
                Decimal(1),
                shipping,
                _shipping_rate(order),
                None,
                None,
                None,
                None,
            )
        )
    splits += order.get("shipping_tax_voucher_split") or []
    lines += voucher_lines(splits or _vouchers_as_splits(order))
    return lines


def voucher_lines(splits):
    """One line per (VAT rate, who offered it, voucher name): the discounts."""
    groups = {}
    for split in splits:
        key = (
            dec(split.get("vat")),
            split.get("offered_by") or "",
            split.get("voucher_name") or "",
        )
        amount = dec(split.get("value")) + dec(split.get("vat_value"))
        groups[key] = groups.get(key, Decimal(0)) + amount
    return [
        SaleLine(
            "voucher",
            name or "Voucher",
            Decimal(1),
            cents(amount),
            rate,
            None,
            None,
            None,
            offered_by or None,
        )
        for (rate, offered_by, name), amount in sorted(groups.items(), key=str)
        if cents(amount)
    ]


def _vouchers_as_splits(order):
    """Older orders: the voucher list only (value and VAT, no split)."""
    return [
        {
            "value": v.get("sale_price"),
            "vat_value": v.get("sale_price_vat"),
            "vat": v.get("vat"),
            "voucher_name": v.get("voucher_name"),
        }
        for v in order.get("vouchers") or []
        if int(v.get("status", 1) or 0) == 1
    ]


def _shipping_rate(order):
    """eMAG gives no VAT rate for shipping: that of the products (the highest)."""
    rates = [dec(p.get("vat")) for p in active_products(order)]
    return max(rates) if rates else Decimal(0)


def order_total(order):
    """What the customer pays for the order, with VAT, to the cent."""
    return sum(
        (line.unit_price * line.quantity for line in sale_lines(order)), Decimal(0)
    )
