"""Seeding the sandbox: what eMAG already holds before a test, a demo or a
benchmark starts (offers, orders, returns, reference data)."""

from __future__ import annotations

import copy
import threading

from . import seed
from .invoices import demo_invoices
from .offers import READ_ONLY_OFFER_KEYS
from .validation import as_int


def _upsert(rows: list[dict], new_rows: list[dict], key: str, replace: bool) -> None:
    if replace:
        rows.clear()
    for row in new_rows:
        row = copy.deepcopy(row)
        for i, old in enumerate(rows):
            if old.get(key) == row.get(key):
                rows[i] = row
                break
        else:
            rows.append(row)


class Seeding:
    """The ``seed_*`` methods of ``EmagSandbox``."""

    def seed_offers(self, offers: list[dict]) -> None:
        """Offers already on eMAG.  eMAG-only read keys (validation_status, …)
        may be given as plain values and go to the offer's metadata."""
        with self._lock:
            for offer in offers:
                offer = copy.deepcopy(offer)
                offer_id = as_int(offer["id"])
                meta = self._new_meta(offer)
                for key in READ_ONLY_OFFER_KEYS:
                    if key in offer:
                        value = offer.pop(key)
                        if (
                            isinstance(value, list)
                            and value
                            and isinstance(value[0], dict)
                        ):
                            value = value[0].get("value")
                        elif isinstance(value, dict):
                            value = value.get("value")
                        meta[key] = value
                self.offers[offer_id] = offer
                self.offer_meta[offer_id] = meta

    def seed_orders(self, orders: list[dict]) -> list[dict]:
        """Orders with every §5.1 key defaulted; returns the stored orders."""
        out = []
        with self._lock:
            for order in orders:
                order_id = as_int(order.get("id")) or self._next_id("order")
                full = seed.order_with_defaults(
                    order,
                    order_id=order_id,
                    now=self.now_str(),
                    next_line_id=self._next_line_id,
                    platform=self.platform,
                )
                status = as_int(full.get("status"))
                if status == 4:
                    self.order_finalized_at[order_id] = self._timestamp(
                        full["modified"]
                    )
                    if not full.get("finalization_date"):
                        full["finalization_date"] = full["modified"]
                if status == 0:
                    self.order_canceled_at[order_id] = self._timestamp(full["modified"])
                self.orders[order_id] = full
                out.append(copy.deepcopy(full))
        return out

    def seed_rmas(self, rmas: list[dict]) -> list[dict]:
        out = []
        with self._lock:
            for rma in rmas:
                emag_id = as_int(rma.get("emag_id")) or self._next_id("rma")
                full = seed.rma_with_defaults(
                    rma,
                    emag_id=emag_id,
                    now=self.now_str(),
                    next_line_id=self._next_line_id,
                )
                self.rmas[emag_id] = full
                out.append(copy.deepcopy(full))
        return out

    def create_return(self, order_id: int, products=None, **fields) -> dict:
        """A customer asks to return products of a finalized order, as eMAG
        makes it: lines from the order's (``products``: ``[{"product_id":
        seller id, "quantity": n}]``, default every product and quantity),
        status New; the "return" callback is fired when one is configured."""
        with self._lock:
            order = self.orders.get(as_int(order_id))
            if order is None:
                raise KeyError(f"no order {order_id}")
            if as_int(order.get("status")) != 4:
                raise ValueError(f"order {order_id} is not finalized (status 4)")
            active = [p for p in order["products"] if as_int(p.get("status"))]
            if products is None:
                products = [
                    {"product_id": p["product_id"], "quantity": p["quantity"]}
                    for p in active
                ]
            lines = []
            for wanted in products:
                line = next(
                    (
                        p
                        for p in active
                        if as_int(p["product_id"]) == as_int(wanted["product_id"])
                    ),
                    {},
                )
                lines.append(
                    {
                        "product_id": as_int(wanted["product_id"]),
                        "product_emag_id": as_int(line.get("product_emag_id"))
                        or 1000000 + as_int(wanted["product_id"]),
                        "product_name": line.get("name") or "Produs",
                        "quantity": as_int(wanted.get("quantity")) or 1,
                        **{k: v for k, v in wanted.items() if k not in ("quantity",)},
                    }
                )
            customer = order.get("customer") or {}
            spec = {
                "order_id": order["id"],
                "type": as_int(order.get("type")) or 3,
                "customer_name": customer.get("name") or "Client",
                "customer_phone": customer.get("phone_1") or "0700000000",
                "products": lines,
                **fields,
            }
            (rma,) = self.seed_rmas([spec])
        if "return" in self.callback_urls:
            # in a thread: the caller may hold the sandbox's lock
            threading.Thread(
                target=self._fire_quietly, args=("return", rma["emag_id"]), daemon=True
            ).start()
        return rma

    def _fire_quietly(self, kind: str, entity_id) -> None:
        try:
            self.fire_callback(kind, entity_id)
        except OSError:
            self.callbacks_fired.append({"kind": kind, "status": 0})

    def seed_categories(self, categories: list[dict], replace: bool = False) -> None:
        with self._lock:
            if replace:
                self.categories.clear()
            for category in categories:
                full = seed.category_with_defaults(category)
                self.categories[as_int(full["id"])] = full

    def seed_products_by_ean(self, products: list[dict], replace: bool = False) -> None:
        """eMAG catalogue products (for find_by_eans and attach by EAN)."""
        rows = []
        for product in products:
            row = copy.deepcopy(product)
            if isinstance(row.get("eans"), str):
                row["eans"] = [row["eans"]]
            rows.append(row)
        with self._lock:
            _upsert(self.catalogue, rows, "part_number_key", replace)

    def seed_vats(self, vats: list[dict], replace: bool = True) -> None:
        with self._lock:
            _upsert(self.vats, vats, "vat_id", replace)

    def seed_courier_accounts(self, accounts: list[dict], replace: bool = True) -> None:
        with self._lock:
            _upsert(self.courier_accounts, accounts, "account_id", replace)

    def seed_addresses(self, addresses: list[dict], replace: bool = True) -> None:
        with self._lock:
            _upsert(self.addresses, addresses, "address_id", replace)

    def seed_localities(self, localities: list[dict], replace: bool = False) -> None:
        with self._lock:
            _upsert(self.localities, localities, "emag_id", replace)

    def seed_demo(self) -> None:
        """A small demo account: catalogue, offers, orders of each kind, a
        return, eMAG's invoices to the seller."""
        self.seed_products_by_ean(seed.DEMO_CATALOGUE)
        self.seed_offers(seed.demo_offers())
        self.seed_orders(seed.demo_orders())
        self.seed_rmas([{"order_id": 1001, "products": [{"product_id": 1}]}])
        self.seed_invoices(demo_invoices())
