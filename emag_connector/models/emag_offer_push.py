"""Keeping eMAG in step with Odoo: stock, price and status changes mark
offers ``dirty``; one debounced job per account (``_job_push_dirty``) sends
only what differs from what eMAG was last told, 50 offers a request through
the light offer API. ``_job_reconcile`` reads every offer back from eMAG and
corrects drift."""

import json
import logging
import re

from pydantic import ValidationError

from odoo import _, api, fields, models
from odoo.osv import expression

from ..emag_api.pipeline import SaveQueue
from ..emag_api.schemas import OfferLightSave, ProductOfferRead, validation_messages
from ..tools.jobs import emag_retryable
from ..tools.offer_values import MAX_STOCK, OFFER_VALUES, PRICE_KEYS, price4

_logger = logging.getLogger(__name__)

#: offers per request (1.5: at most 50 entities a save)
BATCH = 50
#: offers of the first chunk whose quantities and prices are computed together
FIRST_CHUNK = 250
#: ... and of the largest: computing it (about a millisecond an offer) must
#: take less time than the sender needs for the batches queued ahead of it
#: (pipeline.DEPTH), or the sender idles and the push falls behind eMAG's pace
LARGEST_CHUNK = 4000
#: offers whose results are written to the database together during a push
FLUSH_EVERY = 1000
LIGHT_ROUTE = "offer/save"
FULL_ROUTE = "product_offer/save"


def _doubling(records, first, largest):
    """``records`` in chunks of ``first``, then twice as many each time, up to
    ``largest``."""
    start, size = 0, first
    while start < len(records):
        yield records[start : start + size]
        start, size = start + size, min(size * 2, largest)


