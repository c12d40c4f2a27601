from odoo import api, fields, models
from odoo.osv import expression

from .emag_reference_mixin import as_int, as_text

#: locality/read filters are strings of at most 60 characters (§6.6)
FILTER_LENGTH = 60


class EmagLocality(models.Model):
    """A cache of eMAG localities (§6.6), filled on demand by ``_emag_lookup``:
    eMAG lists tens of thousands of localities, AWBs need the ids of a few."""

    _name = "emag.locality"
    _inherit = ["emag.reference.mixin"]
    _description = "eMAG Locality"
    _order = "name, region, emag_id"
    _rec_names_search = ["name", "name_latin"]

    emag_id = fields.Integer(string="eMAG ID", required=True, readonly=True)
    name = fields.Char(readonly=True)
    name_latin = fields.Char(string="Name (Latin)", readonly=True)
    region = fields.Char(string="County", readonly=True, help="region2 of eMAG")
    region_latin = fields.Char(string="County (Latin)", readonly=True)
    country_code = fields.Char(readonly=True)
    zipcode = fields.Char(readonly=True)
    iso2 = fields.Char(string="ISO Code", readonly=True)

    _sql_constraints = [
        (
            "account_emag_id_uniq",
            "unique(account_id, emag_id)",
            "This eMAG locality is already cached for this account.",
        ),
    ]

    @api.depends("name", "region")
    def _compute_display_name(self):
        for locality in self:
            name = locality.name or locality.name_latin or str(locality.emag_id)
            locality.display_name = (
                f"{name} ({locality.region})" if locality.region else name
            )

    @api.model
    def _emag_lookup(self, account, name, region=None, country_code=None):
        """The localities of ``account`` named ``name`` (in ``region``, the
        county, and ``country_code`` when given).

        Answers from the cache; on a miss, calls locality/read once with the
        documented filters (name, region2, country_code), caches every
        locality eMAG returns and returns them. Without ``country_code`` eMAG
        answers with localities of the platform's country.
        """
        name = (name or "").strip()[:FILTER_LENGTH]
        region = (region or "").strip()[:FILTER_LENGTH]
        country_code = (country_code or "").strip().upper()[:FILTER_LENGTH]
        if not name:
            return self.browse()
        domain = [
            ("account_id", "=", account.id),
            "|",
            ("name", "=ilike", name),
            ("name_latin", "=ilike", name),
        ]
        if region:
            domain = expression.AND(
                [
                    domain,
                    [
                        "|",
                        ("region", "=ilike", region),
                        ("region_latin", "=ilike", region),
                    ],
                ]
            )
        if country_code:
            domain = expression.AND(
                [domain, [("country_code", "=ilike", country_code)]]
            )
        cached = self.search(domain)
        if cached:
            return cached
        filters = {"name": name}
        if region:
            filters["region2"] = region
        if country_code:
            filters["country_code"] = country_code
        found = self.sudo()._emag_store(
            account, account._emag_client().read_localities(**filters)
        )
        return self.browse(found.ids)

    @api.model
    def _emag_store(self, account, items):
        """Cache localities as locality/read returns them; returns the records."""
        rows = {}
        for item in items:
            if not isinstance(item, dict):
                continue
            emag_id = as_int(item.get("emag_id", item.get("id")))
            if not emag_id:
                continue
            rows[emag_id] = {
                "account_id": account.id,
                "emag_id": emag_id,
                "name": as_text(item.get("name")),
                "name_latin": as_text(item.get("name_latin")),
                "region": as_text(item.get("region2") or item.get("region1")),
                "region_latin": as_text(
                    item.get("region2_latin") or item.get("region1_latin")
                ),
                "country_code": as_text(item.get("country_code")),
                "zipcode": as_text(item.get("zipcode")),
                "iso2": as_text(item.get("iso2")),
            }
        return self._emag_sync(
            [("account_id", "=", account.id), ("emag_id", "in", list(rows))],
            "emag_id",
            rows,
            remove=False,
        )
