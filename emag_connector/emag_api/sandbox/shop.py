"""Customers buying the seller's offers: orders as eMAG makes them.

``customer_orders`` turns the offers eMAG holds into orders placed over a
period, with the variety of a real shop: private persons and companies
(with their CUI, registration number and IBAN), repeat customers, courier
and locker deliveries, cash on delivery, card and bank transfer, seller
vouchers, SGR deposits, free shipping above a threshold, and orders
fulfilled by eMAG. Everything comes from the ``random.Random`` given, so the
same seed gives the same orders; ``place_orders`` stores them in a sandbox.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .catalogue import SGR_DEPOSIT, deposits_by_part_number

FIRST_NAMES = {
    "M": "Andrei Alexandru Mihai Ion Stefan Cristian Gabriel Vlad Radu Bogdan",
    "F": "Maria Elena Ioana Ana Andreea Cristina Alexandra Diana Roxana Irina",
}
LAST_NAMES = (
    "Popescu Ionescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu "
    "Rusu Munteanu Constantin Moldovan Lazar Florea Barbu Nistor Toma"
)
COMPANIES = (
    "Atelier Nord Lemn",
    "Birou Expert Contabil",
    "Cafeneaua din Centru",
    "Clinica Dentara Zambet",
    "Dacia Logistic Trans",
    "Green Office Solutions",
    "Scoala Mica Bufnita",
    "Tipografia Carpati",
)
BANKS = (("Banca Transilvania", "BTRL"), ("BCR", "RNCB"), ("ING Bank", "INGB"))
#: (eMAG locality id, county, city, postal code, streets, lockers)
CITIES = (
    (8801, "Bucuresti", "Sector 3", "030167",
     ("Bulevardul Unirii", "Strada Matei Basarab", "Calea Calarasilor"),
     ("easybox Mega Image Unirii", "easybox Lidl Titan")),
    (9312, "Cluj", "Cluj-Napoca", "400001",
     ("Strada Memorandumului", "Calea Dorobantilor"),
     ("easybox Kaufland Marasti",)),
    (10234, "Iasi", "Iasi", "700001",
     ("Bulevardul Stefan cel Mare", "Strada Pacurari"),
     ("easybox Profi Copou",)),
    (11520, "Timis", "Timisoara", "300001",
     ("Bulevardul Revolutiei", "Strada Paris"),
     ("easybox Penny Iosefin",)),
    (12004, "Brasov", "Brasov", "500001",
     ("Strada Republicii", "Bulevardul Eroilor"),
     ("easybox Carrefour Tractorul",)),
)  # fmt: skip
SAMEDAY = 5186  # the courier account of locker deliveries (seed.py)
FREE_SHIPPING = Decimal(200)
SHIPPING = {"courier": Decimal("19.99"), "pickup": Decimal("12.99")}
VOUCHERS = (Decimal(10), Decimal(15), Decimal(25))
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def cui(body: int) -> str:
    """A Romanian CUI (company tax id): ``body`` and its check digit."""
    digits = f"{body:09d}"
    total = sum(int(d) * int(w) for d, w in zip(digits, "753217532", strict=True))
    return f"{body}{total * 10 % 11 % 10}"


def iban(bank_code: str, account: str) -> str:
    """A Romanian IBAN with its check digits (ISO 13616)."""
    bban = f"{bank_code}{account:0>16}"
    number = "".join(str(int(c, 36)) for c in f"{bban}RO00")
    return f"RO{98 - int(number) % 97:02d}{bban}"


def customer(customer_id: int) -> dict:
    """The eMAG customer ``customer_id``: always the same person or company.
    One customer in eight buys for a company that pays VAT."""
    rng = random.Random(customer_id)
    gender = rng.choice("MF")
    name = f"{rng.choice(FIRST_NAMES[gender].split())} {rng.choice(LAST_NAMES.split())}"
    locality, county, city, zipcode, streets, _lockers = rng.choice(CITIES)
    street = f"{rng.choice(streets)} {rng.randint(1, 180)}"
    phone = f"07{rng.randint(20000000, 99999999)}"
    data = {
        "id": customer_id,
        "mkt_id": customer_id,
        "name": name,
        "company": name,
        "email": f"{rng.getrandbits(48):012x}@emag.ro",  # eMAG hides the address
        "gender": gender,
        "phone_1": phone,
        "billing_name": name,
        "billing_phone": phone,
        "shipping_contact": name,
        "shipping_phone": phone,
    }
    for prefix in ("billing", "shipping"):
        data.update(
            {
                f"{prefix}_country": "RO",
                f"{prefix}_suburb": county,
                f"{prefix}_city": city,
                f"{prefix}_locality_id": str(locality),
                f"{prefix}_street": street,
                f"{prefix}_postal_code": zipcode,
            }
        )
    if customer_id % 8 == 0:
        company = f"{rng.choice(COMPANIES)} SRL"
        bank, code = rng.choice(BANKS)
        data.update(
            {
                "company": company,
                "billing_name": company,
                "legal_entity": 1,
                "is_vat_payer": 1,
                "code": f"RO{cui(rng.randint(1000000, 49999999))}",
                "registration_number": f"J40/{rng.randint(100, 9999)}/20"
                f"{rng.randint(10, 24)}",
                "bank": bank,
                "iban": iban(code, f"{rng.getrandbits(53):016d}"[-16:]),
            }
        )
    return data


def _money(value: Decimal, places: str = "0.0001") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _with_vat(line: dict) -> Decimal:
    """What the customer pays for a line (the unit price with VAT, to the
    cent, times the quantity)."""
    unit = Decimal(line["sale_price"]) * (1 + Decimal(line["vat"]))
    return _money(unit, "0.01") * line["quantity"]


def _line(ware: dict, quantity: int, deposits: int) -> dict:
    line = {
        "product_id": ware["id"],
        "name": ware["name"],
        "part_number": ware["part_number_key"] or ware["part_number"],
        "part_number_key": ware["part_number_key"],
        "ext_part_number": ware["part_number"],
        "sale_price": f"{Decimal(ware['sale_price']):.4f}",
        "original_price": f"{Decimal(ware['sale_price']):.4f}",
        "vat": f"{Decimal(ware['vat']):.2f}",
        "quantity": quantity,
    }
    if deposits:
        line["recycle_warranties"] = [
            {
                "quantity": deposits * quantity,
                "sale_price": SGR_DEPOSIT,
                "vat_rate": 0,
                "product_name": "Garantie SGR",
                "recycle_warranty_voucher_split": [],
            }
        ]
    return line


def _voucher(order: dict, rng: random.Random, voucher_id: int) -> None:
    """A seller voucher on the order's first line (never more than it costs)."""
    line = order["products"][0]
    amount = min(rng.choice(VOUCHERS), _money(_with_vat(line) / 2, "1"))
    if amount <= 0:
        return
    rate = Decimal(line["vat"])
    value = -_money(amount / (1 + rate))
    vat_value = -amount - value
    name = f"Reducere {amount} lei"
    split = {
        "voucher_id": voucher_id,
        "value": str(value),
        "vat_value": str(vat_value),
        "vat": line["vat"],
        "offered_by": "seller",
        "voucher_name": name,
    }
    line["product_voucher_split"] = [split]
    order["vouchers"] = [
        {
            "voucher_id": voucher_id,
            "voucher_name": name,
            "sale_price": str(value),
            "sale_price_vat": str(vat_value),
            "vat": line["vat"],
            "status": 1,
        }
    ]


