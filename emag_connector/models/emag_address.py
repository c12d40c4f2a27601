from odoo import api, fields, models

from ..emag_api.schemas.reference import ADDRESS_TYPES
from .emag_reference_mixin import as_flag, as_int, as_rows, as_selection, as_text

ADDRESS_TYPE_LABELS = {
    1: "Return",
    2: "Pickup",
    3: "Invoice (headquarter)",
    4: "Delivery estimates",
}


class EmagAddress(models.Model):
    """A pickup, return or headquarter address of the seller on eMAG (§6.8)."""

    _name = "emag.address"
    _inherit = ["emag.reference.mixin"]
    _description = "eMAG Address"
    _order = "address_type_id, is_default desc, address_id"
    _rec_names_search = ["address", "city", "suburb", "address_id"]

    active = fields.Boolean(default=True)
    address_id = fields.Char(
        string="eMAG Address ID",
        required=True,
        readonly=True,
        help="The address_id sent in AWBs (sender or receiver); up to 21 characters.",
    )
    address_type_id = fields.Selection(
        selection=[(str(k), v) for k, v in ADDRESS_TYPE_LABELS.items()],
        string="Type",
        readonly=True,
    )
    country_id = fields.Integer(string="eMAG Country ID", readonly=True)
    country_code = fields.Char(readonly=True)
    locality_id = fields.Integer(
        string="eMAG Locality ID",
        readonly=True,
        help="The eMAG id of the locality (see Localities).",
    )
    suburb = fields.Char(string="County", readonly=True)
    city = fields.Char(readonly=True)
    address = fields.Text(readonly=True)
    zipcode = fields.Char(readonly=True)
    quarter = fields.Char(readonly=True)
    floor = fields.Char(readonly=True)
    is_default = fields.Boolean(
        string="Default",
        readonly=True,
        help="Default address of its type for pickups or returns.",
    )

    _sql_constraints = [
        (
            "account_address_id_uniq",
            "unique(account_id, address_id)",
            "This eMAG address is already imported for this account.",
        ),
    ]

    @api.depends("address", "city", "suburb", "address_id")
    def _compute_display_name(self):
        for address in self:
            parts = [address.address, address.city, address.suburb]
            address.display_name = ", ".join(p for p in parts if p) or (
                address.address_id
            )

    @api.model
    def _emag_import(self, account, client):
        """Import the addresses of ``account`` (addresses/read); return their
        number. Addresses without an address_id cannot be used and are skipped."""
        rows = {}
        for item in as_rows(client.read_addresses(), "address_id"):
            if not isinstance(item, dict):
                continue
            address_id = as_text(item.get("address_id"))
            if not address_id:
                continue
            rows[address_id] = {
                "account_id": account.id,
                "address_id": address_id,
                "address_type_id": as_selection(
                    item.get("address_type_id"), ADDRESS_TYPES
                ),
                "country_id": as_int(item.get("country_id")),
                "country_code": as_text(item.get("country_code")),
                "locality_id": as_int(item.get("locality_id")),
                "suburb": as_text(item.get("suburb")),
                "city": as_text(item.get("city")),
                "address": as_text(item.get("address")),
                "zipcode": as_text(item.get("zipcode")),
                "quarter": as_text(item.get("quarter")),
                "floor": as_text(item.get("floor")),
                "is_default": as_flag(item.get("is_default")),
            }
        return len(
            self._emag_sync([("account_id", "=", account.id)], "address_id", rows)
        )