class EmagOfferPush(models.AbstractModel):
    """How ``emag.offer`` keeps eMAG in step (``emag.offer`` inherits this)."""

    _name = "emag.offer.push"
    _description = "eMAG Offer Push and Reconciliation"

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
        return offers._emag_counted_push(account)

    @api.model
    def _job_refresh(self, account):
        offers = self.search(
            [("account_id", "=", account.id), ("state", "=", "published")]
        )
        return offers._emag_counted_push(account, force=True)

    def _emag_counted_push(self, account, force=False):
        """``_emag_push``, counted as a run of the account's offer push."""
        before = {o.id: (o.pushed_values or {}).get("sale_price") for o in self}
        with self.env["emag.account.run"]._emag_run(account, "offers_push") as run:
            run["read"] = len(self)
            run["updated"] = sent = self._emag_push(force=force)
            run["failed"] = len(self.filtered("sync_error"))
        repriced = self.filtered(
            lambda o: (o.pushed_values or {}).get("sale_price") != before[o.id]
        )
        if repriced:  # eMAG's commission may follow the price
            repriced._emag_update_margins()
            repriced._emag_enqueue_commissions(account)
        return sent

    def _emag_push(self, force=False):
        """Send what changed (everything when ``force``) of offers of one account,
        50 a request through the light offer API. Returns the number sent.

        The requests go from a thread of their own at the rate budget's pace
        (``SaveQueue``) while this one computes quantities and prices, builds
        the next batches and records what eMAG accepted: a large push runs at
        eMAG's pace. Quantities and prices are computed in chunks that double
        in size, so that the first request leaves at once and the number of
        queries grows only with the logarithm of the number of offers.
        """
        if not self:
            return 0
        account = self.account_id
        account.ensure_one()
        sender = SaveQueue(account._emag_client())
        by_id, batch, scheduled = {}, [], []
        missed = []  # batches refused with 404: no light offer API there
        try:
            with emag_retryable():
                for chunk in _doubling(self, FIRST_CHUNK, LARGEST_CHUNK):
                    quantities = chunk._emag_channel_quantities()
                    prices = chunk._emag_sale_prices()
                    for offer in chunk:
                        entity = offer._emag_changes(quantities, prices, force)
                        if not entity:
                            offer.dirty = False
                            continue
                        by_id[offer.emag_offer_id] = offer
                        if offer._emag_scheduled():
                            scheduled.append(entity)
                            continue
                        batch.append(entity)
                        if len(batch) == BATCH:
                            sender.put(FULL_ROUTE if missed else LIGHT_ROUTE, batch)
                            self._emag_apply_outcomes(sender.outcomes(), by_id, missed)
                            batch = []
                            if len(by_id) % FLUSH_EVERY < BATCH:
                                # written while the sender waits, not all at the end
                                self.env.flush_all()
                if batch:
                    sender.put(FULL_ROUTE if missed else LIGHT_ROUTE, batch)
                self._emag_apply_outcomes(sender.close(), by_id, missed)
        finally:
            sender.abort()
        self._emag_send_full(sender.client, missed, scheduled, by_id)
        return len(by_id)

    @api.model
    def _emag_send_full(self, client, missed, scheduled, by_id):
        """Offers sent again as full offer updates (product_offer/save): those
        of batches a platform without the light offer API refused, and the
        changes scheduled with a start date (the light API has none: eMAG then
        schedules every value the offer carries)."""
        full = [by_id[e["id"]]._emag_full_update(e) for o in missed for e in o.entities]
        full += [
            dict(
                by_id[e["id"]]._emag_full_update(e),
                start_date=by_id[e["id"]].start_date.isoformat(),
            )
            for e in scheduled
        ]
        if full:
            with emag_retryable():
                for outcome in client.save_offers(full):
                    self._emag_apply_outcome(outcome, by_id)

    @api.model
    def _emag_apply_outcomes(self, outcomes, by_id, missed):
        """Record what eMAG did with sent batches; those it answered with 404
        (a platform without the light offer API) go to ``missed``."""
        for outcome in outcomes:
            if outcome.error and outcome.error.status == 404:
                missed.append(outcome)
            else:
                self._emag_apply_outcome(outcome, by_id)

    def _emag_changes(self, quantities, prices, force=False):
        """The light offer/save entity for what differs from the last push."""
        self.ensure_one()
        wanted = self._emag_wanted_values(quantities, prices)
        price_problem = self._emag_price_problem(wanted["sale_price"])
        if price_problem:
            for key in PRICE_KEYS:
                wanted.pop(key)
        wanted["stock"] = min(wanted["stock"], MAX_STOCK)
        pushed = self.pushed_values or {}
        currency_type = self.account_id._emag_currency_type()
        # prices in another currency than last time are all sent again
        resend = set(PRICE_KEYS) if pushed.get("currency_type") != currency_type else ()
        changed = {
            key: value
            for key, value in wanted.items()
            if value is not None
            and (force or key in resend or pushed.get(key) != value)
        }
        if (self.sync_error or False) != (price_problem or False):
            self.sync_error = price_problem or False
        if not changed:
            return None
        entity = {"id": self.emag_offer_id, **changed}
        if currency_type and PRICE_KEYS & entity.keys():
            entity["currency_type"] = currency_type
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
        if "sale_price" in entity:
            pushed["currency_type"] = entity.get("currency_type")
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
        """Read every offer of the account from eMAG and repair the drift in
        stock, price and status. Odoo wins: a difference found on two
        reconciliations in a row (eMAG still showing the same value) is sent
        again, and written on the offer field by field; a difference seen
        once may be eMAG still applying a push, or an order not yet in Odoo."""
        with self.env["emag.account.run"]._emag_run(account, "offers_reconcile") as run:
            summary, run["read"], run["updated"], run["failed"] = self._emag_reconcile(
                account
            )
        return summary

    def _emag_reconcile(self, account):
        """``(summary, offers checked, offers corrected, offers missing)``."""
        client = account._emag_client()
        with emag_retryable():
            remote = {int(item["id"]): item for item in client.read_offers()}
        offers = self.search(
            [("account_id", "=", account.id), ("state", "=", "published")]
        )
        quantities = offers._emag_channel_quantities()
        prices = offers._emag_sale_prices()
        drifted = self.browse()
        pending = self.browse()
        missing = self.browse()
        for offer in offers:
            item = remote.pop(offer.emag_offer_id, None)
            if item is None:
                missing |= offer
                continue
            offer._emag_apply_read(item)
            drift = offer._emag_drift(item, quantities, prices)
            seen = offer.drift_seen or {}
            repaired = {
                key: values
                for key, values in drift.items()
                if key in seen and seen[key] == values[0]
            }
            waiting = {key: values[0] for key, values in drift.items()}
            if (offer.drift_seen or False) != (waiting or False):
                offer.drift_seen = waiting or False
            if repaired:
                # what eMAG has is what was last pushed: the diff push repairs it
                on_emag = {key: old for key, (old, _new) in repaired.items()}
                offer.pushed_values = dict(offer.pushed_values or {}, **on_emag)
                fields_said = []
                for key, (old, new) in repaired.items():
                    fields_said.append(
                        _(
                            "%(field)s %(emag)s on eMAG, %(odoo)s in Odoo",
                            field=key,
                            emag=old,
                            odoo=new,
                        )
                    )
                offer.message_post(
                    body=_(
                        "Reconciliation with eMAG, Odoo's value sent again: %s",
                        "; ".join(fields_said),
                    )
                )
                drifted |= offer
            elif drift:
                pending |= offer
        missing.write(
            {"state": "error", "sync_error": _("The offer is not on eMAG any more.")}
        )
        drifted._emag_push()
        summary = _(
            "%(checked)s offers checked, %(drifted)s corrected, %(pending)s "
            "different once (corrected if still so at the next reconciliation), "
            "%(missing)s missing on eMAG, %(unknown)s offers on eMAG unknown to "
            "Odoo.",
            checked=len(offers),
            drifted=len(drifted),
            pending=len(pending),
            missing=len(missing),
            unknown=len(remote),
        )
        account.write(
            {
                "last_reconcile_date": fields.Datetime.now(),
                "last_reconcile_summary": summary,
            }
        )
        return summary, len(offers), len(drifted), len(missing)

    def _emag_drift(self, item, quantities, prices):
        """{field: (eMAG's value, Odoo's)} where eMAG's offer ``item`` differs
        from what Odoo wants. A price eMAG shows rounded to the cent equals the
        4-decimal price sent; a refused price is not drift, nor a scheduled
        change not due yet."""
        self.ensure_one()
        on_emag = self._emag_values_read(item)
        wanted = self._emag_wanted_values(quantities, prices)
        if self._emag_price_problem(wanted["sale_price"]) or self._emag_scheduled():
            wanted.pop("sale_price")
        if self._emag_scheduled():
            wanted.pop("status")
        drift = {
            key: (on_emag[key], wanted[key])
            for key in ("stock", "status")
            if key in wanted and key in on_emag and on_emag[key] != wanted[key]
        }
        if (
            "sale_price" in wanted
            and "sale_price" in on_emag
            and round(on_emag["sale_price"], 2) != round(wanted["sale_price"], 2)
        ):
            drift["sale_price"] = (on_emag["sale_price"], wanted["sale_price"])
        return drift

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
