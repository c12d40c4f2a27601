import json
import logging

from odoo import api, fields, models

from .emag_reference_mixin import as_flag, as_int, as_rows, as_text

_logger = logging.getLogger(__name__)

#: values per page of category/read (§2.1: "the first 256 existing values")
VALUES_PER_PAGE = 256
#: safety stop if eMAG ignored valuesCurrentPage (256 * 400 = 102 400 values)
MAX_VALUE_PAGES = 400


def value_text(value):
    """A characteristic value as one line of text."""
    if isinstance(value, dict):
        for key in ("value", "name", "label"):
            if value.get(key) not in (None, ""):
                return as_text(value[key])
    return as_text(value)


class EmagCategory(models.Model):
    """An eMAG category as the account sees it (§2.1)."""

    _name = "emag.category"
    _inherit = ["emag.reference.mixin"]
    _description = "eMAG Category"
    _order = "name, emag_id"

    active = fields.Boolean(default=True)
    emag_id = fields.Integer(string="eMAG ID", required=True, readonly=True)
    name = fields.Char(required=True, readonly=True)
    parent_emag_id = fields.Integer(string="Parent eMAG ID", readonly=True)
    is_allowed = fields.Boolean(
        string="Allowed",
        readonly=True,
        help="The seller may post products and offers in this category. Only "
        "allowed categories have their characteristics imported.",
    )
    is_ean_mandatory = fields.Boolean(string="EAN Mandatory", readonly=True)
    is_warranty_mandatory = fields.Boolean(string="Warranty Mandatory", readonly=True)
    characteristic_ids = fields.One2many(
        "emag.category.characteristic", "category_id", readonly=True
    )
    characteristic_count = fields.Integer(compute="_compute_characteristic_count")
    family_types = fields.Text(
        readonly=True, help="The family types of the category, as eMAG sent them."
    )
    characteristics_date = fields.Datetime(
        string="Characteristics Imported On", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "account_emag_id_uniq",
            "unique(account_id, emag_id)",
            "This eMAG category is already imported for this account.",
        ),
    ]

    @api.depends("characteristic_ids")
    def _compute_characteristic_count(self):
        counts = {
            category.id: count
            for category, count in self.env["emag.category.characteristic"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        }
        for category in self:
            category.characteristic_count = counts.get(category.id, 0)

    @api.depends("name", "emag_id")
    def _compute_display_name(self):
        for category in self:
            category.display_name = f"{category.name} [{category.emag_id}]"

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    @api.model
    def _emag_import(self, account, client, with_characteristics=True):
        """Import the categories of ``account`` from eMAG; return their number.

        The whole list is read (every page, characteristics without values).
        Characteristics, their values (every page of values) and family types
        are then read ONLY for the categories where ``is_allowed`` is true: a
        seller may see thousands of categories but can only post in the
        allowed ones, and reading one category costs one rate-limited call per
        page of 256 values. Categories eMAG no longer lists are archived; a
        category that is no longer allowed loses its characteristics.
        """
        rows = {}
        for item in client.read_categories():
            if not isinstance(item, dict):
                continue
            emag_id = as_int(item.get("id"))
            if not emag_id:
                continue
            rows[emag_id] = {
                "account_id": account.id,
                "emag_id": emag_id,
                "name": as_text(item.get("name")) or str(emag_id),
                "parent_emag_id": as_int(item.get("parent_id")),
                "is_allowed": as_flag(item.get("is_allowed")),
                "is_ean_mandatory": as_flag(item.get("is_ean_mandatory")),
                "is_warranty_mandatory": as_flag(item.get("is_warranty_mandatory")),
            }
        categories = self._emag_sync([("account_id", "=", account.id)], "emag_id", rows)
        archived = self.with_context(active_test=False).search(
            [("account_id", "=", account.id), ("active", "=", False)]
        )
        not_allowed = (categories - categories.filtered("is_allowed")) | archived
        not_allowed.characteristic_ids.unlink()
        not_allowed.filtered(lambda c: c.characteristics_date or c.family_types).write(
            {"characteristics_date": False, "family_types": False}
        )
        if with_characteristics:
            categories.filtered("is_allowed")._emag_import_characteristics(client)
        return len(categories)

    def _emag_import_characteristics(self, client):
        """Read these categories one by one (characteristics, every page of
        values, family types) and store them. Returns the categories read."""
        read = self.browse()
        rows = {}
        for category in self:
            data = self._emag_read_category(client, category.emag_id)
            if data is None:
                _logger.info(
                    "eMAG returned nothing for category %s of account %s",
                    category.emag_id,
                    category.account_id.name,
                )
                continue
            read |= category
            family_types = [
                dict(
                    f,
                    characteristics=as_rows(
                        f.get("characteristics"), "characteristic_id"
                    ),
                )
                for f in as_rows(data.get("family_types"), "id")
                if isinstance(f, dict)
            ]
            category.write(
                {
                    "family_types": json.dumps(
                        family_types, ensure_ascii=False, sort_keys=True
                    ),
                    "characteristics_date": fields.Datetime.now(),
                }
            )
            for item in data["characteristics"]:
                vals = self.env["emag.category.characteristic"]._emag_values(item)
                vals["category_id"] = category.id
                rows[(category.id, vals["emag_id"])] = vals
        self.env["emag.category.characteristic"]._emag_sync(
            [("category_id", "in", read.ids)], ("category_id", "emag_id"), rows
        )
        return read

    @api.model
    def _emag_read_category(self, client, emag_id):
        """One category with the values of its characteristics from every page.

        Returns the category's dict (``characteristics`` a list of dicts whose
        ``values`` hold every value), or None when eMAG does not return it.
        """
        data = client.read_category(emag_id, 1, VALUES_PER_PAGE)
        if isinstance(data, list):  # a list answer with a list inside
            data = data[0] if data else None
        if not isinstance(data, dict):
            return None
        characteristics = []
        values = {}
        for item in as_rows(data.get("characteristics"), "id"):
            if not isinstance(item, dict) or not as_int(item.get("id")):
                continue
            item = dict(item, values=as_rows(item.get("values")))
            characteristics.append(item)
            values[as_int(item["id"])] = item["values"]
        full = {cid for cid, vals in values.items() if len(vals) >= VALUES_PER_PAGE}
        page = 1
        while full and page < MAX_VALUE_PAGES:
            page += 1
            more = client.read_category(emag_id, page, VALUES_PER_PAGE)
            if isinstance(more, list):
                more = more[0] if more else None
            page_values = {}
            if isinstance(more, dict):
                for item in as_rows(more.get("characteristics"), "id"):
                    if isinstance(item, dict):
                        page_values[as_int(item.get("id"))] = as_rows(
                            item.get("values")
                        )
            for cid in list(full):
                new = page_values.get(cid) or []
                if new and new[: len(values[cid])] == values[cid][: len(new)]:
                    new = []  # eMAG ignored the page and sent page 1 again
                values[cid].extend(new)
                if len(new) < VALUES_PER_PAGE:
                    full.discard(cid)
        data = dict(data, characteristics=characteristics)
        return data

    # ------------------------------------------------------------------
    # Use
    # ------------------------------------------------------------------

    @api.model
    def _emag_find(self, account, emag_id):
        """The category ``emag_id`` of ``account`` (empty if not imported)."""
        return self.search(
            [("account_id", "=", account.id), ("emag_id", "=", int(emag_id))], limit=1
        )

    def _emag_template(self):
        """This category as category/read returns it (§2.1), for validating an
        offer with ``emag_api.schemas.Category`` or the ``category`` context of
        ``ProductOfferSave``."""
        self.ensure_one()
        try:
            family_types = json.loads(self.family_types or "[]")
        except ValueError:
            family_types = []
        return {
            "id": self.emag_id,
            "name": self.name,
            "parent_id": self.parent_emag_id or None,
            "is_allowed": int(self.is_allowed),
            "is_ean_mandatory": int(self.is_ean_mandatory),
            "is_warranty_mandatory": int(self.is_warranty_mandatory),
            "characteristics": [
                characteristic._emag_template()
                for characteristic in self.characteristic_ids.sorted(
                    lambda c: (c.display_order, c.emag_id)
                )
            ],
            "family_types": [
                f
                for f in as_rows(family_types, "id")
                if isinstance(f, dict) and as_int(f.get("id"), None) is not None
            ],
        }
