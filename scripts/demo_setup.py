"""What the demo puts in its Odoo database, through Odoo's ORM (run by
``demo.py`` in Odoo's Python): a Romanian company, its taxes, the demo shop's
products with their stock, an eMAG account on the sandbox whose offers the
job runner publishes, and later a few orders shipped by the warehouse.

Every function can run again on the same database: what exists is kept
(found by name, internal reference or account), only what is missing is made.
"""

from decimal import Decimal

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying

#: the demo's eMAG account, and its API user on the sandbox
ACCOUNT_NAME = "eMAG demo (sandbox)"
API_USER = ("demo", "demo")
#: the seller: a Romanian company that pays VAT (a CUI with a valid check digit)
COMPANY = {
    "name": "Magazin Demo SRL",
    "street": "Strada Dealul Mare 12",
    "city": "Bucuresti",
    "zip": "030167",
    "vat": "RO12345674",
    "company_registry": "J40/1234/2020",
    "phone": "+40 21 300 1234",
    "email": "contact@magazin-demo.example",
}
#: the system parameter that says the demo made the database
MARK = "emag_connector.demo_database"
#: the sale taxes of eMAG's VAT rates: (percent, name, chart tax to copy)
TAXES = ((21, "TVA 21% (inclus)", "tvac_19"), (11, "TVA 11% (inclus)", "tvac_09"))


def in_odoo(db, function, *args):
    """``function(env, *args)`` in a transaction of ``db``, committed."""
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # tried again when it meets the workers' changes (same stock, same order)
        return retrying(lambda: function(env, *args), env)


def setup_company(env):
    """The company of a new database, before its accounting is installed:
    Romanian (county, VAT number, RON), so that Odoo installs the Romanian
    chart of accounts with the connector."""
    ron = env.ref("base.RON")
    ron.active = True
    env.company.write(
        {
            **COMPANY,
            "country_id": env.ref("base.ro").id,
            "state_id": env.ref("base.RO_B").id,
            "currency_id": ron.id,
        }
    )
    env.ref("base.user_admin").password = "admin"


def mark(env):
    """The database is the demo's: the demo may use it again."""
    env["ir.config_parameter"].set_param(MARK, "True")


def account_of(env):
    """The demo's eMAG account (none before the addons are installed)."""
    if "emag.account" not in env:
        return None
    return env["emag.account"].search([("name", "=", ACCOUNT_NAME)], limit=1)


def sale_taxes(env):
    """The company's sale taxes of 21% and 11%, included in the price (eMAG's
    prices include VAT): a copy of the chart's tax with its accounts and tax
    report tags, or a plain tax without a Romanian chart."""
    company = env.company
    taxes = {}
    for percent, name, chart_tax in TAXES:
        tax = env["account.tax"].search(
            [("name", "=", name), ("company_id", "=", company.id)], limit=1
        )
        if not tax:
            model = env["account.chart.template"].with_company(company)
            template = model.ref(chart_tax, raise_if_not_found=False)
            values = {
                "name": name,
                "amount": percent,
                "price_include_override": "tax_included",
                "description": f"{percent}%",
            }
            if template:
                tax = template.copy(values)
            else:
                group = env["account.tax.group"].create(
                    {"name": f"TVA {percent}%", "country_id": env.ref("base.ro").id}
                )
                tax = env["account.tax"].create(
                    {
                        **values,
                        "type_tax_use": "sale",
                        "country_id": env.ref("base.ro").id,
                        "tax_group_id": group.id,
                    }
                )
        taxes[percent / 100] = tax
    return taxes


def warehouses(env):
    """The shop's warehouse and the one of the orders eMAG fulfils (FBE)."""
    Warehouse = env["stock.warehouse"]
    main = Warehouse.search([("company_id", "=", env.company.id)], order="id", limit=1)
    fbe = Warehouse.search([("code", "=", "FBE")], limit=1) or Warehouse.create(
        {"name": "eMAG Fulfillment", "code": "FBE"}
    )
    return main, fbe


def set_stock(env, product, location, quantity):
    """An inventory adjustment, as the warehouse would count it."""
    env["stock.quant"].with_context(inventory_mode=True).create(
        {
            "product_id": product.id,
            "location_id": location.id,
            "inventory_quantity": quantity,
        }
    ).action_apply_inventory()


def products(env, catalogue, taxes, main, fbe):
    """The shop's products by internal reference; a new one gets its stock
    in the shop's warehouse, and a little at eMAG's (FBE)."""
    Product = env["product.product"]
    found = {}
    for item in catalogue:
        product = Product.search([("default_code", "=", item["sku"])], limit=1)
        if not product:
            price = Decimal(str(item["price"]))
            product = Product.create(
                {
                    "name": item["name"],
                    "default_code": item["sku"],
                    "barcode": item["ean"],
                    "is_storable": True,
                    "list_price": float(price),
                    "standard_price": float(
                        (price / Decimal(1 + item["vat"]) * Decimal("0.62")).quantize(
                            Decimal("0.01")
                        )
                    ),
                    "taxes_id": [Command.set(taxes[item["vat"]].ids)],
                    "weight": item["weight"],
                }
            )
            set_stock(env, product, main.lot_stock_id, item["stock"])
            set_stock(env, product, fbe.lot_stock_id, 5)
        found[item["sku"]] = product
    return found


