"""Routes of products, offers and their reference data (§2, §3)."""

from __future__ import annotations

import copy
from typing import Any

from .protocol import Request, Response, count_result, envelope, error, paginate
from .validation import (
    DOCUMENTATION_KEYS,
    OfferContext,
    as_decimal,
    as_int,
    check_int,
    strip_part_number,
    validate_light_offer,
    validate_product_offer,
)

VALIDATION_STATUS_TEXT = {
    0: "Draft",
    1: "In MKTP validation",
    2: "Awaiting Brand validation",
    3: "Waiting for EAN approval",
    4: "New documentation validation pending",
    5: "Rejected Brand",
    6: "Invalid product - EAN rejected",
    8: "Documentation rejected",
    9: "Approved documentation",
    10: "Blocked",
    11: "Update awaiting approval",
    12: "Update rejected",
    13: "Waiting for salable offer",
    14: "Unsuccessful translation",
    15: "Translation in progress",
    16: "Translation pending",
    17: "Partial translation",
}
OFFER_VALIDATION_TEXT = {1: "Valid", 2: "Invalid price"}

# Keys of product_offer/read that only eMAG sets: when a test seeds them on an
# offer they go to the offer's metadata, not to what the seller "pushed".
READ_ONLY_OFFER_KEYS = (
    "validation_status",
    "translation_validation_status",
    "offer_validation_status",
    "ownership",
    "number_of_offers",
    "buy_button_rank",
    "best_offer_sale_price",
    "best_offer_recommended_price",
    "genius_eligibility",
    "genius_eligibility_type",
    "genius_computed",
    "doc_errors",
)

# Defaults of the read shape (§2.8) for keys the seller never pushed.
OFFER_READ_DEFAULTS: dict[str, Any] = {
    "vendor_category_id": None,
    "category_id": None,
    "name": "",
    "part_number": "",
    "brand": "",
    "description": "",
    "url": "",
    "warranty": 0,
    "ean": [],
    "images": [],
    "characteristics": [],
    "attachments": [],
    "family": None,
    "status": 0,
    "sale_price": None,
    "recommended_price": None,
    "min_sale_price": None,
    "max_sale_price": None,
    "vat_id": None,
    "stock": [],
    "handling_time": [],
    "supply_lead_time": 14,
    "emag_club": 1,
    "safety_information": None,
}

# Which offer filters mean "a specific product" (§2.8: GPSR lists are returned
# only when filtering for a specific product, a completion flag otherwise).
SPECIFIC_PRODUCT_FILTERS = ("id", "part_number", "part_number_key")