def _delivery(order: dict, buyer: dict, rng: random.Random) -> None:
    if rng.random() >= 0.25:
        order["delivery_mode"] = "courier"
        return
    locality = int(buyer["shipping_locality_id"])
    lockers = next(c[5] for c in CITIES if c[0] == locality)
    name = rng.choice(lockers)
    order["delivery_mode"] = "pickup"
    order["details"] = {
        "locker_id": f"{locality:08x}-{lockers.index(name):04x}-4e8b-9c1d-"
        f"{rng.getrandbits(48):012x}",
        "locker_name": name,
        "locker_delivery_eligible": 1,
    }
    order["enforced_vendor_courier_accounts"] = [SAMEDAY]


def _pick(wares: list[dict], count: int, rng: random.Random) -> list[dict]:
    """``count`` different offers; the cheaper, the more often bought."""
    weights = [float(w["sale_price"]) ** -0.4 for w in wares]
    picked: list[dict] = []
    while len(picked) < min(count, len(wares)):
        (ware,) = rng.choices(wares, weights)
        if ware not in picked:
            picked.append(ware)
    return picked


def _payment(buyer: dict, rng: random.Random) -> int:
    """1 cash on delivery, 2 bank transfer, 3 card online."""
    if buyer.get("legal_entity") and rng.random() < 0.5:
        return 2
    return 1 if rng.random() < 0.55 else 3


