"""eMAG offers: what Odoo publishes on eMAG for one product variant.

Publishing (``action_publish``) checks everything eMAG would refuse, then a
job sends the offer. Afterwards stock, price and status changes mark offers
``dirty``; one debounced job per account (``_job_push_dirty``) sends only the
values that differ from what eMAG was last told, 50 offers a request through
the light offer API. ``_job_reconcile`` reads every offer back from eMAG and
corrects drift.
"""

import json
import logging
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from pydantic import ValidationError

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..emag_api import EmagDocumentationError
from ..emag_api.schemas import (
    OfferLightSave,
    ProductOfferAttach,
    ProductOfferRead,
    ProductOfferSave,
    validation_messages,
)
from ..tools.jobs import emag_retryable

_logger = logging.getLogger(__name__)

MAX_OFFER_ID = 16_777_215
MAX_STOCK = 65_535
CENT4 = Decimal("0.0001")
PRICE_DIGITS = (16, 4)
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


class EmagOffer(models.Model):
    _name = "emag.offer"
    _description = "eMAG Offer"
    _inherit = ["mail.thread"]
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

    @api.depends("product_id.taxes_id", "account_id")
    def _compute_vat_id(self):
        # one read of the VAT rates per account, not one per offer
        rates = {
            account: self.env["emag.vat"].search([("account_id", "=", account.id)])
            for account in self.account_id
        }
        for offer in self:
            rate = offer._emag_vat_rate()
            offer.vat_id = (
                rates[offer.account_id]._emag_matching(rate)
                if rate is not None
                else False
            )

    def _compute_display_name(self):
        for offer in self:
            offer.display_name = (
                f"[{offer.account_id.name}] {offer.product_id.display_name}"
            )

    # ------------------------------------------------------------------
    # What Odoo wants eMAG to show
    # ------------------------------------------------------------------

    def _emag_taxes(self):
        company = self.account_id.company_id
        return self.product_id.taxes_id.filtered(
            lambda t: t.company_id.root_id == company.root_id
        )

    def _emag_vat_rate(self):
        """The VAT rate (0.21) of the product's sales taxes; None if they have
        none, or one that is not a percentage."""
        self.ensure_one()
        taxes = self._emag_taxes()
        if not taxes or any(t.amount_type != "percent" for t in taxes):
            return None
        return sum(taxes.mapped("amount")) / 100

    def _emag_sale_prices(self):
        """Sale price ex-VAT per offer id, 4 decimals, from the pricelist.

        A tax-included price is divided by (1 + rate) and kept at 4 decimals,
        so that eMAG's price with VAT rounds back to Odoo's to the cent.
        """
        prices = {}
        for account, offers in self.grouped("account_id").items():
            products = offers.product_id
            if account.pricelist_id:
                raw = account.pricelist_id._get_products_price(products, 1.0)
            else:
                raw = {p.id: p.lst_price for p in products}
            for offer in offers:
                price = Decimal(str(raw[offer.product_id.id]))
                included = offer._emag_taxes().filtered(
                    lambda t: t.price_include and t.amount_type == "percent"
                )
                if included:
                    price = price / (
                        1 + Decimal(str(sum(included.mapped("amount")))) / 100
                    )
                prices[offer.id] = price4(price)
        return prices

    def _emag_channel_quantities(self):
        """Quantity to offer on eMAG per offer id: free quantity minus buffer.

        Free means on hand and not reserved, in the account's warehouse only;
        the quantities of all products of an account are computed together.
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
                quantities[offer.id] = max(
                    0, math.floor(free[offer.product_id.id]) - buffer
                )
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
        return None

    # ------------------------------------------------------------------
    # Publishing
    # ------------------------------------------------------------------

    def _emag_characteristics(self):
        """Characteristics for a new product: from the product's attributes
        named like a characteristic of the category, plus the extra lines."""
        self.ensure_one()
        by_name = {
            c.name.strip().lower(): c for c in self.category_id.characteristic_ids
        }
        values = {}
        for ptav in self.product_id.product_template_attribute_value_ids:
            char = by_name.get(ptav.attribute_id.name.strip().lower())
            if char:
                values[char.emag_id] = ptav.name
        for line in (self.extra_characteristics or "").splitlines():
            name, sep, value = line.partition(":")
            if not sep or not value.strip():
                continue
            char = by_name.get(name.strip().lower())
            if not char:
                raise UserError(
                    _(
                        "%(product)s: the category %(category)s has no "
                        "characteristic named '%(name)s'.",
                        product=self.product_id.display_name,
                        category=self.category_id.name,
                        name=name.strip(),
                    )
                )
            values[char.emag_id] = value.strip()
        return [{"id": cid, "value": value} for cid, value in values.items()]

    def _emag_publish_payload(self):
        """The product_offer/save entity that publishes this offer, checked
        against every limit eMAG documents; UserError names what is wrong."""
        self.ensure_one()
        product = self.product_id.display_name
        quantities = self._emag_channel_quantities()
        prices = self._emag_sale_prices()
        wanted = self._emag_wanted_values(quantities, prices)
        problems = []
        price_problem = self._emag_price_problem(wanted["sale_price"])
        if price_problem:
            problems.append(price_problem)
        if not self.vat_id:
            problems.append(
                _(
                    "%(product)s: no eMAG VAT rate matches its sales taxes "
                    "(%(taxes)s); import the eMAG reference data of the account or "
                    "fix the product's taxes.",
                    product=product,
                    taxes=", ".join(self._emag_taxes().mapped("name")) or _("none"),
                )
            )
        if wanted["stock"] > MAX_STOCK:
            problems.append(
                _(
                    "%(product)s: eMAG accepts a stock of at most 65535, not "
                    "%(qty)s; raise the stock buffer of the offer.",
                    product=product,
                    qty=wanted["stock"],
                )
            )
        payload = {
            "id": self.emag_offer_id,
            "status": wanted["status"],
            "sale_price": wanted["sale_price"],
            "min_sale_price": self.min_sale_price or None,
            "max_sale_price": self.max_sale_price or None,
            "recommended_price": self.recommended_price or None,
            "vat_id": wanted["vat_id"],
            "stock": [{"warehouse_id": 1, "value": min(wanted["stock"], MAX_STOCK)}],
            "handling_time": [{"warehouse_id": 1, "value": self.handling_time}],
            "start_date": self.start_date.isoformat() if self.start_date else None,
        }
        if self.warranty or (
            self.category_id and self.category_id.is_warranty_mandatory
        ):
            payload["warranty"] = self.warranty
        if any(
            (self.manufacturer_name, self.manufacturer_address, self.manufacturer_email)
        ):
            payload["manufacturer"] = [
                {
                    "name": self.manufacturer_name or "",
                    "address": self.manufacturer_address or "",
                    "email": self.manufacturer_email or "",
                }
            ]
        eans = [e.strip() for e in (self.ean or "").split(",") if e.strip()]
        context = {"platform": self.account_id.platform}
        if self.publish_mode == "new":
            if not self.category_id:
                problems.append(
                    _("%s: choose the eMAG category of the new product.", product)
                )
            payload.update(
                category_id=self.category_id.emag_id or 1,
                name=self.name,
                brand=self.brand,
                part_number=self.part_number,
                description=self.description or None,
                ean=eans or None,
                images=[
                    {"display_type": 1 if i == 0 else 2, "url": url.strip()}
                    for i, url in enumerate((self.image_urls or "").split())
                ]
                or None,
                characteristics=self._emag_characteristics() or None,
            )
            if self.category_id:
                context["category"] = self.category_id._emag_template()
            model = ProductOfferSave
        else:
            payload["name"] = self.name
            if self.publish_mode == "pnk":
                payload["part_number_key"] = self.part_number_key
                if not self.part_number_key:
                    problems.append(_("%s: enter the eMAG part_number_key.", product))
            else:
                payload["ean"] = eans[:1] or None
                if not eans:
                    problems.append(_("%s: enter the EAN of the product.", product))
            model = ProductOfferAttach
        if payload["status"] == 0:
            problems.append(
                _(
                    "%s: the product is archived, not for sale or not active on eMAG.",
                    product,
                )
            )
        payload = {k: v for k, v in payload.items() if v is not None}
        try:
            entity = model.model_validate(payload, context=context).to_payload()
        except ValidationError as exc:
            problems += [f"{product}: {m}" for m in validation_messages(exc)]
            entity = None
        if problems:
            raise UserError("\n".join(dict.fromkeys(problems)))
        return entity

    def action_publish(self):
        """Check each offer, then publish it on eMAG in a job."""
        problems = []
        for offer in self:
            try:
                offer._emag_publish_payload()
            except UserError as exc:
                problems.append(str(exc))
        if problems:
            raise UserError("\n".join(problems))
        for offer in self:
            offer.state = "queued"
            offer.sync_error = False
            offer.with_delay(
                identity_key=f"emag-publish-{offer.id}",
                description=_("Publish %s on eMAG", offer.display_name),
            )._job_publish()
        return True

    def action_push_now(self):
        """Send these published offers' stock and price now (in a job)."""
        published = self.filtered(lambda o: o.state == "published")
        published.write({"dirty": True})
        for account in published.account_id:
            self._enqueue_push(account, delay=0)
        return True

    def _job_publish(self):
        """Send the offer (product_offer/save), then read back what eMAG made of it."""
        self.ensure_one()
        try:
            payload = self._emag_publish_payload()
        except UserError as exc:
            return self._emag_fail(str(exc))
        client = self.account_id._emag_client()
        with emag_retryable():
            if self.publish_mode == "ean":
                problem = self._emag_check_ean(client, payload["ean"][0])
                if problem:
                    return self._emag_fail(problem)
            (outcome,) = client.save_offers([payload])
            error = outcome.error
            self.last_payload = json.dumps(payload, ensure_ascii=False)
            self.last_response = json.dumps(error.raw if error else None, default=str)
            if error and not isinstance(error, EmagDocumentationError):
                return self._emag_fail("\n".join(error.messages) or str(error))
            self._emag_record_pushed(payload)
            self.write(
                {
                    "state": "published",
                    "sync_error": False,
                    "doc_errors": "\n".join(error.messages) if error else False,
                }
            )
            self._emag_readback(client)
        return True

    def _emag_check_ean(self, client, ean):
        """Why this EAN cannot be attached to, from documentation/find_by_eans."""
        found = [r for r in client.find_by_eans([ean]) if str(r.get("eans")) == ean]
        if not found:
            return _(
                "EAN %s is not on eMAG: publish the offer as a new product instead.",
                ean,
            )
        product = found[0]
        if not product.get("allow_to_add_offer"):
            return _(
                "EAN %(ean)s is the eMAG product %(name)s in the category "
                "%(category)s, where your eMAG account may not sell yet: ask eMAG "
                "for access to the category.",
                ean=ean,
                name=product.get("product_name"),
                category=product.get("category_name"),
            )
        if product.get("vendor_has_offer"):
            return _(
                "You already have an offer on the eMAG product %(pnk)s (EAN %(ean)s): "
                "link that offer instead of creating another one.",
                pnk=product.get("part_number_key"),
                ean=ean,
            )
        return None

    def _emag_fail(self, message):
        self.write({"state": "error", "sync_error": message})
        return False

    # ------------------------------------------------------------------
    # Pushing changes (debounced, batched)
    # ------------------------------------------------------------------

    @api.model
    def _emag_mark_dirty(self, product_ids_by_warehouse):
        """Mark the offers of these products dirty and enqueue one push per account.

        ``product_ids_by_warehouse``: {warehouse id: product ids} whose stock
        changed; an offer is affected when its account sells that warehouse.
        """
        domain = [("state", "=", "published")]
        clauses = [
            [("account_id.warehouse_id", "=", wh), ("product_id", "in", list(ids))]
            for wh, ids in product_ids_by_warehouse.items()
        ]
        if not clauses:
            return
        offers = self.sudo().search(domain + expression.OR(clauses))
        offers._emag_set_dirty()

    def _emag_set_dirty(self):
        """Mark these offers dirty; enqueue the (debounced) push of their accounts."""
        self.filtered(lambda o: not o.dirty).write({"dirty": True})
        for account in self.account_id:
            self._enqueue_push(account)

    @api.model
    def _enqueue_push(self, account, delay=None):
        return (
            self.sudo()
            .with_delay(
                identity_key=f"emag-push-{account.id}",
                eta=account.push_delay if delay is None else delay,
                description=_("Push eMAG offer changes of %s", account.name),
            )
            ._job_push_dirty(account)
        )

    @api.model
    def _job_push_dirty(self, account):
        offers = self.search(
            [
                ("account_id", "=", account.id),
                ("state", "=", "published"),
                ("dirty", "=", True),
            ]
        )
        return offers._emag_push()

    @api.model
    def _job_refresh(self, account):
        offers = self.search(
            [("account_id", "=", account.id), ("state", "=", "published")]
        )
        return offers._emag_push(force=True)

    def _emag_push(self, force=False):
        """Send what changed (everything when ``force``) of offers of one account,
        50 a request through the light offer API. Returns the number sent."""
        if not self:
            return 0
        account = self.account_id
        account.ensure_one()
        quantities = self._emag_channel_quantities()
        prices = self._emag_sale_prices()
        entities, by_id = [], {}
        for offer in self:
            entity = offer._emag_changes(quantities, prices, force)
            if entity:
                entities.append(entity)
                by_id[offer.emag_offer_id] = offer
            else:
                offer.dirty = False
        if not entities:
            return 0
        # a change scheduled with start_date needs product_offer/save (the light
        # API has no start_date); eMAG then schedules every value it carries
        scheduled = [e for e in entities if by_id[e["id"]]._emag_scheduled()]
        immediate = [e for e in entities if e not in scheduled]
        client = account._emag_client()
        with emag_retryable():
            outcomes = client.save_light_offers(immediate) if immediate else []
            if any(o.error and o.error.status == 404 for o in outcomes):
                # a platform without the light offer API: full offer updates
                outcomes = client.save_offers(
                    [by_id[e["id"]]._emag_full_update(e) for e in immediate]
                )
            if scheduled:
                outcomes += client.save_offers(
                    [
                        dict(
                            by_id[e["id"]]._emag_full_update(e),
                            start_date=by_id[e["id"]].start_date.isoformat(),
                        )
                        for e in scheduled
                    ]
                )
        for outcome in outcomes:
            self._emag_apply_outcome(outcome, by_id)
        return len(entities)

    def _emag_changes(self, quantities, prices, force=False):
        """The light offer/save entity for what differs from the last push."""
        self.ensure_one()
        wanted = self._emag_wanted_values(quantities, prices)
        price_problem = self._emag_price_problem(wanted["sale_price"])
        if price_problem:
            for key in (
                "sale_price",
                "recommended_price",
                "min_sale_price",
                "max_sale_price",
            ):
                wanted.pop(key)
        wanted["stock"] = min(wanted["stock"], MAX_STOCK)
        pushed = self.pushed_values or {}
        changed = {
            key: value
            for key, value in wanted.items()
            if value is not None and (force or pushed.get(key) != value)
        }
        if (self.sync_error or False) != (price_problem or False):
            self.sync_error = price_problem or False
        if not changed:
            return None
        entity = {"id": self.emag_offer_id, **changed}
        if "stock" in entity:
            entity["stock"] = [{"warehouse_id": 1, "value": entity["stock"]}]
        if "handling_time" in entity:
            entity["handling_time"] = [
                {"warehouse_id": 1, "value": entity["handling_time"]}
            ]
        try:
            return OfferLightSave.model_validate(entity).to_payload()
        except ValidationError as exc:
            self.sync_error = "\n".join(validation_messages(exc))
            return None

    def _emag_scheduled(self):
        """True while the offer's changes are scheduled for a future date."""
        self.ensure_one()
        return bool(
            self.start_date and self.start_date > fields.Date.context_today(self)
        )

    def _emag_full_update(self, entity):
        """product_offer/save update (2.6.1) carrying the values of a light entity."""
        self.ensure_one()
        pushed = self.pushed_values or {}
        full = {
            "id": self.emag_offer_id,
            "status": pushed.get("status", 1),
            "sale_price": pushed.get("sale_price"),
            "vat_id": pushed.get("vat_id"),
            "handling_time": [
                {"warehouse_id": 1, "value": pushed.get("handling_time", 0)}
            ],
            "stock": [{"warehouse_id": 1, "value": pushed.get("stock", 0)}],
        }
        full.update(entity)
        return full

    def _emag_apply_outcome(self, outcome, by_id):
        """Record a batch's result: pushed values, or eMAG's refusal per offer."""
        if outcome.error is None:
            for entity in outcome.entities:
                by_id[entity["id"]]._emag_record_pushed(entity)
            return
        # eMAG gives no per-offer result; its messages name the offers it
        # refused ("Offer 123: ..."). The others of the batch were saved.
        messages = outcome.error.messages
        named = {
            int(m) for text in messages for m in re.findall(r"\b(\d{1,8})\b", text)
        } & set(by_id)
        for entity in outcome.entities:
            offer = by_id[entity["id"]]
            if named and entity["id"] not in named:
                offer._emag_record_pushed(entity)
                continue
            mine = [t for t in messages if str(entity["id"]) in t] or messages
            offer.write({"sync_error": "\n".join(mine), "dirty": False})
        _logger.info(
            "eMAG refused offers %s: %s", [e["id"] for e in outcome.entities], messages
        )

    def _emag_record_pushed(self, entity):
        """Remember the values eMAG now has (from a sent entity)."""
        self.ensure_one()
        pushed = dict(self.pushed_values or {})
        for key in OFFER_VALUES:
            if key not in entity:
                continue
            value = entity[key]
            if isinstance(value, list):  # stock / handling_time blocks
                value = value[0]["value"] if value else None
            pushed[key] = value
        self.write(
            {
                "pushed_values": pushed,
                "pushed_date": fields.Datetime.now(),
                "dirty": False,
                "last_payload": json.dumps(entity, ensure_ascii=False),
            }
        )

    # ------------------------------------------------------------------
    # Reading back, reconciling
    # ------------------------------------------------------------------

    def _emag_readback(self, client):
        """Refresh what eMAG says about this offer (product_offer/read)."""
        self.ensure_one()
        items = client.call("product_offer/read", {"id": self.emag_offer_id}) or []
        if items:
            self._emag_apply_read(items[0])

    def _job_readback(self):
        self.ensure_one()
        with emag_retryable():
            self._emag_readback(self.account_id._emag_client())
        return True

    def _emag_apply_read(self, item):
        self.ensure_one()
        read = ProductOfferRead.model_validate(item)

        def first(statuses):
            if isinstance(statuses, list):
                statuses = statuses[0] if statuses else None
            return statuses

        validation = first(read.validation_status)
        translation = first(read.translation_validation_status)
        offer_validation = first(read.offer_validation_status)
        errors = []
        for status in (validation, translation):
            if status is not None and status.errors:
                errors.append(json.dumps(status.errors, ensure_ascii=False))
        self.write(
            {
                "emag_status": read.status or 0,
                "emag_part_number_key": read.part_number_key or False,
                "validation_status": validation.value if validation else 0,
                "validation_status_text": validation.description
                if validation
                else False,
                "translation_validation_status": translation.value
                if translation
                else 0,
                "offer_validation_status": offer_validation.value
                if offer_validation
                else 0,
                "offer_validation_status_text": offer_validation.description
                if offer_validation
                else False,
                "doc_errors": "\n".join(errors) or self.doc_errors,
                "sellable": read.is_sellable,
                "readback_date": fields.Datetime.now(),
            }
        )

    @api.model
    def _job_reconcile(self, account):
        """Read every offer of the account from eMAG and correct the drift in
        stock, price and status; the corrections are written on each offer."""
        client = account._emag_client()
        with emag_retryable():
            remote = {int(item["id"]): item for item in client.read_offers()}
        offers = self.search(
            [("account_id", "=", account.id), ("state", "=", "published")]
        )
        quantities = offers._emag_channel_quantities()
        prices = offers._emag_sale_prices()
        drifted = self.browse()
        missing = self.browse()
        for offer in offers:
            item = remote.pop(offer.emag_offer_id, None)
            if item is None:
                missing |= offer
                continue
            offer._emag_apply_read(item)
            on_emag = offer._emag_values_read(item)
            wanted = offer._emag_wanted_values(quantities, prices)
            # a refused price is not drift; a scheduled change is not due yet
            if (
                offer._emag_price_problem(wanted["sale_price"])
                or offer._emag_scheduled()
            ):
                wanted.pop("sale_price")
            if offer._emag_scheduled():
                wanted.pop("status")
            drift = {
                key: (on_emag[key], wanted[key])
                for key in ("stock", "sale_price", "status")
                if key in wanted and on_emag.get(key) != wanted[key]
            }
            if drift:
                # what eMAG has is what was last pushed: the diff push corrects it
                offer.pushed_values = dict(offer.pushed_values or {}, **on_emag)
                offer.message_post(
                    body=_(
                        "Reconciliation with eMAG corrected: %s",
                        ", ".join(
                            f"{key} {old} → {new}" for key, (old, new) in drift.items()
                        ),
                    )
                )
                drifted |= offer
        missing.write(
            {"state": "error", "sync_error": _("The offer is not on eMAG any more.")}
        )
        drifted._emag_push()
        summary = _(
            "%(checked)s offers checked, %(drifted)s corrected, %(missing)s missing "
            "on eMAG, %(unknown)s offers on eMAG unknown to Odoo.",
            checked=len(offers),
            drifted=len(drifted),
            missing=len(missing),
            unknown=len(remote),
        )
        account.write(
            {
                "last_reconcile_date": fields.Datetime.now(),
                "last_reconcile_summary": summary,
            }
        )
        return summary

    @staticmethod
    def _emag_values_read(item):
        """stock, sale_price and status of an offer as eMAG returns it."""
        stock = item.get("stock")
        if isinstance(stock, list):
            stock = sum(int(s.get("value") or 0) for s in stock if isinstance(s, dict))
        values = {"status": int(item.get("status") or 0)}
        if stock is not None:
            values["stock"] = int(stock)
        if item.get("sale_price") is not None:
            values["sale_price"] = float(price4(item["sale_price"]))
        return values