class OfferRoutes:
    """Mixin of EmagSandbox: offers, categories, VAT, handling times, EAN search."""

    # ---------------------------------------------------------------- helpers

    def _offer_context(self) -> OfferContext:
        return OfferContext(
            vat_ids={v["vat_id"] for v in self.vats},
            categories=self.categories,
            catalogue_pnks={p["part_number_key"] for p in self.catalogue},
            catalogue_eans={str(e) for p in self.catalogue for e in p.get("eans", [])},
            today=self.now().date(),
            platform=self.platform,
            currency=self.currency,
        )

    def _catalogue_by_ean(self, ean: str) -> dict | None:
        for product in self.catalogue:
            if ean in product.get("eans", []):
                return product
        return None

    def _offer_with_pnk(self, pnk: str) -> int | None:
        for offer_id, meta in self.offer_meta.items():
            if meta.get("part_number_key") == pnk:
                return offer_id
        return None

    def _new_meta(self, offer: dict) -> dict:
        return {
            "part_number_key": offer.get("part_number_key") or "",
            "validation_status": 9 if offer.get("part_number_key") else 1,
            "validation_errors": [],
            "offer_validation_status": 1,
            "ownership": 2 if offer.get("part_number_key") else 1,
            "number_of_offers": 1,
            "buy_button_rank": 1,
        }

    # ------------------------------------------------------ product_offer/save

    def _product_offer_save(self, req: Request) -> Response:
        entities = self._entities(req)
        if isinstance(entities, Response):
            return entities
        ctx = self._offer_context()
        messages: list = []
        for index, offer in enumerate(entities):
            offer_id = as_int(offer.get("id")) if isinstance(offer, dict) else None
            existing = self.offers.get(offer_id) if offer_id is not None else None
            label, check = validate_product_offer(offer, index, existing, ctx)
            if check.errors:
                messages.extend(check.errors)
                continue
            clash = self._offer_conflicts(offer, offer_id, existing)
            if clash:
                messages.append(f"{label}: {clash}")
                continue
            # A valid entity is saved even when other entities of the same batch
            # fail: eMAG gives no per-item result, only the messages (§1.4 and
            # integrator experience).  Documentation errors are saved too.
            messages.extend(self._store_offer(offer, offer_id, existing, label))
            messages.extend(check.doc_errors)
            if check.doc_errors:
                meta = self.offer_meta[offer_id]
                meta["validation_status"] = 0
                meta["validation_errors"] = list(check.doc_errors)
        return envelope([], messages, is_error=bool(messages))

    def _offer_conflicts(
        self, offer: dict, offer_id: int, existing: dict | None
    ) -> str:
        """Conflicts with the seller's other offers: the entity is NOT saved."""
        if existing is not None:
            return ""
        pnk = offer.get("part_number_key")
        if not pnk:
            for ean in offer.get("ean") or []:
                product = self._catalogue_by_ean(ean)
                if product:  # §2.4.2: automatically associated to that product
                    pnk = product["part_number_key"]
                    break
        if pnk:
            holder = self._offer_with_pnk(pnk)
            if holder is not None and holder != offer_id:
                return (
                    f"you already hold an offer (id {holder}) on part_number_key "
                    f"{pnk}; update it instead of attaching a new one"
                )
            return ""
        part_number = strip_part_number(str(offer.get("part_number", "")))
        eans = set(offer.get("ean") or [])
        for other_id, other in self.offers.items():
            if other_id == offer_id:
                continue
            if part_number and strip_part_number(str(other.get("part_number", ""))) == (
                part_number
            ):
                return (
                    f"you already hold a product with part_number {part_number} "
                    f"(offer {other_id}): the product was not saved"
                )
            common = eans & set(other.get("ean") or [])
            if common:
                return (
                    f"is a duplicated product: ean {min(common)} is already used "
                    f"on offer {other_id}"
                )
        return ""

    def _store_offer(
        self, offer: dict, offer_id: int, existing: dict | None, label: str
    ) -> list[str]:
        messages = []
        offer = copy.deepcopy(offer)
        if isinstance(offer.get("part_number"), str):
            offer["part_number"] = strip_part_number(offer["part_number"])
        if existing is None:
            meta = self._new_meta(offer)
            if not meta["part_number_key"]:
                for ean in offer.get("ean") or []:
                    product = self._catalogue_by_ean(ean)
                    if product:
                        meta.update(
                            part_number_key=product["part_number_key"],
                            validation_status=9,
                            ownership=2,
                        )
                        break
            self.offer_meta[offer_id] = meta
            self.offers[offer_id] = offer
            return messages
        meta = self.offer_meta.setdefault(offer_id, self._new_meta(existing))
        content = [k for k in DOCUMENTATION_KEYS if k in offer and k != "name"]
        if content and meta.get("ownership") == 2:
            # §2.4: "For products on which you are not eligible (ownership = 2), any
            # content updates will be rejected." The offer data is still saved.
            messages.append(
                f"{label}: content updates rejected (ownership = 2): "
                + ", ".join(content)
            )
            for key in content:
                offer.pop(key)
        elif content and meta.get("validation_status") == 9:
            changed = any(offer[k] != existing.get(k) for k in content)
            meta["validation_status"] = 11 if changed else 9  # update awaiting approval
        merged = dict(existing)
        merged.update(offer)
        self.offers[offer_id] = merged
        return messages

    # -------------------------------------------------------------- offer/save

    def _offer_save(self, req: Request) -> Response:
        """Light offer API (§2.6.2): partial updates of existing offers only."""
        entities = self._entities(req)
        if isinstance(entities, Response):
            return entities
        ctx = self._offer_context()
        messages: list = []
        for index, offer in enumerate(entities):
            offer_id = as_int(offer.get("id")) if isinstance(offer, dict) else None
            existing = self.offers.get(offer_id) if offer_id is not None else None
            _, problems = validate_light_offer(offer, index, existing, ctx)
            if problems:
                messages.extend(problems)
                continue
            merged = dict(existing)
            merged.update(copy.deepcopy(offer))
            self.offers[offer_id] = merged
        return envelope([], messages, is_error=bool(messages))

    # ------------------------------------------------------- offer_stock PATCH

    def _offer_stock(self, req: Request) -> Response:
        """PATCH offer_stock/{id} (§3). The doc does not give the body; accepted:
        {"stock": [{"warehouse_id": 1, "value": N}]}, {"stock": N}, and either of
        them wrapped in {"data": ...}."""
        offer_id = as_int(req.param)
        if offer_id is None or offer_id not in self.offers:
            return error(f"Offer {req.param} does not exist", status=404)
        body = req.body
        if isinstance(body, dict) and isinstance(body.get("data"), dict):
            body = body["data"]
        stock = body.get("stock") if isinstance(body, dict) else None
        if as_int(stock) is not None:
            stock = [{"warehouse_id": 1, "value": as_int(stock)}]
        if not isinstance(stock, list) or not stock:
            return error(
                f'Offer {offer_id}: body must be {{"stock": [{{"warehouse_id": 1, '
                '"value": N}]} or {"stock": N}',
                status=400,
            )
        for row in stock:
            if not isinstance(row, dict) or check_int(row.get("value"), 0, 65535):
                return error(
                    f"Offer {offer_id}: 'stock' value must be an integer between 0 "
                    "and 65535",
                    status=400,
                )
        self.offers[offer_id] = {**self.offers[offer_id], "stock": copy.deepcopy(stock)}
        return envelope([])

    # ------------------------------------------------------ measurements/save

    def _measurements_save(self, req: Request) -> Response:
        entities = self._entities(req)
        if isinstance(entities, Response):
            return entities
        messages = []
        for index, item in enumerate(entities):
            if not isinstance(item, dict) or check_int(item.get("id"), 1, 16777215):
                messages.append(
                    f"Measurement #{index + 1}: 'id' is required (1..16777215)"
                )
                continue
            bad = [
                key
                for key in ("length", "width", "height", "weight")
                if (n := as_decimal(item.get(key))) is None
                or not 0 <= n <= 999999
                or n != round(n, 2)
            ]
            if bad:
                messages.append(
                    f"Product {item['id']}: {', '.join(bad)} must be numbers between 0 "
                    "and 999999 with at most two decimals"
                )
                continue
            self.measurements[as_int(item["id"])] = copy.deepcopy(item)
        return envelope([], messages, is_error=bool(messages))

    # ------------------------------------------------- product_offer/read+count

    def _filtered_offers(self, data: Any) -> list[dict]:
        data = data if isinstance(data, dict) else {}
        specific = any(key in data for key in SPECIFIC_PRODUCT_FILTERS)
        out = []
        for offer_id in sorted(self.offers):
            row = self._offer_read_shape(offer_id, specific=specific)
            if self._offer_matches(row, data):
                out.append(row)
        return out

    @staticmethod
    def _offer_matches(row: dict, data: dict) -> bool:
        if "id" in data and as_int(data["id"]) != row["id"]:
            return False
        if "status" in data and as_int(data["status"]) != as_int(row["status"]):
            return False
        if "part_number" in data and str(data["part_number"]) != row["part_number"]:
            return False
        if (
            "part_number_key" in data
            and data["part_number_key"] != row["part_number_key"]
        ):
            return False
        for key in ("general_stock", "estimated_stock"):
            if key in data:
                limit = as_int(data[key])
                if limit is None or not 0 <= row[key] <= limit:
                    return False
        for key in (
            "validation_status",
            "offer_validation_status",
            "translation_validation_status",
        ):
            if key in data and as_int(data[key]) != row[key][0]["value"]:
                return False
        return True

    def _reserved_quantity(self, offer_id: int) -> int:
        """Quantity on unacknowledged orders (what estimated_stock subtracts)."""
        total = 0
        for order in self.orders.values():
            if as_int(order.get("status")) != 1:
                continue
            for line in order.get("products") or []:
                if as_int(line.get("product_id")) == offer_id and line.get("status", 1):
                    total += as_int(line.get("quantity")) or 0
        return total

    def _offer_read_shape(self, offer_id: int, *, specific: bool) -> dict:
        """§2.8 read shape: what the seller pushed plus eMAG's computed keys."""
        stored = self.offers[offer_id]
        meta = self.offer_meta.get(offer_id) or self._new_meta(stored)
        row = copy.deepcopy(OFFER_READ_DEFAULTS)
        row.update(copy.deepcopy(stored))
        row["id"] = offer_id
        row.pop("part_number_key", None)
        row.pop("currency_type", None)
        general = sum(as_int(s.get("value")) or 0 for s in row.get("stock") or [])
        validation = meta.get("validation_status", 1)
        offer_validation = meta.get("offer_validation_status", 1)
        row.update(
            {
                "part_number_key": meta.get("part_number_key", ""),
                "currency": stored.get("currency_type") or self.currency,
                "general_stock": general,
                "estimated_stock": max(general - self._reserved_quantity(offer_id), 0),
                # The doc calls both "List of arrays" with keys value/Description;
                # every other key of the API is lower case, so we answer
                # "description".  Clients should accept a list or a single object.
                "validation_status": [
                    {
                        "value": validation,
                        "description": VALIDATION_STATUS_TEXT.get(validation, ""),
                        "errors": list(meta.get("validation_errors") or []),
                    }
                ],
                "translation_validation_status": [
                    {
                        "value": meta.get("translation_validation_status", validation),
                        "description": VALIDATION_STATUS_TEXT.get(validation, ""),
                        "errors": [],
                    }
                ],
                "offer_validation_status": [
                    {
                        "value": offer_validation,
                        "description": OFFER_VALIDATION_TEXT.get(offer_validation, ""),
                    }
                ],
                "doc_errors": meta.get("doc_errors"),
                "ownership": meta.get("ownership", 1),
                "number_of_offers": meta.get("number_of_offers", 1),
                "buy_button_rank": meta.get("buy_button_rank", 1),
                "best_offer_sale_price": meta.get(
                    "best_offer_sale_price", stored.get("sale_price")
                ),
                "best_offer_recommended_price": meta.get(
                    "best_offer_recommended_price", stored.get("recommended_price")
                ),
                "genius_eligibility": meta.get("genius_eligibility", 0),
                "genius_eligibility_type": meta.get("genius_eligibility_type"),
                "genius_computed": meta.get("genius_computed", 0),
            }
        )
        for key in ("manufacturer", "eu_representative"):
            value = copy.deepcopy(stored.get(key) or [])
            row[key] = value if specific else bool(value)
        return row

    def _product_offer_read(self, req: Request) -> Response:
        return envelope(paginate(self._filtered_offers(req.data), req.data))

    def _product_offer_count(self, req: Request) -> Response:
        return envelope(count_result(len(self._filtered_offers(req.data)), req.data))

    # ----------------------------------------------- documentation/find_by_eans

    def _find_by_eans(self, req: Request) -> Response:
        eans = req.query.get("eans[]", []) + req.query.get("eans", [])
        if not eans and isinstance(req.data, dict):
            eans = [str(e) for e in req.data.get("eans") or []]
        if not eans:
            return error("The 'eans' parameter is required (eans[]=...)", status=400)
        messages = []
        if len(eans) > 100:
            messages.append(
                f"Only the first 100 EANs were processed; {len(eans) - 100} ignored"
            )
            eans = eans[:100]
        results = []
        for ean in eans:
            product = self._catalogue_by_ean(ean)
            if product is None:
                continue
            pnk = product["part_number_key"]
            category = self.categories.get(product.get("doc_category_id"))
            allowed = product.get("allow_to_add_offer")
            if allowed is None:
                allowed = bool(category["is_allowed"]) if category else True
            row = {
                "eans": ean,
                "part_number_key": pnk,
                "product_name": product.get("product_name", ""),
                "brand_name": product.get("brand_name", ""),
                "category_name": product.get("category_name")
                or (category["name"] if category else ""),
                "doc_category_id": product.get("doc_category_id"),
                "site_url": product.get("site_url")
                or f"{self.site_url}/product_details/pd/{pnk}",
                "allow_to_add_offer": allowed,
                "vendor_has_offer": self._offer_with_pnk(pnk) is not None,
                "hotness": product.get("hotness", "COLD"),
                "product_image": product.get("product_image")
                or f"https://s13emagst.akamaized.net/products/sandbox/{pnk}.jpg"
                "?width=150&height=150",
            }
            if self.platform.startswith("fd_"):
                row.pop("site_url")  # "Not included in Fashion Days responses"
            results.append(row)
        return envelope(results, messages)

    # ------------------------------------------------------ reference reads

    def _category_summary(self, category: dict) -> dict:
        """A category in a list read: no characteristic values (§2.1)."""
        row = copy.deepcopy(category)
        for char in row["characteristics"]:
            char.pop("values", None)
        return row

    def _category_read(self, req: Request) -> Response:
        data = req.data if isinstance(req.data, dict) else {}
        if "id" in data:
            category = self.categories.get(as_int(data["id"]))
            if category is None:
                return envelope([])
            row = copy.deepcopy(category)
            # §2.1: values holds the first 256 values; valuesCurrentPage and
            # valuesPerPage page through the rest (no maximum stated: we cap
            # valuesPerPage at 256).
            page = max(as_int(data.get("valuesCurrentPage")) or 1, 1)
            per_page = min(max(as_int(data.get("valuesPerPage")) or 256, 1), 256)
            for char in row["characteristics"]:
                values = char.get("values") or []
                char["values"] = values[(page - 1) * per_page : page * per_page]
            return envelope([row])
        rows = [self._category_summary(c) for _, c in sorted(self.categories.items())]
        for key in ("parent_id", "is_allowed"):
            if key in data:
                rows = [r for r in rows if r.get(key) == as_int(data[key])]
        return envelope(paginate(rows, data))

    def _category_count(self, req: Request) -> Response:
        return envelope(count_result(len(self.categories), req.data))

    def _vat_read(self, req: Request) -> Response:
        return envelope(copy.deepcopy(self.vats))

    def _handling_time_read(self, req: Request) -> Response:
        return envelope(copy.deepcopy(self.handling_times))
