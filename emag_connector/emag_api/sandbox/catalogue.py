"""The demo shop: a small electronics, home, books and groceries seller.

Its eMAG categories (with their characteristics), and its products: EAN,
brand, characteristics, price with VAT in RON, VAT rate, stock, and whether
eMAG already has the product in its catalogue (``pnk``: the seller attaches
an offer to it by EAN) or not (the seller creates it with its
documentation). Water comes in bottles under Romania's deposit-return
scheme (SGR): ``deposits`` bottles a pack, 0.50 RON each, outside VAT.

``python -m emag_connector.emag_api.sandbox --demo-shop`` seeds the
categories and the eMAG catalogue; ``scripts/demo`` also creates the
products in Odoo from ``PRODUCTS``.
"""

from __future__ import annotations

#: the deposit of one bottle under SGR (RON, no VAT)
SGR_DEPOSIT = 0.5


def ean13(body: str) -> str:
    """The EAN-13 of 12 digits, with its check digit."""
    if len(body) != 12 or not body.isdigit():
        raise ValueError(f"an EAN-13 body has 12 digits, not {body!r}")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str(-total % 10)


def _char(char_id, name, values, mandatory=0, allow_new=0):
    return {
        "id": char_id,
        "name": name,
        "type_id": 11 if values else 1,
        "display_order": char_id % 100,
        "is_mandatory": mandatory,
        "is_filter": 1,
        "allow_new_value": allow_new,
        "values": values,
        "tags": [],
    }


COLOUR = _char(44, "Culoare", ["Negru", "Alb", "Rosu", "Albastru", "Gri"], 0, 1)

CATEGORIES = [
    {
        "id": 506,
        "name": "Casti audio",
        "parent_id": 12,
        "is_ean_mandatory": 1,
        "is_warranty_mandatory": 1,
        "characteristics": [
            _char(38, "Tip", ["In-ear", "On-ear", "Over-ear"], 1),
            COLOUR,
        ],
    },
    {
        "id": 3021,
        "name": "Boxe portabile",
        "parent_id": 12,
        "is_ean_mandatory": 1,
        "is_warranty_mandatory": 1,
        "characteristics": [
            _char(7101, "Conectivitate", ["Bluetooth", "Bluetooth, Wi-Fi"], 1),
            _char(7102, "Putere RMS", ["10 W", "20 W", "40 W", "60 W"], 0, 1),
            COLOUR,
        ],
    },
    {
        "id": 1512,
        "name": "Espressoare",
        "parent_id": 30,
        "is_ean_mandatory": 1,
        "is_warranty_mandatory": 1,
        "characteristics": [
            _char(7201, "Tip espressor", ["Automat", "Manual", "Cu capsule"], 1),
            _char(7202, "Presiune", ["15 bar", "19 bar", "20 bar"]),
        ],
    },
    {
        "id": 2208,
        "name": "Aspiratoare",
        "parent_id": 30,
        "is_ean_mandatory": 1,
        "is_warranty_mandatory": 1,
        "characteristics": [
            _char(7301, "Tip aspirator", ["Vertical", "Robot", "Fara sac"], 1),
            _char(7302, "Autonomie", [], 0, 1),
        ],
    },
    {
        "id": 4410,
        "name": "Carti",
        "parent_id": 50,
        "is_ean_mandatory": 1,
        "characteristics": [
            _char(7401, "Autor", [], 1, 1),
            _char(7402, "Limba", ["Romana", "Engleza"], 1),
        ],
    },
    {
        "id": 5120,
        "name": "Apa",
        "parent_id": 60,
        "characteristics": [
            _char(7501, "Tip apa", ["Plata", "Minerala carbogazoasa"], 1),
            _char(7502, "Volum", ["0.5 L", "1.5 L", "2 L"]),
        ],
    },
    {
        "id": 6230,
        "name": "Jocuri de constructie",
        "parent_id": 70,
        "characteristics": [
            _char(7601, "Varsta recomandata", ["4+", "6+", "8+", "12+"], 1),
            _char(7602, "Numar piese", [], 0, 1),
        ],
    },
]


