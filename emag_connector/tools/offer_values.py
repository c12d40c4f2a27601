"""What an eMAG offer carries, as eMAG names it; shared by the offer's flows."""

from decimal import ROUND_HALF_UP, Decimal

MAX_STOCK = 65_535
CENT4 = Decimal("0.0001")
PRICE_DIGITS = (16, 4)
#: the price values of an offer (all in the currency of its currency_type)
PRICE_KEYS = {"sale_price", "recommended_price", "min_sale_price", "max_sale_price"}
#: the values an offer update carries, as eMAG names them
OFFER_VALUES = (
    "status",
    "sale_price",
    "recommended_price",
    "min_sale_price",
    "max_sale_price",
    "vat_id",
    "handling_time",
    "stock",
)


def price4(value):
    """A price as eMAG takes it: a Decimal with at most 4 decimals."""
    return Decimal(str(value)).quantize(CENT4, rounding=ROUND_HALF_UP)
