from collections.abc import Mapping

from odoo import api, fields, models

from ..emag_api.schemas.reference import COURIER_ACCOUNT_TYPES
from .emag_reference_mixin import as_int, as_json, as_rows, as_selection, as_text

#: courier_account_properties code -> boolean field
PROPERTY_FIELDS = {
    0: "property_regular",
    2: "property_lockers",
    6: "property_offices",
    8: "property_crossborder",
    9: "property_bpo",
}


def property_codes(value):
    """The property codes of courier_account_properties: a list of numbers,
    or of objects holding the number (id/value/property_id)."""
    codes = []
    for prop in as_rows(value):
        if isinstance(prop, Mapping):
            prop = next(
                (
                    prop[k]
                    for k in ("id", "value", "property_id", "property")
                    if k in prop
                ),
                None,
            )
        code = as_int(prop, None)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


class EmagCourierAccount(models.Model):
    """A courier account AWBs can be issued with (§6.7)."""

    _name = "emag.courier.account"
    _inherit = ["emag.reference.mixin"]
    _description = "eMAG Courier Account"
    _order = "courier_name, name, emag_id"

    active = fields.Boolean(default=True)
    emag_id = fields.Integer(
        string="eMAG Account ID",
        required=True,
        readonly=True,
        help="account_id of courier_accounts/read, the courier_account_id of AWBs.",
    )
    name = fields.Char(readonly=True, help="The name of the courier account on eMAG.")
    courier_name = fields.Char(readonly=True)
    courier_account_type = fields.Selection(
        selection=[(str(k), v) for k, v in COURIER_ACCOUNT_TYPES.items()],
        string="Account Type",
        readonly=True,
    )
    courier_account_properties = fields.Char(
        string="Property Codes",
        readonly=True,
        help="courier_account_properties as eMAG sent them: 0 Regular (HD), "
        "2 Lockers, 6 Offices, 8 Crossborder, 9 BPO.",
    )
    property_regular = fields.Boolean(string="Regular (HD)", readonly=True)
    property_lockers = fields.Boolean(string="Lockers", readonly=True)
    property_offices = fields.Boolean(string="Offices", readonly=True)
    property_crossborder = fields.Boolean(string="Crossborder", readonly=True)
    property_bpo = fields.Boolean(string="BPO", readonly=True)
    emag_status = fields.Selection(
        selection=[("1", "Active"), ("0", "Inactive")],
        string="Status on eMAG",
        readonly=True,
    )
    pickup_country_code = fields.Char(readonly=True)
    raw = fields.Text(
        string="eMAG Data", readonly=True, help="The account as eMAG sent it (JSON)."
    )

    _sql_constraints = [
        (
            "account_emag_id_uniq",
            "unique(account_id, emag_id)",
            "This eMAG courier account is already imported for this account.",
        ),
    ]

    @api.depends("name", "courier_name", "emag_id")
    def _compute_display_name(self):
        for courier in self:
            courier.display_name = (
                courier.name or courier.courier_name or str(courier.emag_id)
            )

    @api.model
    def _emag_import(self, account, client):
        """Import the courier accounts of ``account`` (courier_accounts/read);
        return their number."""
        rows = {}
        for item in as_rows(client.read_courier_accounts(), "account_id"):
            if not isinstance(item, dict):
                continue
            emag_id = as_int(item.get("account_id"))
            if not emag_id:
                continue
            codes = property_codes(item.get("courier_account_properties"))
            vals = {
                "account_id": account.id,
                "emag_id": emag_id,
                "name": as_text(item.get("account_display_name")),
                "courier_name": as_text(item.get("courier_name")),
                "courier_account_type": as_selection(
                    item.get("courier_account_type"), COURIER_ACCOUNT_TYPES
                ),
                "courier_account_properties": ",".join(map(str, codes)) or False,
                "emag_status": as_selection(item.get("status"), {0: "", 1: ""}),
                "pickup_country_code": as_text(item.get("pickup_country_code")),
                "raw": as_json(item),
            }
            vals.update(
                {fname: code in codes for code, fname in PROPERTY_FIELDS.items()}
            )
            rows[emag_id] = vals
        return len(self._emag_sync([("account_id", "=", account.id)], "emag_id", rows))

    def _emag_has_property(self, code):
        """True when eMAG lists property ``code`` (see COURIER_ACCOUNT_PROPERTIES)."""
        self.ensure_one()
        return str(code) in (self.courier_account_properties or "").split(",")