def _product(n, sku, name, brand, category, chars, price, stock, **extra):
    return {
        "sku": sku,
        "name": name,
        "brand": brand,
        "category_id": category,
        "characteristics": chars,
        "price": price,  # RON, VAT included
        "vat": extra.get("vat", 0.21),
        "stock": stock,
        "ean": ean13(f"5940000{n:05d}"),
        # on eMAG already (attach by EAN) for most; new products otherwise
        "pnk": None if extra.get("new") else f"DZ{n:04d}BBM",
        "deposits": extra.get("deposits", 0),
        "warranty": extra.get("warranty", 24 if extra.get("vat", 0.21) > 0.2 else 0),
        "weight": extra.get("weight", 0.5),
    }


def _books():
    books = [
        ("Ion", "Liviu Rebreanu", 44.9),
        ("Amintiri din copilarie", "Ion Creanga", 29.9),
        ("Poezii", "Mihai Eminescu", 39.9),
        ("Morometii", "Marin Preda", 54.9),
        ("Padurea spanzuratilor", "Liviu Rebreanu", 42.9),
    ]
    return [
        _product(
            400 + i,
            f"CRT-{i + 1:02d}",
            f"{title}, de {author}",
            "Editura Litera Demo",
            4410,
            {"Autor": author, "Limba": "Romana"},
            price,
            40 + 10 * i,
            vat=0.11,
            weight=0.4,
            new=i == 4,
        )
        for i, (title, author, price) in enumerate(books)
    ]


