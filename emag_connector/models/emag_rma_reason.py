from odoo import api, fields, models


class EmagRmaReason(models.Model):
    """eMAG's return reasons, named by the seller: eMAG sends only their id.

    A reason id never seen before is added on the fly, unnamed (never a
    failed import); the seller gives it the name it has in eMAG's list.
    """

    _name = "emag.rma.reason"
    _description = "eMAG Return Reason"
    _order = "emag_id"

    emag_id = fields.Integer(string="eMAG Reason ID", required=True, readonly=True)
    name = fields.Char(required=True)

    _sql_constraints = [
        ("emag_id_uniq", "unique(emag_id)", "This eMAG return reason exists."),
    ]

    @api.depends("emag_id", "name")
    def _compute_display_name(self):
        for reason in self:
            reason.display_name = f"{reason.name} ({reason.emag_id})"

    @api.model
    def _emag_get(self, emag_id):
        """The reason of an id eMAG sent, added when new (several workers may
        add the same one at once: the first wins; another that cannot see it
        yet fails to serialize and its job is retried by queue_job)."""
        try:
            emag_id = int(emag_id or 0)
        except (TypeError, ValueError):
            emag_id = 0
        if emag_id <= 0:
            return self.browse()
        reason = self.sudo().search([("emag_id", "=", emag_id)])
        if not reason:
            name = self.env._("Unnamed eMAG reason")
            # another job inserting the same reason makes this one retry
            # (a serialization failure), without an error in the log
            self.env.cr.execute(
                """
                INSERT INTO emag_rma_reason
                       (emag_id, name, create_uid, write_uid, create_date, write_date)
                VALUES (%s, %s, %s, %s, now() at time zone 'UTC',
                        now() at time zone 'UTC')
                ON CONFLICT (emag_id) DO NOTHING
                """,
                [emag_id, name, self.env.uid, self.env.uid],
                log_exceptions=False,
            )
            reason = self.sudo().search([("emag_id", "=", emag_id)])
        return reason
