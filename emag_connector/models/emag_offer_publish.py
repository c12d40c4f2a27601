"""Publishing an eMAG offer: every limit eMAG documents is checked before
anything is sent (``_emag_publish_payload``), then a job sends the offer by
part_number_key, by EAN or as a new product, and reads back what eMAG made
of it."""

import json

from pydantic import ValidationError

from odoo import _, models
from odoo.exceptions import UserError

from ..emag_api import EmagDocumentationError
from ..emag_api.schemas import (
    ProductOfferAttach,
    ProductOfferSave,
    validation_messages,
)
from ..tools.jobs import emag_retryable
from ..tools.offer_values import MAX_STOCK


class EmagOfferPublish(models.AbstractModel):
    """How ``emag.offer`` publishes itself (``emag.offer`` inherits this)."""

    _name = "emag.offer.publish"
    _description = "eMAG Offer Publishing"

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
                    taxes=", ".join(
                        self._emag_taxes(
                            self.account_id._emag_fiscal_position()
                        ).mapped("name")
                    )
                    or _("none"),
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
            "currency_type": self.account_id._emag_currency_type(),
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