PRODUCTS = [
    _product(101, "AUD-IE-01", "Casti In-ear Sonora Pulse, Bluetooth, Negru",
             "Sonora", 506, {"Tip": "In-ear", "Culoare": "Negru"}, 149.99, 80),
    _product(102, "AUD-IE-02", "Casti In-ear Sonora Pulse, Bluetooth, Alb",
             "Sonora", 506, {"Tip": "In-ear", "Culoare": "Alb"}, 149.99, 45),
    _product(103, "AUD-OE-01", "Casti Over-ear Sonora Studio ANC, Negru",
             "Sonora", 506, {"Tip": "Over-ear", "Culoare": "Negru"}, 499.0, 25),
    _product(104, "AUD-ON-01", "Casti On-ear Sonora Kids, Albastru",
             "Sonora", 506, {"Tip": "On-ear", "Culoare": "Albastru"}, 89.9, 60),
    _product(105, "AUD-OE-02", "Casti Over-ear Sonora Gamer 7.1, Rosu",
             "Sonora", 506, {"Tip": "Over-ear", "Culoare": "Rosu"}, 279.0, 4,
             new=True),
    _product(201, "SPK-10", "Boxa portabila Volta Mini, 10 W, Gri",
             "Volta", 3021, {"Conectivitate": "Bluetooth", "Putere RMS": "10 W",
                             "Culoare": "Gri"}, 129.0, 70),
    _product(202, "SPK-20", "Boxa portabila Volta Go, 20 W, rezistenta la apa",
             "Volta", 3021, {"Conectivitate": "Bluetooth", "Putere RMS": "20 W",
                             "Culoare": "Negru"}, 249.0, 40),
    _product(203, "SPK-40", "Boxa portabila Volta Party, 40 W, lumini LED",
             "Volta", 3021, {"Conectivitate": "Bluetooth", "Putere RMS": "40 W",
                             "Culoare": "Negru"}, 599.0, 15, weight=2.5),
    _product(204, "SPK-60", "Boxa Volta Home, 60 W, Wi-Fi, multiroom",
             "Volta", 3021, {"Conectivitate": "Bluetooth, Wi-Fi",
                             "Putere RMS": "60 W", "Culoare": "Alb"}, 899.0, 8,
             new=True, weight=3.0),
    _product(301, "ESP-AUTO-1", "Espressor automat Caffeluce Barista, 19 bar",
             "Caffeluce", 1512, {"Tip espressor": "Automat", "Presiune": "19 bar"},
             1899.0, 12, weight=9.0),
    _product(302, "ESP-MAN-1", "Espressor manual Caffeluce Classico, 15 bar",
             "Caffeluce", 1512, {"Tip espressor": "Manual", "Presiune": "15 bar"},
             549.0, 20, weight=5.0),
    _product(303, "ESP-CAP-1", "Espressor cu capsule Caffeluce Pod, Negru",
             "Caffeluce", 1512, {"Tip espressor": "Cu capsule",
                                 "Presiune": "19 bar"}, 329.0, 35, weight=3.0),
    _product(304, "ESP-AUTO-2", "Espressor automat Caffeluce Latte Pro, 20 bar",
             "Caffeluce", 1512, {"Tip espressor": "Automat", "Presiune": "20 bar"},
             2899.0, 6, new=True, weight=10.0),
    _product(305, "ESP-MAN-2", "Espressor manual Caffeluce Duo, 2 cesti",
             "Caffeluce", 1512, {"Tip espressor": "Manual", "Presiune": "15 bar"},
             699.0, 18, weight=5.5),
    _product(501, "VAC-VERT-1", "Aspirator vertical Vortex Home Slim, fara fir",
             "Vortex Home", 2208, {"Tip aspirator": "Vertical",
                                   "Autonomie": "40 min"}, 799.0, 22, weight=3.5),
    _product(502, "VAC-ROBOT-1", "Aspirator robot Vortex Home Navi, mapare laser",
             "Vortex Home", 2208, {"Tip aspirator": "Robot", "Autonomie": "120 min"},
             1299.0, 14, weight=4.0),
    _product(503, "VAC-BAG-1", "Aspirator fara sac Vortex Home Cyclone, 800 W",
             "Vortex Home", 2208, {"Tip aspirator": "Fara sac"}, 449.0, 30,
             weight=6.0),
    _product(504, "VAC-ROBOT-2", "Aspirator robot Vortex Home Navi Mop, 2 in 1",
             "Vortex Home", 2208, {"Tip aspirator": "Robot", "Autonomie": "150 min"},
             1799.0, 7, new=True, weight=4.5),
    *_books(),
    _product(601, "APA-PL-6X2", "Apa plata Izvorul Alb, 6 x 2 L",
             "Izvorul Alb", 5120, {"Tip apa": "Plata", "Volum": "2 L"}, 14.99, 150,
             vat=0.11, deposits=6, weight=12.0),
    _product(602, "APA-MIN-6X15", "Apa minerala Izvorul Alb, 6 x 1.5 L",
             "Izvorul Alb", 5120, {"Tip apa": "Minerala carbogazoasa",
                                   "Volum": "1.5 L"}, 16.49, 120,
             vat=0.11, deposits=6, weight=9.0),
    _product(603, "APA-PL-12X05", "Apa plata Izvorul Alb, 12 x 0.5 L",
             "Izvorul Alb", 5120, {"Tip apa": "Plata", "Volum": "0.5 L"}, 17.99, 90,
             vat=0.11, deposits=12, weight=6.0),
    _product(701, "BRK-CITY-1", "Set de constructie Bricko Oras, 520 piese",
             "Bricko", 6230, {"Varsta recomandata": "6+", "Numar piese": "520"},
             219.0, 30, warranty=0, weight=1.2),
    _product(702, "BRK-TECH-1", "Set de constructie Bricko Tehnic Macara, 1240 piese",
             "Bricko", 6230, {"Varsta recomandata": "12+", "Numar piese": "1240"},
             549.0, 12, warranty=0, weight=2.4),
    _product(703, "BRK-JUN-1", "Set de constructie Bricko Junior Ferma, 96 piese",
             "Bricko", 6230, {"Varsta recomandata": "4+", "Numar piese": "96"},
             99.9, 50, warranty=0, weight=0.8),
    _product(704, "BRK-SPACE-1", "Set de constructie Bricko Statia Spatiala, 880 piese",
             "Bricko", 6230, {"Varsta recomandata": "8+", "Numar piese": "880"},
             379.0, 3, warranty=0, new=True, weight=1.9),
]  # fmt: skip


def emag_catalogue() -> list[dict]:
    """The products eMAG already has (``documentation/find_by_eans``)."""
    names = {c["id"]: c["name"] for c in CATEGORIES}
    return [
        {
            "eans": [p["ean"]],
            "part_number_key": p["pnk"],
            "product_name": p["name"],
            "brand_name": p["brand"],
            "category_name": names[p["category_id"]],
            "doc_category_id": p["category_id"],
            "hotness": "HOT" if p["price"] < 300 else "WARM",
        }
        for p in PRODUCTS
        if p["pnk"]
    ]


def deposits_by_part_number() -> dict[str, int]:
    """Bottles under SGR in one unit of a product, by its part number."""
    return {p["sku"]: p["deposits"] for p in PRODUCTS if p["deposits"]}


def seed_shop(sandbox) -> None:
    """The demo shop's categories and the products eMAG already has."""
    sandbox.seed_categories(CATEGORIES)
    sandbox.seed_products_by_ean(emag_catalogue())