def account(env, api_url, main, fbe):
    """The eMAG account on the sandbox at ``api_url`` (its port changes at
    every start): connected, with eMAG's reference data, its taxes, courier
    account and pickup address."""
    ron = env["emag.account"]._emag_currency("RON")
    ron.active = True
    found = account_of(env)
    if found:
        found.api_url = api_url
        found.action_test_connection()
        return found
    pricelist = env["product.pricelist"].create(
        {"name": "eMAG RON", "currency_id": ron.id}
    )
    created = env["emag.account"].create(
        {
            "name": ACCOUNT_NAME,
            "platform": "custom",
            "api_url": api_url,
            "username": API_USER[0],
            "password": API_USER[1],
            "custom_currency_id": ron.id,
            "pricelist_id": pricelist.id,
            "warehouse_id": main.id,
            "fbe_warehouse_id": fbe.id,
            "push_delay": 20,
        }
    )
    created.action_test_connection()
    created._job_import_reference_data()
    created.action_propose_taxes()
    created.write(
        {
            "courier_account_id": env["emag.courier.account"]
            .search([("account_id", "=", created.id)], order="emag_id", limit=1)
            .id,
            "pickup_address_id": env["emag.address"]
            .search(
                [("account_id", "=", created.id), ("address_type_id", "=", "2")],
                limit=1,
            )
            .id,
        }
    )
    return created


def offers(env, emag_account, catalogue, by_sku):
    """An offer for every product: attached by EAN to eMAG's product when eMAG
    has it, else a new product with its documentation (category,
    characteristics, brand, description, image); min and max prices around
    the price. Offers not published yet are queued for the job runner."""
    Offer = env["emag.offer"]
    Category = env["emag.category"]
    for item in catalogue:
        product = by_sku[item["sku"]]
        if Offer.search_count(
            [("account_id", "=", emag_account.id), ("product_id", "=", product.id)]
        ):
            continue
        without_vat = item["price"] / (1 + item["vat"])
        values = {
            "account_id": emag_account.id,
            "product_id": product.id,
            "min_sale_price": round(without_vat * 0.7, 2),
            "max_sale_price": round(without_vat * 1.6, 2),
            "warranty": item["warranty"],
            "brand": item["brand"],
            "publish_mode": "ean" if item["pnk"] else "new",
        }
        if not item["pnk"]:
            values.update(
                {
                    "category_id": Category.search(
                        [
                            ("account_id", "=", emag_account.id),
                            ("emag_id", "=", item["category_id"]),
                        ],
                        limit=1,
                    ).id,
                    "description": f"<p>{item['name']}, de la {item['brand']}.</p>",
                    "image_urls": f"https://images.example.com/{item['sku']}.jpg",
                    "extra_characteristics": "\n".join(
                        f"{name}: {value}"
                        for name, value in item["characteristics"].items()
                    ),
                }
            )
        Offer.create(values)
    waiting = Offer.search(
        [("account_id", "=", emag_account.id), ("state", "in", ("draft", "error"))]
    )
    waiting.action_publish()
    return Offer.search_count([("account_id", "=", emag_account.id)])


def prepare(env, catalogue, api_url, base_url):
    """Everything the demo needs in Odoo; the account."""
    env["ir.config_parameter"].set_param("web.base.url", base_url)
    if "stock_move_sms_validation" in env.company:
        # no text message to customers from a demo (nor a question about it)
        env.company.stock_move_sms_validation = False
    taxes = sale_taxes(env)
    main, fbe = warehouses(env)
    by_sku = products(env, catalogue, taxes, main, fbe)
    emag_account = account(env, api_url, main, fbe)
    offers(env, emag_account, catalogue, by_sku)
    return emag_account


def ship(env, emag_account, count):
    """The warehouse ships the ``count`` oldest acknowledged orders it has
    the goods of: their deliveries validated (the connector issues the AWBs
    in jobs). Returns ``[(eMAG order id, seller offer id of its first
    line)]``."""
    orders = env["emag.order"].search(
        [
            ("account_id", "=", emag_account.id),
            ("order_type", "=", "3"),
            ("state", "=", "done"),
            ("acknowledged", "=", True),
        ],
        order="emag_date",
    )
    shipped = []
    for order in orders:
        pickings = order.sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "assigned"
        )
        if len(shipped) == count or len(pickings) != 1:
            continue
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        if pickings.button_validate() is True:
            line = order.sale_order_id.order_line.filtered("emag_line_id")[:1]
            offer = env["emag.offer"].search(
                [
                    ("account_id", "=", emag_account.id),
                    ("product_id", "=", line.product_id.id),
                ],
                limit=1,
            )
            shipped.append((order.emag_order_id, offer.emag_offer_id))
    return shipped


def figures(env, emag_account):
    """What the demo prints while it runs."""
    Order = env["emag.order"]
    domain = [("account_id", "=", emag_account.id)]
    Offer = env["emag.offer"]
    return {
        "offers published": Offer.search_count(domain + [("state", "=", "published")]),
        "offers": Offer.search_count(domain),
        "offers in error": Offer.search_count(domain + [("state", "=", "error")]),
        "orders": Order.search_count(domain + [("state", "=", "done")]),
        "orders in exception": Order.search_count(
            domain + [("state", "=", "exception")]
        ),
        "returns": env["emag.rma"].search_count(domain),
        "AWBs": env["emag.awb"].search_count(domain),
    }
