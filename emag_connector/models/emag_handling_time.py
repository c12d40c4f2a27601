from odoo import _, api, fields, models

from .emag_reference_mixin import as_int, as_rows


class EmagHandlingTime(models.Model):
    """A handling time (days before shipping) an offer may use (§2.3)."""

    _name = "emag.handling.time"
    _inherit = ["emag.reference.mixin"]
    _description = "eMAG Handling Time"
    _order = "value"
    _rec_name = "value"

    active = fields.Boolean(default=True)
    value = fields.Integer(
        string="Days",
        required=True,
        readonly=True,
        help="Working days between the order and its handover to the courier.",
    )

    _sql_constraints = [
        (
            "account_value_uniq",
            "unique(account_id, value)",
            "This eMAG handling time is already imported for this account.",
        ),
    ]

    @api.depends("value")
    def _compute_display_name(self):
        for handling_time in self:
            handling_time.display_name = (
                _("1 day")
                if handling_time.value == 1
                else _("%s days", handling_time.value)
            )

    @api.model
    def _emag_import(self, account, client):
        """Import the handling times of ``account`` (handling_time/read): a
        list of objects with ``value``, or of bare numbers; return their number."""
        rows = {}
        for item in as_rows(client.read_handling_times(), "value"):
            value = as_int(item.get("value") if isinstance(item, dict) else item, None)
            if value is None or value < 0:
                continue
            rows[value] = {"account_id": account.id, "value": value}
        return len(self._emag_sync([("account_id", "=", account.id)], "value", rows))
