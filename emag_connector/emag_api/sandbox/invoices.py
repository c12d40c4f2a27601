"""Routes of eMAG's invoices to the seller (§8.1 - 8.2): invoice/categories
and invoice/read, with the invoices eMAG issued (``seed_invoices``).

The documentation gives invoice/read's answer as ``total_results`` and
``invoices``: here they are the envelope's ``results``. ``date_start`` and
``date_end`` ("YYYY-mm-dd", invoices created after / before) are taken as
inclusive. eMAG gives no PDF of these invoices in the documentation, so
neither does the sandbox.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..platforms import currency_on
from .protocol import Request, Response, envelope, error
from .validation import as_decimal, as_int, parse_date

#: §8.1: "Every MKTP invoice is included in a category"; codes and names are
#: the sandbox's (the documentation gives FC, Commission, as its example)
DEFAULT_INVOICE_CATEGORIES = [
    {"category": "FC", "name": "Commission"},
    {"category": "FT", "name": "Transport"},
    {"category": "FB", "name": "Fulfilment by eMAG storage"},
    {"category": "FP", "name": "Penalties"},
    {"category": "SC", "name": "Storno Commission"},
]
#: §8.2 example supplier: eMAG's legal entity in Romania
EMAG_SUPPLIER = {
    "name": "Dante International SA",
    "register_number": "J40/372/2002",
    "cif": "14399840",
    "tax_code": "RO14399840",
    "social_capital": "1.210.822 RON",
    "iban": "RO73INGB0001008199078940",
    "bank": "ING BANK",
    "address": "148 Virtutii, E47, 060787, Sector 6, Bucuresti",
    "phone_number": "40212005200",
}
SELLER_CUSTOMER = {
    "name": "Test SRL",
    "register_number": "J40/1234/2002",
    "cif": "123456",
    "tax_code": "RO123456",
    "iban": "RO00INGB0000000000070000",
    "bank": "ING",
    "country": "Romania",
    "address": "Strada ABC, Bucuresti",
}
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 100, 1000  # §8.2 itemsPerPage
FIRST_NUMBER = 100001
CENT = Decimal("0.01")


def _money(value: Decimal) -> float:
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def invoice_line(spec: dict) -> dict:
    """A §8.2 line from ``product_name``, ``quantity``, ``unit_price`` and
    ``vat_rate``; ``value`` and ``vat_value`` computed unless given."""
    quantity = as_decimal(spec.get("quantity", 1)) or Decimal(0)
    unit_price = as_decimal(spec.get("unit_price", 100)) or Decimal(0)
    rate = as_int(spec.get("vat_rate", 21)) or 0
    value = as_decimal(spec.get("value"))
    if value is None:
        value = quantity * unit_price
    vat_value = as_decimal(spec.get("vat_value"))
    if vat_value is None:
        vat_value = value.quantize(CENT, rounding=ROUND_HALF_UP) * rate / 100
    return {
        "product_name": spec.get("product_name") or "Comision aferent comenzilor",
        "unit_of_measure": spec.get("unit_of_measure") or "Buc",
        "quantity": float(quantity),
        "unit_price": float(unit_price),
        "vat_rate": rate,
        "value": _money(value),
        "vat_value": _money(vat_value),
    }


def invoice_with_defaults(spec: dict, number: str, today: str, platform: str):
    """A §8.2 invoice: the totals are the lines' unless the spec gives them
    (to simulate an invoice that does not add up); the currency is the
    platform's on the invoice's date."""
    lines = [invoice_line(line) for line in spec.get("lines") or [{}]]
    day = spec.get("date") or today
    without = sum(Decimal(str(line["value"])) for line in lines)
    vat = sum(Decimal(str(line["vat_value"])) for line in lines)
    invoice = {
        "category": spec.get("category", "FC"),
        "name": spec.get("name"),
        "number": number,
        "date": day,
        "is_storno": as_int(spec.get("is_storno")) or 0,
        "supplier": dict(EMAG_SUPPLIER, **(spec.get("supplier") or {})),
        "customer": dict(SELLER_CUSTOMER, **(spec.get("customer") or {})),
        "lines": lines,
        "payment_term": as_int(spec.get("payment_term")) or 0,
        "total_without_vat": _money(without),
        "total_vat_value": _money(vat),
        "total_with_vat": _money(without + vat),
        "currency": spec.get("currency")
        or currency_on(platform, parse_date(day) or parse_date(today)),
    }
    for key in ("total_without_vat", "total_vat_value", "total_with_vat"):
        if key in spec:
            invoice[key] = spec[key]
    return invoice


class InvoiceRoutes:
    """Mixin of EmagSandbox: invoice/categories, invoice/read, their seeding
    and the control route ``POST /_sandbox/invoices``."""

    def seed_invoice_categories(self, categories: list[dict], replace=False):
        with self._lock:
            if replace:
                self.invoice_categories.clear()
            known = {c["category"]: c for c in self.invoice_categories}
            for category in categories:
                if category["category"] in known:
                    known[category["category"]].update(copy.deepcopy(category))
                else:
                    self.invoice_categories.append(copy.deepcopy(category))

    def seed_invoices(self, specs: list[dict]) -> list[dict]:
        """Invoices eMAG issued to the seller. A spec gives what matters to the
        test (``category``, ``date``, ``is_storno``, ``lines`` of
        ``quantity``, ``unit_price``, ``vat_rate``, totals to make them not add
        up, ``number``); the rest is defaulted, names from the categories."""
        out = []
        with self._lock:
            names = {c["category"]: c["name"] for c in self.invoice_categories}
            for spec in specs:
                number = spec.get("number") or self._next_invoice_number(spec)
                invoice = invoice_with_defaults(
                    spec, number, self.now().strftime("%Y-%m-%d"), self.platform
                )
                if not invoice["name"]:
                    invoice["name"] = names.get(invoice["category"], "Invoice")
                self.invoices[number] = invoice
                out.append(copy.deepcopy(invoice))
        return out

    def _next_invoice_number(self, spec: dict) -> str:
        prefix = str(spec.get("category") or "FC")
        sequence = FIRST_NUMBER + len(self.invoices)
        while f"{prefix}-MKTP-{sequence}" in self.invoices:
            sequence += 1
        return f"{prefix}-MKTP-{sequence}"

    def _invoice_categories(self, req: Request) -> Response:
        return envelope(copy.deepcopy(self.invoice_categories))

    def _invoice_read(self, req: Request) -> Response:
        data = req.data if isinstance(req.data, dict) else {}
        problems = []
        per_page = as_int(data.get("itemsPerPage", DEFAULT_PAGE_SIZE))
        if per_page is None or not 1 <= per_page <= MAX_PAGE_SIZE:
            problems.append(
                f"'itemsPerPage' must be an integer between 1 and {MAX_PAGE_SIZE}"
            )
        page = as_int(data.get("currentPage", 1))
        if page is None or page < 1:
            problems.append("'currentPage' must be an integer of 1 or more")
        rows = list(self.invoices.values())
        for key in ("category", "number"):
            if data.get(key) not in (None, ""):
                rows = [r for r in rows if str(r.get(key)) == str(data[key])]
        for key, keep in (
            ("date_start", lambda day, bound: day >= bound),
            ("date_end", lambda day, bound: day <= bound),
        ):
            if key in data:
                bound = parse_date(data[key])
                if bound is None:
                    problems.append(f"'{key}' must be a date in YYYY-mm-dd format")
                    continue
                rows = [r for r in rows if keep(parse_date(r["date"]) or bound, bound)]
        if problems:
            return error(problems)
        rows.sort(key=lambda r: (r["date"], r["number"]), reverse=True)
        start = (page - 1) * per_page
        return envelope(
            {
                "total_results": len(rows),
                "invoices": copy.deepcopy(rows[start : start + per_page]),
            }
        )

    def _control_invoices(self, body: Any) -> Response:
        specs = body.get("invoices")
        if not isinstance(specs, list):
            return Response(
                status=400, payload={"error": "'invoices' must be a list of specs"}
            )
        if isinstance(body.get("categories"), list):
            self.seed_invoice_categories(body["categories"])
        return Response(
            payload={"numbers": [i["number"] for i in self.seed_invoices(specs)]}
        )


def demo_invoices() -> list[dict]:
    """The demo's invoices: one of each category and a storno."""
    return [
        {
            "category": "FC",
            "lines": [
                {"product_name": "Comision vanzari", "unit_price": 84.3, "vat_rate": 21}
            ],
        },
        {
            "category": "FT",
            "lines": [
                {"product_name": "Transport colete", "quantity": 3, "unit_price": 12.5}
            ],
        },
        {
            "category": "FB",
            "lines": [{"product_name": "Depozitare FBE", "unit_price": 40}],
        },
        {
            "category": "FP",
            "lines": [{"product_name": "Penalitate livrare intarziata", "vat_rate": 0}],
        },
        {
            "category": "SC",
            "is_storno": 1,
            "lines": [
                {"product_name": "Storno comision", "quantity": -1, "unit_price": 20}
            ],
        },
    ]
