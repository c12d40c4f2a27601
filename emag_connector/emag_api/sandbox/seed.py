"""Default reference data and default shapes of seeded entities.

A test may seed an order with only ``{"id": 1}``: every documented key of §5.1
is filled with a sensible default here.  Keys given by the test win, and unknown
keys are kept as they are.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..platforms import PLATFORMS, currency_on
from .validation import parse_datetime

# §2.2 vat/read, per platform country. Romanian rates since August 2025: 21 %
# standard, 11 % reduced; Bulgaria 20 % and 9 %; Hungary 27 %, 18 % and 5 %.
DEFAULT_VATS = {
    country: [
        {"vat_id": n, "vat_rate": rate, "is_default": int(n == 1)}
        for n, rate in enumerate(rates, start=1)
    ]
    for country, rates in {
        "RO": (0.21, 0.11, 0.0),
        "BG": (0.20, 0.09, 0.0),
        "HU": (0.27, 0.18, 0.05, 0.0),
    }.items()
}

# §2.3 handling_time/read (the doc gives no shape; one row per accepted value).
DEFAULT_HANDLING_TIMES = [{"id": n, "value": n} for n in range(6)]

# §6.7 courier_accounts/read.
DEFAULT_COURIER_ACCOUNTS = [
    {
        "account_id": 5186,
        "account_display_name": "Sameday - cont principal",
        "courier_account_type": 3,
        "courier_name": "Sameday",
        "courier_account_properties": [0, 2],
        "created": "2024-01-10 10:00:00",
        "status": 1,
        "pickup_country_code": "RO",
    },
    {
        "account_id": 7241,
        "account_display_name": "FAN Courier",
        "courier_account_type": 2,
        "courier_name": "FAN Courier",
        "courier_account_properties": [0],
        "created": "2024-03-01 09:30:00",
        "status": 1,
        "pickup_country_code": "RO",
    },
]

# §6.8 addresses/read.
DEFAULT_ADDRESSES = [
    {
        "address_id": "1001",
        "country_id": 1,
        "country_code": "RO",
        "address_type_id": 2,
        "locality_id": 8801,
        "suburb": "Bucuresti",
        "city": "Sector 3",
        "address": "Strada Depozitului 10",
        "zipcode": "030000",
        "quarter": "",
        "floor": "",
        "is_default": True,
    },
    {
        "address_id": "1002",
        "country_id": 1,
        "country_code": "RO",
        "address_type_id": 1,
        "locality_id": 8801,
        "suburb": "Bucuresti",
        "city": "Sector 3",
        "address": "Strada Depozitului 10, rampa retururi",
        "zipcode": "030000",
        "quarter": "",
        "floor": "",
        "is_default": True,
    },
]


def _locality(emag_id, name, latin, region, region_latin, zipcode, iso2):
    return {
        "emag_id": emag_id,
        "name": name,
        "name_latin": latin,
        "region1": region,
        "region2": region,
        "region3": None,
        "region4": None,
        "region1_latin": region_latin,
        "region2_latin": region_latin,
        "region3_latin": None,
        "region4_latin": None,
        "geoid": 1000 + emag_id,
        "modified": "2024-01-01 00:00:00",
        "zipcode": zipcode,
        "country_code": "RO",
        "iso2": iso2,
    }


# §6.6 locality/read.
DEFAULT_LOCALITIES = [
    _locality(
        8801, "Bucureşti", "Bucuresti", "Bucureşti", "Bucuresti", "010011", "RO-B"
    ),
    _locality(9312, "Cluj-Napoca", "Cluj-Napoca", "Cluj", "Cluj", "400001", "RO-CJ"),
    _locality(10234, "Iaşi", "Iasi", "Iaşi", "Iasi", "700001", "RO-IS"),
    _locality(11520, "Timişoara", "Timisoara", "Timiş", "Timis", "300001", "RO-TM"),
    _locality(12004, "Braşov", "Brasov", "Braşov", "Brasov", "500001", "RO-BV"),
]

# §2.1 category/read. Characteristic 6506 "Size" carries tags, as in the doc.
DEFAULT_CATEGORIES = [
    {
        "id": 506,
        "name": "Casti audio",
        "is_allowed": 1,
        "parent_id": 12,
        "is_ean_mandatory": 1,
        "is_warranty_mandatory": 1,
        "characteristics": [
            {
                "id": 38,
                "name": "Tip",
                "type_id": 11,
                "display_order": 1,
                "is_mandatory": 1,
                "is_filter": 1,
                "allow_new_value": 0,
                "values": ["In-ear", "On-ear", "Over-ear"],
                "tags": [],
            },
            {
                "id": 44,
                "name": "Culoare",
                "type_id": 11,
                "display_order": 2,
                "is_mandatory": 0,
                "is_filter": 1,
                "allow_new_value": 1,
                "values": ["Negru", "Alb", "Rosu", "Albastru"],
                "tags": [],
            },
        ],
        "family_types": [
            {
                "id": 95,
                "name": "Culoare",
                "characteristics": [
                    {
                        "characteristic_id": 44,
                        "characteristic_family_type_id": 1,
                        "is_foldable": 1,
                        "display_order": 1,
                    }
                ],
            }
        ],
    },
    {
        "id": 2735,
        "name": "Pantofi sport barbati",
        "is_allowed": 1,
        "parent_id": 40,
        "is_ean_mandatory": 0,
        "is_warranty_mandatory": 0,
        "characteristics": [
            {
                "id": 6506,
                "name": "Marime",
                "type_id": 60,
                "display_order": 1,
                "is_mandatory": 1,
                "is_filter": 1,
                "allow_new_value": 0,
                "values": [f"{n} EU" for n in range(36, 48)],
                "tags": ["original", "converted"],
            }
        ],
        "family_types": [],
    },
    {
        "id": 1800,
        "name": "Televizoare",
        "is_allowed": 0,
        "parent_id": 7,
        "is_ean_mandatory": 1,
        "is_warranty_mandatory": 1,
        "characteristics": [],
        "family_types": [],
    },
]

CHARACTERISTIC_DEFAULTS = {
    "name": "",
    "type_id": 11,
    "display_order": 0,
    "is_mandatory": 0,
    "is_filter": 0,
    "allow_new_value": 0,
    "values": [],
    "tags": [],
}

CATEGORY_DEFAULTS = {
    "name": "",
    "is_allowed": 1,
    "parent_id": None,
    "is_ean_mandatory": 0,
    "is_warranty_mandatory": 0,
    "characteristics": [],
    "family_types": [],
}


def category_with_defaults(category: dict) -> dict:
    out = copy.deepcopy(CATEGORY_DEFAULTS)
    out.update(copy.deepcopy(category))
    out.setdefault("name", f"Category {out['id']}")
    out["characteristics"] = [
        {**copy.deepcopy(CHARACTERISTIC_DEFAULTS), **c} for c in out["characteristics"]
    ]
    return out


# ------------------------------------------------------------------- orders

PAYMENT_MODES = {
    1: ("RAMBURS", "Ramburs"),
    2: ("ORDIN DE PLATA", "Ordin de plata"),
    3: ("CARD ONLINE", "Card online"),
}


def customer_defaults(order_id: int, country: str = "RO") -> dict:
    return {
        "id": 4000000 + order_id % 1000000,
        "mkt_id": 4000000 + order_id % 1000000,
        "name": "Ion Popescu",
        "email": "a1b2c3d4e5f6@emag.ro",  # a hash, never a real address
        "company": "Ion Popescu",
        "gender": "M",
        "code": None,
        "registration_number": None,
        "bank": None,
        "iban": None,
        "fax": None,
        "legal_entity": 0,
        "is_vat_payer": 0,
        "phone_1": "0722123456",
        "phone_2": None,
        "phone_3": None,
        "billing_name": "Ion Popescu",
        "billing_phone": "0722123456",
        "billing_country": country,
        "billing_suburb": "Bucuresti",
        "billing_city": "Sector 1",
        "billing_locality_id": "8801",
        "billing_street": "Strada Exemplu 1",
        "billing_postal_code": "010011",
        "shipping_country": country,
        "shipping_suburb": "Bucuresti",
        "shipping_city": "Sector 1",
        "shipping_locality_id": "8801",
        "shipping_street": "Strada Exemplu 1",
        "shipping_postal_code": "010011",
        "shipping_contact": "Ion Popescu",
        "shipping_phone": "0722123456",
        "created": "2025-01-01 10:00:00",
        "modified": "2025-01-01 10:00:00",
    }


def product_line_defaults(
    line_id: int, now: str, currency: str = "RON", vat: str = "0.21"
) -> dict:
    return {
        "id": line_id,
        "product_id": 1,
        "mkt_id": 1000000 + line_id,
        "name": "Produs exemplu",
        "status": 1,
        "part_number": "D5DD9BBBM",
        "part_number_key": "D5DD9BBBM",
        "ext_part_number": "SKU-1",
        "currency": currency,
        "vat": vat,
        "quantity": 1,
        "initial_qty": 1,
        "storno_qty": 0,
        "reversible_vat_charging": 0,
        "sale_price": "100.0000",
        "original_price": "100.0000",
        "created": now,
        "modified": now,
        "details": "",
        "serial_numbers": "",
        "product_voucher_split": [],
        "recycle_warranties": [],
        "attachments": [],
        "cancellation_reason": None,
    }


def order_with_defaults(
    order: dict,
    *,
    order_id: int,
    now: str,
    next_line_id: Callable[[], int],
    platform: str = "emag_ro",
) -> dict:
    """A full §5.1 order from the few keys a test gives; amounts in the
    platform's currency on the order's date, its standard VAT rate, a customer
    in its country."""
    given = copy.deepcopy(order)
    spec = PLATFORMS[platform]
    currency = currency_on(platform, parse_datetime(given.get("date") or now))
    vat = f"{DEFAULT_VATS[spec.country][0]['vat_rate']:.2f}"
    payment_mode_id = given.get("payment_mode_id", 1)
    mode, detailed = PAYMENT_MODES.get(payment_mode_id, ("RAMBURS", "Ramburs"))
    out: dict[str, Any] = {
        "id": order_id,
        "vendor_name": "Sandbox Seller SRL",
        "type": 3,
        "parent_id": None,
        "date": now,
        "modified": now,
        "payment_mode": mode,
        "detailed_payment_method": detailed,
        "delivery_mode": "courier",
        "observation": None,
        "status": 1,
        "payment_status": 1 if payment_mode_id == 3 else 0,
        "cashed_co": 0,
        "cashed_cod": 0,
        "shipping_tax": "19.99",  # VAT included, unlike product prices
        "shipping_tax_voucher_split": [],
        "customer": customer_defaults(order_id, spec.country),
        "products": [],
        "attachments": [],
        "vouchers": [],
        "proforms": [],
        "is_complete": 1,
        "is_storno": False,
        "payment_mode_id": payment_mode_id,
        "reason_cancellation": None,
        "cancellation_request": None,
        "refunded_amount": "0",
        "refund_status": None,
        "maximum_date_for_shipment": None,
        "late_shipment": 0,
        "finalization_date": None,
        "details": {
            "locker_id": None,
            "locker_name": None,
            "locker_delivery_eligible": 1,
            "courier_external_office_id": None,
        },
        "flags": [],
        "emag_club": 0,
        "weekend_delivery": 0,
        "has_editable_products": 1,
        "enforced_vendor_courier_accounts": None,
    }
    customer = given.pop("customer", None) or {}
    details = given.pop("details", None) or {}
    products = given.pop("products", None)
    out.update(given)
    out["customer"].update(customer)
    out["details"].update(details)
    if products is None:
        products = [{}]
    lines = []
    for product in products:
        line = product_line_defaults(
            product.get("id") or next_line_id(), now, currency, vat
        )
        line.update(copy.deepcopy(product))
        line.setdefault("initial_qty", line["quantity"])
        lines.append(line)
    out["products"] = lines
    return out


def rma_with_defaults(rma: dict, *, emag_id: int, now: str, next_line_id) -> dict:
    """A full §7 return request."""
    given = copy.deepcopy(rma)
    out: dict[str, Any] = {
        "emag_id": emag_id,
        "order_id": 1,
        "type": 3,
        "is_full_fbe": 0,
        "is_club": 0,
        "is_fast": 0,
        "customer_name": "Ion Popescu",
        "customer_company": None,
        "customer_phone": "0722123456",
        "products": [],
        "pickup_country": "RO",
        "pickup_suburb": "Bucuresti",
        "pickup_city": "Sector 1",
        "pickup_address": "Strada Exemplu 1",
        "pickup_zipcode": "010011",
        "pickup_locality_id": 8801,
        "pickup_method": 1,
        "pickup_date": None,
        "pickup_address_id": None,
        "return_type": 3,
        "return_reason": 1,
        "observations": None,
        "return_address_id": None,
        "return_tax_value": None,
        "customer_account_iban": None,
        "customer_account_bank": None,
        "customer_account_beneficiary": None,
        "replacement_product_emag_id": None,
        "replacement_product_id": None,
        "replacement_product_name": None,
        "replacement_product_quantity": None,
        "date": now,
        "request_status": 2,
        "awbs": [],
    }
    products = given.pop("products", None)
    out.update(given)
    if products is None:
        products = [{}]
    out["products"] = []
    for product in products:
        line = {
            "id": product.get("id") or next_line_id(),
            "product_emag_id": 1000001,
            "product_id": 1,
            "quantity": 1,
            "product_name": "Produs exemplu",
            "return_reason": 1,
            "observations": None,
            "diagnostic": None,
            "reject_reason": None,
            "refund_value": None,
        }
        line.update(copy.deepcopy(product))
        out["products"].append(line)
    return out


# -------------------------------------------------------------- demo catalogue

DEMO_CATALOGUE = [
    {
        "eans": ["5941234567890"],
        "part_number_key": "DQ1K2LMBM",
        "product_name": "Casti audio In-ear Demo, Negru",
        "brand_name": "DemoSound",
        "category_name": "Casti audio",
        "doc_category_id": 506,
        "hotness": "HOT",
    },
    {
        "eans": ["5904862975146"],
        "part_number_key": "DY74FJYBM",
        "product_name": "Tenisi barbati, Sprandi, 44 EU, Negru",
        "brand_name": "Sprandi",
        "category_name": "Pantofi sport barbati",
        "doc_category_id": 2735,
        "hotness": "SUPER COLD",
    },
]


def demo_orders() -> list[dict]:
    """A small set of orders covering the common cases."""
    return [
        {  # B2C, cash on delivery, courier
            "id": 1001,
            "payment_mode_id": 1,
            "products": [
                {"product_id": 1, "ext_part_number": "SKU-1", "quantity": 2},
            ],
        },
        {  # B2B, bank transfer
            "id": 1002,
            "payment_mode_id": 2,
            "customer": {
                "legal_entity": 1,
                "is_vat_payer": 1,
                "company": "Client Firma SRL",
                "code": "RO14399840",
                "registration_number": "J40/372/2002",
                "bank": "Banca Exemplu",
                "iban": "RO24BACX0000000031430310",
            },
            "products": [{"product_id": 2, "ext_part_number": "SKU-2", "quantity": 5}],
        },
        {  # locker delivery, card paid
            "id": 1003,
            "payment_mode_id": 3,
            "delivery_mode": "pickup",
            "details": {
                "locker_id": "dce0b7cf-dc38-11e8-a7d8-001a4a160153",
                "locker_name": "easybox eMAG Showroom",
            },
            "enforced_vendor_courier_accounts": [5186],
        },
        {  # card online with a seller voucher and an SGR deposit line
            "id": 1004,
            "payment_mode_id": 3,
            "vouchers": [
                {
                    "voucher_id": 123,
                    "voucher_name": "Reducere vanzator",
                    "sale_price": "-8.2645",
                    "sale_price_vat": "-1.7355",
                    "vat": "0.21",
                    "status": 1,
                }
            ],
            "products": [
                {
                    "product_id": 1,
                    "quantity": 1,
                    "product_voucher_split": [
                        {
                            "voucher_id": 123,
                            "value": "-8.2645",
                            "vat_value": "-1.7355",
                            "vat": "0.21",
                            "offered_by": "seller",
                            "voucher_name": "Reducere vanzator",
                        }
                    ],
                    "recycle_warranties": [
                        {
                            "quantity": 1,
                            "sale_price": 0.5,
                            "vat_rate": 0,
                            "product_name": "Taxa SGR metal",
                            "recycle_warranty_voucher_split": [],
                        }
                    ],
                }
            ],
        },
        {"id": 1005, "type": 2, "status": 2},  # fulfilled by eMAG
    ]


def demo_offers() -> list[dict]:
    return [
        {
            "id": 1,
            "category_id": 506,
            "name": "Casti audio In-ear Demo, Negru",
            "part_number": "SKU-1",
            "brand": "DemoSound",
            "part_number_key": "DQ1K2LMBM",
            "status": 1,
            "sale_price": 82.6446,
            "min_sale_price": 50,
            "max_sale_price": 150,
            "vat_id": 1,
            "stock": [{"warehouse_id": 1, "value": 25}],
            "handling_time": [{"warehouse_id": 1, "value": 1}],
        },
        {
            "id": 2,
            "category_id": 2735,
            "name": "Tenisi barbati, 44 EU",
            "part_number": "SKU-2",
            "brand": "Sprandi",
            "status": 1,
            "sale_price": 165.2893,
            "min_sale_price": 100,
            "max_sale_price": 300,
            "vat_id": 1,
            "stock": [{"warehouse_id": 1, "value": 8}],
            "handling_time": [{"warehouse_id": 1, "value": 2}],
        },
    ]
