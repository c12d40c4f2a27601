"""Shared fields and bulk synchronisation of the reference data read from eMAG.

eMAG answers are read defensively: a list may come as an object keyed by
position (PHP serialises sparse arrays that way), keys may be missing, flags
may be booleans, integers or strings, and unknown keys are ignored.
"""

import json
import logging
from collections.abc import Mapping

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

TRUE_STRINGS = {"1", "true", "yes", "y", "on"}


def as_rows(value, key=None):
    """A list from what eMAG sent: a list, an object keyed by position, a
    single object (recognised by ``key``), or nothing."""
    if value is None or value is False or value == "":
        return []
    if isinstance(value, Mapping):
        if key is not None and key in value:
            return [value]
        return list(value.values())
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def as_int(value, default=0):
    """An int from an int, a float or a numeric string; ``default`` otherwise."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError):
        return default


def as_float(value, default=0.0):
    try:
        return float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return default


def as_flag(value):
    """eMAG flags: 1/0, true/false, "1"/"0", "true"/"false"."""
    if isinstance(value, str):
        return value.strip().lower() in TRUE_STRINGS
    return bool(value)


def as_text(value):
    """A one-line string, or False for nothing."""
    if value is None or value is False:
        return False
    if isinstance(value, Mapping | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = " ".join(str(value).split())
    return text or False


def as_selection(value, selection):
    """The selection key of ``value`` (``selection``: {int: label}), or False
    when eMAG sends a value the documentation does not list."""
    code = as_int(value, default=None)
    return str(code) if code in selection else False


def as_json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class EmagReferenceMixin(models.AbstractModel):
    """Reference data of one eMAG account, refreshed from eMAG."""

    _name = "emag.reference.mixin"
    _description = "eMAG Reference Data (mixin)"

    account_id = fields.Many2one(
        "emag.account",
        string="eMAG Account",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, readonly=True
    )

    @api.model
    def _emag_sync(self, domain, key, rows, remove=True):
        """Make the records of ``domain`` match ``rows`` in bulk.

        ``rows`` maps a key (the value of field ``key``, or a tuple of values
        when ``key`` is a tuple of field names; many2one values as ids) to the
        values of a record. Missing records are created in one ``create``,
        records whose values changed are written (flushed together as batched
        UPDATEs), and records of ``domain`` absent from ``rows`` are archived
        when the model has ``active``, deleted otherwise (``remove=False``
        keeps them). Archived records eMAG sends again are restored.

        Returns the records of ``rows``, in the order of ``rows``.
        """
        model = self.with_context(active_test=False)
        keys = key if isinstance(key, tuple) else (key,)
        has_active = "active" in self._fields
        existing = {}
        for record in model.search(domain):
            existing[self._emag_key(record, keys)] = record
        to_create = []
        order = []
        for row_key, vals in rows.items():
            record = existing.pop(row_key, None)
            if record is None:
                to_create.append(vals)
                order.append(None)
                continue
            changes = {
                fname: value
                for fname, value in vals.items()
                if not self._emag_same(record, fname, value)
            }
            if has_active and not record.active:
                changes["active"] = True
            if changes:
                record.write(changes)
            order.append(record.id)
        created = iter(model.create(to_create).ids)
        ids = [record_id or next(created) for record_id in order]
        stale = model.browse([r.id for r in existing.values()])
        if remove and stale:
            if has_active:
                stale.filtered("active").write({"active": False})
            else:
                stale.unlink()
        return self.browse(ids)

    @api.model
    def _emag_key(self, record, keys):
        values = tuple(
            record[fname].id
            if self._fields[fname].type == "many2one"
            else record[fname]
            for fname in keys
        )
        return values if len(keys) > 1 else values[0]

    @api.model
    def _emag_same(self, record, fname, value):
        field = self._fields[fname]
        current = record[fname]
        if field.type == "many2one":
            return current.id == (value or False)
        if field.type in ("integer", "float"):
            return (current or 0) == (value or 0)
        if field.type == "boolean":
            return bool(current) == bool(value)
        return (current or False) == (value or False)
