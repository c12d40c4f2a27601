"""One method per route of the eMAG API the connector uses, over
``EmagClient.call`` (``client.py``): every page read, saves split into the
batches eMAG accepts."""

import base64
import binascii
from datetime import datetime

from . import batching, invoices
from .campaigns import smart_deals_price_from
from .economics import commission_from
from .errors import EmagValidationError

ORDER_TYPES = (3, 2)  # 3 fulfilled by seller, 2 fulfilled by eMAG
EAN_BATCH = 100


def as_payload(entity):
    """A dict ready for JSON from a dict or a save model of ``schemas``."""
    if hasattr(entity, "to_payload"):
        return entity.to_payload()
    return entity


class EmagRoutes:
    """The routes of ``EmagClient`` (offers, reference data, orders, AWB,
    returns), by the documentation's chapters."""

    # ------------------------------------------------------------------
    # Offers (2.4 - 3)
    # ------------------------------------------------------------------

    def read_offers(self, **filters):
        return self.read_all("product_offer/read", filters)

    def count_offers(self, **filters):
        return self.count("product_offer/count", filters)

    def save_offers(self, offers):
        """product_offer/save: new products, attachments, full offer updates."""
        return self.save("product_offer/save", offers)

    def save_light_offers(self, offers):
        """offer/save: the light offer API, only ``id`` plus what changed."""
        return self.save("offer/save", offers)

    def update_stock(self, offer_id, value, warehouse_id=1):
        """offer_stock PATCH: the stock of a single offer (fast path).

        The documentation does not state the body; this is the stock block of
        product_offer/save, the shape most integrations use.
        """
        return self.call(
            f"offer_stock/{int(offer_id)}",
            method="PATCH",
            body={"stock": [{"warehouse_id": warehouse_id, "value": value}]},
        )

    def find_by_eans(self, eans):
        """documentation/find_by_eans, 100 EANs a request (2.10)."""
        eans = list(dict.fromkeys(str(e) for e in eans))
        found = []
        for start in range(0, len(eans), EAN_BATCH):
            chunk = eans[start : start + EAN_BATCH]
            results = self.call(
                "documentation/find_by_eans", method="GET", params={"eans[]": chunk}
            )
            found.extend(results or [])
        return found

    # ------------------------------------------------------------------
    # Reference data (2.1 - 2.3, 6.5 - 6.8)
    # ------------------------------------------------------------------

    def read_categories(self, **filters):
        return self.read_all("category/read", filters)

    def count_categories(self, **filters):
        return self.count("category/count", filters)

    def read_category(self, category_id, values_page=1, values_per_page=256):
        """One category with its characteristics and a page of their values."""
        results = self.call(
            "category/read",
            {
                "id": category_id,
                "valuesCurrentPage": values_page,
                "valuesPerPage": values_per_page,
            },
        )
        if isinstance(results, list):
            return results[0] if results else None
        return results

    def read_commission(self, offer_id):
        """eMAG's commission estimate of a seller offer (§2.12, in eMAG's
        Swagger, outside /api-3): ``{"value", "created", "end_date"}``, or
        None when eMAG answers another shape (the raw answer is in the call
        log)."""
        answer = self.call(
            f"/api/v1/commission/estimate/{int(offer_id)}",
            method="GET",
            envelope=False,
        )
        return commission_from(answer)

    def read_smart_deals_price(self, offer_id):
        """The price (without VAT) that wins the Smart Deals badge for a
        seller offer, or None when eMAG gives none."""
        results = self.call(
            "smart-deals-price-check", method="GET", params={"productId": offer_id}
        )
        return smart_deals_price_from(results)

    def propose_to_campaign(self, entities):
        """campaign_proposals/save, in batches eMAG accepts."""
        return self.save("campaign_proposals/save", entities)

    def read_vat_rates(self):
        return self.call("vat/read") or []

    def read_handling_times(self):
        return self.call("handling_time/read") or []

    def read_courier_accounts(self):
        return self.call("courier_accounts/read") or []

    def read_addresses(self):
        return self.call("addresses/read") or []

    def read_localities(self, **filters):
        return self.read_all("locality/read", filters)

    def count_localities(self, **filters):
        return self.count("locality/count", filters)

    # ------------------------------------------------------------------
    # Orders (5)
    # ------------------------------------------------------------------

    def read_orders(
        self, modified_after, modified_before=None, types=ORDER_TYPES, **filters
    ):
        """Orders modified in a period, every page, both order types.

        ``order/read`` returns only seller-fulfilled orders (type 3) unless
        asked, and accepts date windows of at most one month: the period is
        split. Dates are naive datetimes in the platform's local time.
        """
        modified_before = modified_before or datetime.now()
        for start, stop in batching.date_windows(modified_after, modified_before):
            for order_type in types:
                yield from self.read_all(
                    "order/read",
                    dict(
                        filters,
                        type=order_type,
                        modifiedAfter=start.strftime(batching.DATE_FORMAT),
                        modifiedBefore=stop.strftime(batching.DATE_FORMAT),
                    ),
                )

    def read_new_orders(self):
        """Every order still new (status 1) that the seller fulfils, whatever
        its date: the ones left to import and acknowledge (5.2)."""
        return self.read_all("order/read", {"status": 1, "type": 3})

    def read_order(self, order_id, order_type=None):
        """One order by id, whatever its type, or None."""
        for candidate in (order_type,) if order_type else ORDER_TYPES:
            results = self.call("order/read", {"id": order_id, "type": candidate})
            if results:
                return results[0]
        return None

    def count_orders(self, **filters):
        return self.count("order/count", filters)

    def save_orders(self, orders):
        """order/save: every field read must be sent back (5.5)."""
        return self.save("order/save", orders)

    def acknowledge_order(self, order_id):
        """Mark a new order in progress. True if done now, False if it was already.

        eMAG answers "Order is already in progress" when the order was
        acknowledged before: that is the state wanted, not a failure.
        """
        try:
            self.call(f"order/acknowledge/{int(order_id)}")
        except EmagValidationError as exc:
            if any("already in progress" in m.lower() for m in exc.messages):
                return False
            raise
        return True

    def save_order_attachments(self, attachments):
        return self.save("order/attachments/save", attachments)

    # ------------------------------------------------------------------
    # AWB (6.1 - 6.4)
    # ------------------------------------------------------------------

    def save_awb(self, awb):
        """Issue one AWB; its first AWB finalizes the order. Returns eMAG's ids."""
        return self.call("awb/save", as_payload(awb))

    def read_awb(self, emag_id=None, reservation_id=None):
        filters = (
            {"emag_id": emag_id} if emag_id else {"reservation_id": reservation_id}
        )
        results = self.call("awb/read", filters)
        if isinstance(results, list):
            return results[0] if results else None
        return results

    def read_awb_pdf(self, emag_id, awb_format="A4"):
        """The AWB label: PDF bytes (A4, A5, A6) or ZPL bytes (``ZPL``)."""
        if awb_format not in ("A4", "A5", "A6", "ZPL"):
            raise ValueError(
                f"AWB format must be A4, A5, A6 or ZPL, not {awb_format!r}"
            )
        content = self.call(
            "awb/read_pdf",
            method="GET",
            params={"emag_id": emag_id, "awb_format": awb_format},
            binary=True,
        )
        return zpl_bytes(content) if awb_format == "ZPL" else content

    def read_awb_zpl(self, emag_id):
        """The AWB label in ZPL (eMAG sends it base64-encoded, 6.4)."""
        content = self.call(
            "awb/read_zpl", method="GET", params={"emag_id": emag_id}, binary=True
        )
        return zpl_bytes(content)

    # ------------------------------------------------------------------
    # Returns (7)
    # ------------------------------------------------------------------

    def read_rmas(self, **filters):
        return self.read_all("rma/read", filters)

    def read_rma(self, emag_id):
        """One return request by its eMAG id, or None."""
        results = self.call("rma/read", {"emag_id": int(emag_id)})
        return results[0] if results else None

    def count_rmas(self, **filters):
        return self.count("rma/count", filters)

    def save_rma(self, rma):
        return self.call("rma/save", as_payload(rma))

    # ------------------------------------------------------------------
    # eMAG's invoices to the seller (8.1 - 8.2)
    # ------------------------------------------------------------------

    def read_invoice_categories(self):
        """invoice/categories: ``[{"category": "FC", "name": "Commission"}]``."""
        return self.call("invoice/categories") or []

    def read_invoices(
        self, date_start=None, date_end=None, category=None, number=None, **kw
    ):
        """invoice/read, every page (``invoices.py``); dates are dates or
        "YYYY-mm-dd" texts."""
        filters = invoices.invoice_filters(date_start, date_end, category, number)
        return invoices.read_invoice_pages(self, filters, kw.get("page_size"))


def zpl_bytes(content):
    """ZPL label bytes from eMAG's answer, base64-encoded or not."""
    if isinstance(content, str):
        content = content.encode()
    if content.lstrip().startswith(b"^XA"):
        return content
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return content
