import re
import time
import unicodedata

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api import PLATFORMS
from .emag_reference_mixin import as_flag, as_text

#: county prefixes eMAG (or the customer) may put before the county name
COUNTY_PREFIXES = ("judetul ", "judet ", "jud. ", "jud ", "municipiul ", "mun. ")
#: Bucharest is a municipality, not a county: eMAG writes it several ways
BUCHAREST_NAMES = ("bucuresti", "bucharest", "municipiul bucuresti", "mun. bucuresti")
#: seconds an import waits for another import of the same customer
CUSTOMER_LOCK_WAIT = 10
#: the fields that make two child addresses the same address
ADDRESS_KEY_FIELDS = (
    "name",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "emag_locker_id",
)


def normalize_name(value):
    """Lower case, no diacritics (ş/ș, ţ/ț, ă, â, î...), single spaces, no
    hyphens: "Județul Caraș-Severin" and "judetul caras severin" compare equal."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[\s\-_]+", " ", text.lower()).strip()
    return text


def county_key(value):
    """The normalized county name, without a "Județul" prefix."""
    text = normalize_name(value)
    if text in BUCHAREST_NAMES:
        return text
    for prefix in COUNTY_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


class ResPartner(models.Model):
    _inherit = "res.partner"

    emag_customer_id = fields.Char(
        string="eMAG Customer ID",
        index=True,
        copy=False,
        help="Id of the customer on eMAG: the next orders of this eMAG customer "
        "are imported on this partner (per company, and per legal entity: the "
        "person and each company the customer buys for are distinct partners).",
    )
    emag_locker_id = fields.Char(
        string="eMAG Locker ID",
        copy=False,
        help="Id of the pick-up locker (easybox) of this delivery address: the "
        "AWB is issued to this locker.",
    )
    emag_modified = fields.Datetime(
        string="eMAG Data Date",
        copy=False,
        readonly=True,
        help="Modification date of the eMAG data last written on this partner: "
        "older eMAG data does not overwrite newer data.",
    )

    # ------------------------------------------------------------------
    # eMAG customer -> partners
    # ------------------------------------------------------------------

    @api.model
    def _emag_partners(self, account, order):
        """Find or create the partners of an eMAG order.

        :param account: the ``emag.account`` the order comes from
        :param order: the order dict as eMAG sends it (``customer``,
            ``details``)
        :return: ``(customer, invoice_address, delivery_address)``, three
            ``res.partner`` records; the addresses are children of the customer
        :raise UserError: when the customer data is unusable
        """
        account.ensure_one()
        data = self._emag_customer_data(order)
        company = account.company_id
        self._emag_lock_customer(company, as_text(data.get("id")))
        # no chatter message nor follower of the importing user on each customer
        partner_model = self.with_company(company).with_context(
            no_vat_validation=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        cache = {"states": {}}
        default_country = partner_model._emag_platform_country(account)
        modified = self._emag_date(data.get("modified") or order.get("modified"))

        billing_country = (
            partner_model._emag_country(data.get("billing_country")) or default_country
        )
        shipping_country = (
            partner_model._emag_country(data.get("shipping_country")) or billing_country
        )
        customer_vals = partner_model._emag_customer_vals(data, billing_country)
        billing_vals = partner_model._emag_address_vals(
            data, "billing", billing_country, cache
        )
        customer_vals.update(
            {key: billing_vals[key] for key in billing_vals if key != "phone"}
        )

        customer = partner_model._emag_find_customer(data, customer_vals, company)
        newer = True
        if not customer:
            customer = partner_model.create(
                dict(
                    customer_vals,
                    type="contact",
                    emag_customer_id=as_text(data.get("id")),
                    emag_modified=modified,
                    company_id=company.id,
                )
            )
        elif partner_model._emag_is_newer(customer, modified):
            changed = partner_model._emag_changed(customer, customer_vals)
            if modified and modified != customer.emag_modified:
                changed["emag_modified"] = modified
            if changed:
                customer.write(changed)
        else:
            newer = False
        if as_flag(data.get("legal_entity")) and as_text(data.get("iban")):
            customer._emag_bank_account(data)

        invoice_vals = dict(
            billing_vals,
            name=as_text(data.get("billing_name")) or customer.name,
            phone=billing_vals.get("phone") or customer_vals.get("phone"),
        )

        details = order.get("details") or {}
        if not isinstance(details, dict):
            details = {}
        shipping_vals = partner_model._emag_address_vals(
            data, "shipping", shipping_country, cache
        )
        locker_id = as_text(details.get("locker_id"))
        shipping_vals.update(
            name=as_text(data.get("shipping_contact"))
            or as_text(data.get("name"))
            or customer.name,
            phone=shipping_vals.get("phone") or customer_vals.get("phone"),
            street2=locker_id
            and (as_text(details.get("locker_name")) or locker_id)
            or False,
            emag_locker_id=locker_id or False,
        )
        invoice, delivery = customer._emag_children(
            [("invoice", invoice_vals), ("delivery", shipping_vals)], newer
        )
        return customer, invoice, delivery

    @api.model
    def _emag_lock_customer(self, company, emag_id):
        """One eMAG customer is imported by one worker at a time, so that two
        orders of the same customer never make two partners (or two copies of
        a new address).

        A transaction lock on the customer makes a second import wait for the
        first to commit. The second's snapshot may be older than that commit
        and not see what it created: its partners are then compared with a
        fresh look at the database, and the import is retried (seeing them)
        when another worker committed partners of this customer it cannot see.
        """
        if not emag_id:
            return
        cr = self.env.cr
        key = f"emag.customer.{company.id}.{emag_id}"
        deadline = time.monotonic() + CUSTOMER_LOCK_WAIT
        delay = 0.05
        while True:
            cr.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [key])
            if cr.fetchone()[0]:
                break
            if time.monotonic() >= deadline:
                raise RetryableJobError(
                    _("eMAG customer %s is being imported by another worker.", emag_id),
                    seconds=5,
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        self.env.flush_all()
        mine = self._emag_customer_partner_ids(cr, company, emag_id)
        with self.env.registry.cursor() as fresh:
            committed = self._emag_customer_partner_ids(fresh, company, emag_id)
        if committed - mine:
            raise RetryableJobError(
                _(
                    "Another worker has just imported eMAG customer %s: importing "
                    "again to use its partners.",
                    emag_id,
                ),
                seconds=1,
            )

    @api.model
    def _emag_customer_partner_ids(self, cr, company, emag_id):
        """Ids of the partners of an eMAG customer (and of their addresses)
        that the transaction of ``cr`` sees."""
        cr.execute(
            """
            SELECT p.id FROM res_partner p
             WHERE p.company_id = %(company)s
               AND (p.emag_customer_id = %(customer)s
                    OR p.parent_id IN (
                        SELECT c.id FROM res_partner c
                         WHERE c.company_id = %(company)s
                           AND c.emag_customer_id = %(customer)s))
            """,
            {"company": company.id, "customer": emag_id},
        )
        return {row[0] for row in cr.fetchall()}

    @api.model
    def _emag_customer_data(self, order):
        """The ``customer`` of ``order``, checked to be usable."""
        order = order if isinstance(order, dict) else {}
        reference = order.get("id") or _("without id")
        data = order.get("customer")
        if not data or not isinstance(data, dict):
            raise UserError(
                _(
                    "eMAG order %s has no customer data: it cannot be imported.",
                    reference,
                )
            )
        if not (as_text(data.get("name")) or as_text(data.get("company"))):
            raise UserError(
                _(
                    "The customer of eMAG order %s has neither a name nor a "
                    "company name: it cannot be imported.",
                    reference,
                )
            )
        return data

    @api.model
    def _emag_date(self, value):
        """A datetime from eMAG's "YYYY-mm-dd HH:ii:ss", or False."""
        try:
            return fields.Datetime.to_datetime(as_text(value) or False)
        except ValueError:
            return False

    @api.model
    def _emag_is_newer(self, partner, modified):
        """Whether data of date ``modified`` may overwrite ``partner``."""
        return not (modified and partner.emag_modified) or (
            modified >= partner.emag_modified
        )

    @api.model
    def _emag_changed(self, partner, vals):
        """The part of ``vals`` that differs from ``partner``."""
        changed = {}
        for name, value in vals.items():
            current = partner[name]
            if partner._fields[name].type == "many2one":
                current = current.id
            if (current or False) != (value or False):
                changed[name] = value
        return changed

    @api.model
    def _emag_platform_country(self, account):
        """The country of the account's platform; the company's country, else
        Romania, for a custom URL."""
        platform = PLATFORMS.get(account.platform)
        if platform:
            country = self._emag_country(platform.country)
            if country:
                return country
        return account.company_id.country_id or self._emag_country("RO")

    @api.model
    def _emag_country(self, value):
        """The ``res.country`` of an ISO code ("RO") or a name ("Romania").
        Countries are Odoo's reference data: the lookups are kept for the
        cursor's life, not made again for every order."""
        text = as_text(value)
        if not text:
            return self.env["res.country"]
        key = text.upper()
        known = self.env.cr.cache.setdefault("emag_country_ids", {})
        if key not in known:
            Country = self.env["res.country"]
            if len(text) == 2:
                country = Country.search([("code", "=ilike", text)], limit=1)
            else:
                country = Country.search([("name", "=ilike", text)], limit=1)
                if not country:
                    country = Country.with_context(lang="en_US").search(
                        [("name", "=ilike", normalize_name(text))], limit=1
                    )
            known[key] = country.id
        return self.env["res.country"].browse(known[key])

    @api.model
    def _emag_state(self, country, value, cache):
        """The county (``res.country.state``) of ``country`` named ``value``,
        ignoring case, diacritics and a "Județul" prefix."""
        key = county_key(value)
        if not (country and key):
            return self.env["res.country.state"]
        if country.id not in cache["states"]:
            by_name = {}
            for state in self.env["res.country.state"].search(
                [("country_id", "=", country.id)]
            ):
                by_name.setdefault(normalize_name(state.code), state)
                by_name[county_key(state.name)] = state
            if country.code == "RO" and "b" in by_name:
                for name in BUCHAREST_NAMES:
                    by_name[name] = by_name["b"]
            cache["states"][country.id] = by_name
        return cache["states"][country.id].get(key) or self.env["res.country.state"]

    @api.model
    def _emag_address_vals(self, data, prefix, country, cache):
        """Address values from the ``billing_*`` or ``shipping_*`` fields."""
        state = self._emag_state(country, data.get(f"{prefix}_suburb"), cache)
        return {
            "street": as_text(data.get(f"{prefix}_street")),
            "city": as_text(data.get(f"{prefix}_city")),
            "zip": as_text(data.get(f"{prefix}_postal_code")),
            "state_id": state.id or False,
            "country_id": country.id or False,
            "phone": as_text(data.get(f"{prefix}_phone")),
        }

    @api.model
    def _emag_customer_vals(self, data, country):
        """Values of the customer itself: a person (B2C) or a company (B2B)."""
        name = as_text(data.get("name"))
        company_name = as_text(data.get("company"))
        phone = (
            as_text(data.get("phone_1"))
            or as_text(data.get("billing_phone"))
            or as_text(data.get("phone_2"))
            or as_text(data.get("phone_3"))
        )
        if not as_flag(data.get("legal_entity")):
            return {"name": name or company_name, "is_company": False, "phone": phone}
        return {
            "name": company_name or name,
            "is_company": True,
            "phone": phone,
            "vat": self._emag_vat(data, country),
            "company_registry": as_text(data.get("registration_number")),
        }

    @api.model
    def _emag_vat(self, data, country):
        """The CUI (``code``), with the country prefix for VAT payers only."""
        code = re.sub(r"\s+", "", str(data.get("code") or "")).upper()
        prefix = (country.code or "RO").upper()
        code = code.removeprefix(prefix)
        if not code:
            return False
        return f"{prefix}{code}" if as_flag(data.get("is_vat_payer")) else code

    @api.model
    def _emag_find_customer(self, data, customer_vals, company):
        """The partner already imported for this eMAG customer in
        ``company``: one per legal identity (the same eMAG customer may buy
        as a person and for one or more companies)."""
        emag_id = as_text(data.get("id"))
        if not emag_id:
            return self.browse()
        candidates = self.search(
            [
                ("emag_customer_id", "=", emag_id),
                ("company_id", "=", company.id),
                ("parent_id", "=", False),
                ("is_company", "=", customer_vals["is_company"]),
            ],
            order="id",
        )
        if not customer_vals["is_company"] or not candidates:
            return candidates[:1]
        cui = re.sub(r"\D", "", customer_vals.get("vat") or "")
        if cui:
            same = candidates.filtered(lambda p: re.sub(r"\D", "", p.vat or "") == cui)
            return same[:1] or candidates.filtered(lambda p: not p.vat)[:1]
        name = normalize_name(customer_vals["name"])
        return candidates.filtered(lambda p: normalize_name(p.name) == name)[:1]

    def _emag_bank_account(self, data):
        """The customer's bank account of ``iban``, created once."""
        self.ensure_one()
        iban = re.sub(r"\s+", "", as_text(data.get("iban")) or "").upper()
        existing = self.bank_ids.filtered(
            lambda b: (b.sanitized_acc_number or "").upper() == iban
        )
        if existing:
            return existing[:1]
        bank = self.env["res.bank"]
        bank_name = as_text(data.get("bank"))
        if bank_name:
            bank = bank.search([("name", "=ilike", bank_name)], limit=1) or bank.create(
                {"name": bank_name}
            )
        return self.env["res.partner.bank"].create(
            {"partner_id": self.id, "acc_number": iban, "bank_id": bank.id or False}
        )

    def _emag_children(self, addresses, newer=True):
        """The child contacts of ``addresses`` (a list of ``(type, values)``):
        a child of the same type and address is reused (its phone updated
        when the data is ``newer``), the others are created in one batch."""
        self.ensure_one()
        found = []
        to_create = []
        for address_type, vals in addresses:
            key = {name: vals.get(name) for name in ADDRESS_KEY_FIELDS}
            child = self.child_ids.filtered(
                lambda c, t=address_type, k=key: (
                    c.type == t and not self._emag_changed(c, k)
                )
            )[:1]
            phone = vals.get("phone")
            if child and newer and phone and child.phone != phone:
                child.phone = phone
            if not child:
                to_create.append(
                    dict(
                        vals,
                        type=address_type,
                        parent_id=self.id,
                        company_id=self.company_id.id,
                    )
                )
            found.append(child)
        created = iter(self.create(to_create))
        return [child or next(created) for child in found]