def customer_orders(
    wares: list[dict],
    *,
    count: int,
    start: datetime,
    end: datetime,
    rng: random.Random,
    fbe: int = 0,
    deposits: dict | None = None,
    customers: int = 200,
    first_customer: int = 4100001,
) -> list[dict]:
    """``count`` order specs for ``seed_orders``, placed between ``start``
    and ``end`` (eMAG's local time), oldest first. ``wares``: the offers for
    sale, ``{id, name, part_number, part_number_key, sale_price (without
    VAT), vat (0.21)}``; ``deposits``: SGR bottles a unit, by part number;
    ``fbe`` of the orders are fulfilled by eMAG."""
    if not wares:
        raise ValueError("no offer is for sale")
    deposits = deposits or {}
    span = max((end - start).total_seconds(), 0)
    moments = sorted(
        start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)
    )
    fulfilled_by_emag = set(rng.sample(range(count), min(fbe, count)))
    orders = []
    for index, moment in enumerate(moments):
        buyer = customer(first_customer + rng.randrange(customers))
        picked = _pick(wares, rng.choice((1, 1, 1, 1, 2, 2, 3)), rng)
        lines = [
            _line(w, rng.choice((1, 1, 1, 1, 1, 2)), deposits.get(w["part_number"], 0))
            for w in picked
        ]
        date = moment.strftime(DATE_FORMAT)
        order = {
            "date": date,
            "modified": date,
            "payment_mode_id": _payment(buyer, rng),
            "customer": buyer,
            "products": lines,
            "maximum_date_for_shipment": (moment + timedelta(days=3)).strftime(
                DATE_FORMAT
            ),
            "emag_club": int(rng.random() < 0.2),
        }
        _delivery(order, buyer, rng)
        if rng.random() < 0.1:
            _voucher(order, rng, voucher_id=9000 + rng.randrange(1000))
        goods = sum(map(_with_vat, lines), Decimal(0))
        free = goods >= FREE_SHIPPING or order["emag_club"]
        order["shipping_tax"] = "0" if free else str(SHIPPING[order["delivery_mode"]])
        if rng.random() < 0.05:
            order["observation"] = "Va rog sa sunati inainte de livrare."
        if index in fulfilled_by_emag:
            order.update(type=2, status=4, finalization_date=date, payment_mode_id=3)
        orders.append(order)
    return orders


def wares(offers: dict, meta: dict, vats: list[dict]) -> list[dict]:
    """The offers a customer can buy (active, in stock), as ``customer_orders``
    takes them: ``offers`` and ``meta`` by offer id, as the sandbox holds them."""
    rates = {int(v["vat_id"]): v["vat_rate"] for v in vats}
    default = next((v["vat_rate"] for v in vats if v.get("is_default")), 0.21)
    out = []
    for offer_id, offer in sorted(offers.items()):
        stock = sum(int(s.get("value") or 0) for s in offer.get("stock") or [])
        if int(offer.get("status") or 0) != 1 or stock <= 0:
            continue
        if offer.get("sale_price") in (None, ""):
            continue
        out.append(
            {
                "id": offer_id,
                "name": offer.get("name") or f"Produs {offer_id}",
                "part_number": offer.get("part_number") or "",
                "part_number_key": (meta.get(offer_id) or {}).get("part_number_key")
                or "",
                "sale_price": str(offer["sale_price"]),
                "vat": str(rates.get(int(offer.get("vat_id") or 0), default)),
            }
        )
    return out


def place_orders(
    sandbox,
    count: int,
    *,
    days: float = 0.0,
    fbe: int = 0,
    seed: int | None = None,
    notify: bool = False,
) -> list[int]:
    """Customers buy ``count`` times from the offers ``sandbox`` has for sale,
    over the last ``days`` (0: now); the ids of the new orders. ``notify``:
    eMAG calls the seller's "order_new" callback for each, one after the
    other, in the background. The same state and ``seed`` (default: the next
    order id) give the same orders."""
    with sandbox._lock:
        for_sale = wares(sandbox.offers, sandbox.offer_meta, sandbox.vats)
        end = sandbox.now()
        rng = random.Random(sandbox._ids["order"] if seed is None else seed)
        specs = customer_orders(
            for_sale,
            count=count,
            start=end - timedelta(days=days),
            end=end,
            rng=rng,
            fbe=fbe,
            deposits=deposits_by_part_number(),
        )
        ids = [order["id"] for order in sandbox.seed_orders(specs)]
    if notify and "order_new" in sandbox.callback_urls:
        notify_all(sandbox, "order_new", ids)
    return ids


def notify_all(sandbox, kind: str, ids: list) -> threading.Thread:
    """Call the ``kind`` callback for each id, one after the other, in a
    thread (as eMAG does: the caller does not wait)."""

    def run():
        for entity_id in ids:
            sandbox._fire_quietly(kind, entity_id)

    thread = threading.Thread(target=run, name=f"emag-{kind}", daemon=True)
    thread.start()
    return thread
