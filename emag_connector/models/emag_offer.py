"""eMAG offers: what Odoo wants eMAG to show for one product variant.

This file holds the offer and the values Odoo wants on eMAG: the price
ex-VAT from the account's pricelist, in the currency eMAG shows it in, and
the quantity offered from the account's warehouse. Publishing is in
``emag_offer_publish.py``; pushing changes and reconciling with eMAG in
``emag_offer_push.py``.
"""

import math
from decimal import Decimal

from odoo import _, api, fields, models

from ..tools.offer_values import PRICE_DIGITS, price4


class EmagOffer(models.Model):
    _name = "emag.offer"
    _description = "eMAG Offer"
    _inherit = [
        "mail.thread",
        "emag.offer.publish",
        "emag.offer.push",
        "emag.offer.margin",
        "emag.offer.campaign",
    ]
    _order = "account_id, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="restrict", index=True, tracking=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", store=True, index=True
    )
    emag_offer_id = fields.Integer(
        string="Seller Offer ID",
        compute="_compute_emag_offer_id",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        help="The id of this offer on eMAG (products[].product_id of eMAG "
        "orders): unique per account, 1 to 16777215, never changed once "
        "published.",
    )
    emag_active = fields.Boolean(
        string="Active on eMAG",
        default=True,
        tracking=True,
        help="Untick to make the offer inactive on eMAG (status 0). Archived or "
        "unsellable products are sent inactive too.",
    )
    state = fields.Selection(
        [
            ("draft", "Not published"),
            ("queued", "Publishing"),
            ("published", "Published"),
            ("error", "Error"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    sync_error = fields.Text(string="Error", readonly=True, copy=False)
    dirty = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="Stock, price or status changed in Odoo since the last push.",
    )

    # -- how the offer is published (2.4 - 2.11) ------------------------------
    publish_mode = fields.Selection(
        [
            ("pnk", "Existing eMAG product, by part_number_key"),
            ("ean", "Existing eMAG product, by EAN"),
            ("new", "New eMAG product with its documentation"),
        ],
        default="pnk",
        required=True,
    )
    part_number_key = fields.Char(
        help="eMAG's product key (PNK), from the product page on eMAG."
    )
    ean = fields.Char(
        string="EAN",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        help="Barcodes of the product, 6 to 14 digits, separated by commas.",
    )
    name = fields.Char(compute="_compute_from_product", store=True, readonly=False)
    part_number = fields.Char(
        compute="_compute_from_product",
        store=True,
        readonly=False,
        help="Manufacturer's part number; eMAG removes spaces, commas and "
        "semicolons and accepts 1 to 25 characters.",
    )
    brand = fields.Char()
    description = fields.Html(sanitize_style=True)
    category_id = fields.Many2one(
        "emag.category",
        domain="[('account_id', '=', account_id), ('is_allowed', '=', True)]",
    )
    image_urls = fields.Text(
        string="Image URLs",
        help="Public URLs of the product images (JPG or PNG), one a line; the "
        "first is the main image.",
    )
    extra_characteristics = fields.Text(
        help="Characteristics not given by the product attributes, one a line: "
        "'Characteristic name: value'. Attributes of the product whose name "
        "is the name of a characteristic of the category are sent as it.",
    )
    warranty = fields.Integer(help="Warranty in months (0 to 255).")
    handling_time = fields.Integer(
        compute="_compute_handling_time",
        store=True,
        readonly=False,
        precompute=True,
        help="Days between the order and the hand-over to the courier (0-255).",
    )
    manufacturer_name = fields.Char(string="GPSR Manufacturer")
    manufacturer_address = fields.Char(string="GPSR Manufacturer Address")
    manufacturer_email = fields.Char(string="GPSR Manufacturer Email")

    # -- price (ex-VAT, in the currency of the platform) ----------------------
    min_sale_price = fields.Float(
        digits=PRICE_DIGITS,
        tracking=True,
        help="eMAG refuses any sale price below it (ex-VAT). Required to publish.",
    )
    max_sale_price = fields.Float(
        digits=PRICE_DIGITS,
        tracking=True,
        help="eMAG refuses any sale price above it (ex-VAT). Required to publish.",
    )
    recommended_price = fields.Float(
        digits=PRICE_DIGITS,
        help="Price before discount (ex-VAT): when set above the sale price, "
        "eMAG shows the offer as a promotion.",
    )
    start_date = fields.Date(
        help="Schedule the next price, stock or status change on eMAG for this "
        "date (tomorrow to 60 days ahead).",
    )
    sale_price = fields.Float(
        digits=PRICE_DIGITS,
        compute="_compute_channel_values",
        help="Sale price ex-VAT from the account's pricelist.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        string="Price Currency",
        compute="_compute_currency_id",
        help="The currency of the offer's prices on eMAG: the platform's, or the "
        "one the account publishes prices in.",
    )
    channel_qty = fields.Integer(
        string="Quantity for eMAG",
        compute="_compute_channel_values",
        help="Free quantity of the account's warehouse minus the stock buffer.",
    )
    custom_stock_buffer = fields.Boolean(help="Use a buffer of its own.")
    stock_buffer = fields.Integer(help="Units kept back from eMAG for this offer.")
    vat_id = fields.Many2one(
        "emag.vat",
        string="eMAG VAT",
        compute="_compute_vat_id",
        help="The eMAG VAT rate matching the product's sales taxes.",
    )

    # -- what eMAG was last told ------------------------------------------------
    pushed_date = fields.Datetime(readonly=True, copy=False)
    pushed_values = fields.Json(readonly=True, copy=False)
    pushed_price = fields.Float(
        string="Price Sent",
        digits=PRICE_DIGITS,
        compute="_compute_pushed",
        help="The sale price (ex-VAT) eMAG was last sent.",
    )
    pushed_stock = fields.Integer(
        string="Stock Sent",
        compute="_compute_pushed",
        help="The quantity eMAG was last sent.",
    )
    last_payload = fields.Text(readonly=True, copy=False)
    last_response = fields.Text(readonly=True, copy=False)

    # -- what eMAG says about it (2.8 - 2.9) ------------------------------------
    emag_part_number_key = fields.Char(
        string="eMAG PNK", readonly=True, copy=False, index=True
    )
    emag_status = fields.Integer(readonly=True, copy=False)
    validation_status = fields.Integer(readonly=True, copy=False)
    validation_status_text = fields.Char(
        string="Documentation Status", readonly=True, copy=False
    )
    translation_validation_status = fields.Integer(readonly=True, copy=False)
    offer_validation_status = fields.Integer(readonly=True, copy=False)
    offer_validation_status_text = fields.Char(
        string="Offer Validation", readonly=True, copy=False
    )
    doc_errors = fields.Text(string="Documentation Errors", readonly=True, copy=False)
    sellable = fields.Boolean(
        readonly=True,
        copy=False,
        help="eMAG's conditions for the offer to be for sale: stock, active, "
        "documentation, offer and translation validated.",
    )
    readback_date = fields.Datetime(readonly=True, copy=False)
    problem = fields.Char(
        string="Reason",
        compute="_compute_problem",
        help="Why the offer is refused or not for sale, as eMAG or the "
        "connector says it.",
    )
    drift_seen = fields.Json(
        readonly=True,
        copy=False,
        help="What the last reconciliation found different on eMAG (eMAG's "
        "value per field): a difference is repaired when the next one finds "
        "it again.",
    )

    _sql_constraints = [
        (
            "offer_id_uniq",
            "unique(account_id, emag_offer_id)",
            "This seller offer id is already used by another offer of the account.",
        ),
        (
            "product_uniq",
            "unique(account_id, product_id)",
            "This product already has an offer on this eMAG account.",
        ),
        (
            "offer_id_range",
            "CHECK(emag_offer_id BETWEEN 1 AND 16777215)",
            "eMAG accepts seller offer ids from 1 to 16777215.",
        ),
        (
            "stock_buffer_positive",
            "CHECK(stock_buffer >= 0)",
            "The stock buffer cannot be negative.",
        ),
    ]

    #: offer fields whose change must reach eMAG
    PUSHED_FIELDS = {
        "emag_active",
        "min_sale_price",
        "max_sale_price",
        "recommended_price",
        "handling_time",
        "custom_stock_buffer",
        "stock_buffer",
        "start_date",
        "fixed_price",
        "campaign_stock",
        "campaign_until",
    }

    def write(self, vals):
        result = super().write(vals)
        if self.PUSHED_FIELDS & set(vals):
            self.filtered(lambda o: o.state == "published")._emag_set_dirty()
        return result

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("product_id")
    def _compute_emag_offer_id(self):
        for offer in self:
            if not offer.emag_offer_id and offer.product_id:
                offer.emag_offer_id = offer.product_id.id

    @api.depends("product_id")
    def _compute_from_product(self):
        for offer in self:
            product = offer.product_id
            offer.name = offer.name or product.display_name
            offer.part_number = offer.part_number or product.default_code
            offer.ean = offer.ean or product.barcode

    @api.depends("account_id")
    def _compute_handling_time(self):
        for offer in self:
            offer.handling_time = offer.account_id.default_handling_time

    @api.depends_context("company")
    @api.depends("product_id", "account_id")
    def _compute_channel_values(self):
        offers = self.filtered(lambda o: o.account_id and o.product_id)
        quantities = offers._emag_channel_quantities()
        prices = offers._emag_sale_prices()
        for offer in self:
            offer.channel_qty = quantities.get(offer.id, 0)
            offer.sale_price = float(prices.get(offer.id) or 0.0)

    @api.depends(
        "account_id.platform",
        "account_id.custom_currency_id",
        "account_id.offer_currency",
    )
    def _compute_currency_id(self):
        for offer in self:
            offer.currency_id = (
                offer.account_id._emag_price_currency() if offer.account_id else False
            )

    @api.depends("product_id.taxes_id", "account_id")
    def _compute_vat_id(self):
        # one read of the VAT rates and fiscal position per account
        for account, offers in self.grouped("account_id").items():
            rates = self.env["emag.vat"].search([("account_id", "=", account.id)])
            position = account._emag_fiscal_position() if account else None
            for offer in offers:
                rate = offer._emag_vat_rate(position)
                offer.vat_id = rates._emag_matching(rate) if rate is not None else False

    @api.depends("pushed_values")
    def _compute_pushed(self):
        for offer in self:
            pushed = offer.pushed_values or {}
            offer.pushed_price = pushed.get("sale_price") or 0.0
            offer.pushed_stock = pushed.get("stock") or 0

    @api.depends("sync_error", "doc_errors", "sellable", "validation_status_text")
    def _compute_problem(self):
        for offer in self:
            text = offer.sync_error or offer.doc_errors
            if not text and offer.readback_date and not offer.sellable:
                text = offer.offer_validation_status_text or (
                    offer.validation_status_text
                )
            offer.problem = (text or "").splitlines()[0] if text else False

    def _compute_display_name(self):
        for offer in self:
            offer.display_name = (
                f"[{offer.account_id.name}] {offer.product_id.display_name}"
            )

    # ------------------------------------------------------------------
    # What Odoo wants eMAG to show
    # ------------------------------------------------------------------

    def _emag_taxes(self, position=None):
        """The product's sales taxes, mapped by the account's fiscal position
        on another country's platform (21% RO becomes 20% BG with OSS)."""
        company = self.account_id.company_id
        taxes = self.product_id.taxes_id.filtered(
            lambda t: t.company_id.root_id == company.root_id
        )
        return position.map_tax(taxes) if position else taxes

    def _emag_vat_rate(self, position=None):
        """The VAT rate (0.21) eMAG charges for the product; None if its taxes
        are none, or one that is not a percentage."""
        self.ensure_one()
        taxes = self._emag_taxes(position)
        if not taxes or any(t.amount_type != "percent" for t in taxes):
            return None
        return sum(taxes.mapped("amount")) / 100

    def _emag_sale_prices(self):
        """Sale price ex-VAT per offer id, 4 decimals, from the pricelist.

        The pricelist's price is rounded the way its currency is; a price of a
        product whose taxes are included in price is what the customer pays:
        it is divided by (1 + the VAT eMAG charges) and kept at 4 decimals, so
        that eMAG's price with VAT rounds back to it. The currency is checked
        by ``_emag_price_problem``.
        """
        prices = {}
        for account, offers in self.grouped("account_id").items():
            products = offers.product_id
            position = account._emag_fiscal_position()
            pricelist = account.pricelist_id
            currency = pricelist.currency_id or account.company_id.currency_id
            if pricelist:
                raw = pricelist._get_products_price(products, 1.0)
            else:
                raw = {p.id: p.lst_price for p in products}
            for offer in offers:
                if offer.fixed_price:
                    prices[offer.id] = price4(Decimal(str(offer.fixed_price)))
                    continue
                price = Decimal(str(currency.round(raw[offer.product_id.id])))
                if any(offer._emag_taxes().mapped("price_include")):
                    rate = offer._emag_vat_rate(position) or 0
                    price = price / (1 + Decimal(str(rate)))
                prices[offer.id] = price4(price)
        return prices

    def _emag_channel_quantities(self):
        """Quantity to offer on eMAG per offer id: the account's share of the
        free quantity, minus the buffer and the units reserved for campaigns.

        Free means on hand and not reserved, in the account's warehouse only;
        the quantities of all products of an account are computed together.
        An order on any platform reserves stock of the warehouse, which lowers
        the free quantity of every account selling it.
        """
        quantities = {}
        for account, offers in self.grouped("account_id").items():
            products = offers.product_id.with_context(
                warehouse_id=account.warehouse_id.id
            )
            # free_qty depends on no stored field: never trust a cached value
            products.invalidate_recordset(["free_qty"])
            free = {p.id: p.free_qty for p in products}
            for offer in offers:
                buffer = (
                    offer.stock_buffer
                    if offer.custom_stock_buffer
                    else (account.stock_buffer)
                )
                share = math.floor(free[offer.product_id.id]) * account.stock_share
                reserved = offer._emag_campaign_reserved()
                quantities[offer.id] = max(0, share // 100 - buffer - reserved)
        return quantities

    def _emag_wanted_status(self):
        self.ensure_one()
        product = self.product_id
        return int(self.emag_active and product.active and product.sale_ok)

    def _emag_wanted_values(self, quantities, prices):
        """The offer values (eMAG names) Odoo wants on eMAG now."""
        self.ensure_one()
        return {
            "status": self._emag_wanted_status(),
            "sale_price": float(prices[self.id]),
            "recommended_price": self.recommended_price or None,
            "min_sale_price": self.min_sale_price or None,
            "max_sale_price": self.max_sale_price or None,
            "vat_id": self.vat_id.emag_id or None,
            "handling_time": self.handling_time,
            "stock": quantities[self.id],
        }

    def _emag_price_problem(self, sale_price):
        """Why eMAG must not get this price, or None."""
        self.ensure_one()
        currency_problem = self.account_id._emag_price_currency_problem()
        if currency_problem:
            return currency_problem
        product = self.product_id.display_name
        if not (self.min_sale_price and self.max_sale_price):
            return _(
                "%(product)s: set the minimum and maximum sale price of the eMAG "
                "offer; they guard against a wrong price.",
                product=product,
            )
        if self.min_sale_price >= self.max_sale_price:
            return _(
                "%(product)s: the maximum sale price (%(max)s) must be greater "
                "than the minimum (%(min)s).",
                product=product,
                min=self.min_sale_price,
                max=self.max_sale_price,
            )
        if not self.min_sale_price <= sale_price <= self.max_sale_price:
            return _(
                "%(product)s: the sale price %(price)s (ex-VAT) is outside the "
                "bounds of the offer, %(min)s to %(max)s; it was not sent to eMAG.",
                product=product,
                price=sale_price,
                min=self.min_sale_price,
                max=self.max_sale_price,
            )
        return self._emag_margin_problem(sale_price)
