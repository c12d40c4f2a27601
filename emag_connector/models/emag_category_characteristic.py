from odoo import api, fields, models

from ..emag_api.schemas.category import CHARACTERISTIC_TYPES
from .emag_category import value_text
from .emag_reference_mixin import as_flag, as_int, as_rows, as_selection, as_text


class EmagCategoryCharacteristic(models.Model):
    """A characteristic of an allowed eMAG category, with all its values."""

    _name = "emag.category.characteristic"
    _inherit = ["emag.reference.mixin"]
    _description = "eMAG Category Characteristic"
    _order = "category_id, display_order, emag_id"

    category_id = fields.Many2one(
        "emag.category",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    # the same characteristic (e.g. 6506 Size) belongs to many categories:
    # the account comes from the category, records are unique per category
    account_id = fields.Many2one(
        related="category_id.account_id",
        store=True,
        index=True,
        ondelete="cascade",
        required=False,
    )
    emag_id = fields.Integer(string="eMAG ID", required=True, readonly=True)
    name = fields.Char(readonly=True)
    type_id = fields.Selection(
        selection=[(str(code), label) for code, label in CHARACTERISTIC_TYPES.items()],
        readonly=True,
    )
    display_order = fields.Integer(readonly=True)
    is_mandatory = fields.Boolean(string="Mandatory", readonly=True)
    is_filter = fields.Boolean(string="Filter", readonly=True)
    allow_new_value = fields.Boolean(
        string="Allows New Values",
        readonly=True,
        help="Values outside the list are accepted and validated automatically.",
    )
    tags = fields.Char(
        readonly=True,
        help="Comma-separated tags; a product sends one value per tag "
        "(e.g. original, converted).",
    )
    allowed_values = fields.Text(
        readonly=True, help="Every value eMAG lists for the characteristic, one a line."
    )
    value_count = fields.Integer(
        string="Values", compute="_compute_value_count", store=True
    )

    _sql_constraints = [
        (
            "category_emag_id_uniq",
            "unique(category_id, emag_id)",
            "This characteristic is already imported for this category.",
        ),
    ]

    @api.depends("allowed_values")
    def _compute_value_count(self):
        for characteristic in self:
            characteristic.value_count = len(characteristic._emag_value_list())

    @api.depends("name", "emag_id")
    def _compute_display_name(self):
        for characteristic in self:
            characteristic.display_name = (
                f"{characteristic.name or ''} [{characteristic.emag_id}]"
            )

    def _emag_value_list(self):
        self.ensure_one()
        return [v for v in (self.allowed_values or "").splitlines() if v]

    def _emag_tag_list(self):
        self.ensure_one()
        return [t.strip() for t in (self.tags or "").split(",") if t.strip()]

    @api.model
    def _emag_values(self, item):
        """Field values from a characteristic of category/read (its ``values``
        already holding every page)."""
        values = [value_text(v) for v in as_rows(item.get("values"))]
        tags = [as_text(t) for t in as_rows(item.get("tags"))]
        return {
            "emag_id": as_int(item.get("id")),
            "name": as_text(item.get("name")),
            "type_id": as_selection(item.get("type_id"), CHARACTERISTIC_TYPES),
            "display_order": as_int(item.get("display_order")),
            "is_mandatory": as_flag(item.get("is_mandatory")),
            "is_filter": as_flag(item.get("is_filter")),
            "allow_new_value": as_flag(item.get("allow_new_value")),
            "tags": ",".join(t for t in tags if t) or False,
            "allowed_values": "\n".join(v for v in values if v) or False,
        }

    def _emag_template(self):
        """This characteristic as category/read returns it (§2.1)."""
        self.ensure_one()
        return {
            "id": self.emag_id,
            "name": self.name or "",
            "type_id": int(self.type_id) if self.type_id else None,
            "display_order": self.display_order,
            "is_mandatory": int(self.is_mandatory),
            "is_filter": int(self.is_filter),
            "allow_new_value": int(self.allow_new_value),
            "tags": self._emag_tag_list(),
            "values": self._emag_value_list(),
        }
