"""What an eMAG account sells in: the platform's currency, the pricelist of
its prices and of its orders, the one tax of each eMAG VAT rate, and the share
of the warehouse's free stock it offers.

No amount crosses a currency here: prices come from a pricelist in the
currency eMAG shows them in, orders become sale orders in the currency eMAG
charged, and Odoo's own rates convert them for accounting.
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..emag_api import PLATFORMS, currency_on, offer_currency_type
from .emag_vat import rate_as_fraction

#: Romanian chart of accounts: the tax of non-taxable supplies ("0% NT"),
#: which SGR deposits take (a deposit is not a supply in the scope of VAT)
DEPOSIT_TAX_XMLID = "tvatine"


class EmagAccount(models.Model):
    _inherit = "emag.account"

    currency_id = fields.Many2one(
        "res.currency",
        string="Platform Currency",
        compute="_compute_currency_id",
        help="The currency of the platform's prices and orders: RON in Romania, "
        "HUF in Hungary, EUR in Bulgaria since 2026-01-01 (BGN before).",
    )
    custom_currency_id = fields.Many2one(
        "res.currency",
        string="Currency of the Custom URL",
        default=lambda self: self._emag_currency("RON"),
        help="The currency of the platform this custom URL stands for.",
    )
    margin_floor = fields.Float(
        string="Margin Floor (%)",
        digits=(5, 1),
        help="A price that would leave less than this margin (percent of the "
        "price without VAT, after eMAG's commission and the product's cost) is "
        "not sent to eMAG, unless the offer allows selling below the floor. "
        "0: no floor.",
    )
    offer_currency = fields.Selection(
        [("EUR", "EUR"), ("PLN", "PLN")],
        string="Publish Prices In",
        help="Publish offer prices in this currency (eMAG's currency_type) "
        "instead of the platform's; eMAG converts them every month. The "
        "account's pricelist must then be in this currency. Orders still come "
        "in the platform's currency.",
    )
    stock_share = fields.Integer(
        string="Share of Free Stock (%)",
        default=100,
        help="The part of the warehouse's free quantity offered on this account, "
        "before its buffer. Accounts selling the same warehouse whose shares add "
        "up to 100% never sell more than is free together.",
    )
    tax_map_ids = fields.One2many(
        "emag.account.tax",
        "account_id",
        string="Taxes of eMAG VAT Rates",
        copy=True,
        help="The tax of the order lines at each eMAG VAT rate. A rate without "
        "a row takes the company's tax of that rate included in price (the "
        "destination country's One-Stop-Shop tax on another country's platform).",
    )
    money_warning = fields.Text(
        compute="_compute_money_warning",
        help="What keeps prices or orders of this account from being in the "
        "right currency.",
    )

    _sql_constraints = [
        (
            "stock_share_range",
            "CHECK(stock_share BETWEEN 0 AND 100)",
            "The share of free stock is a percentage, from 0 to 100.",
        ),
    ]

    @api.model
    def _emag_currency(self, code):
        """The ``res.currency`` of an ISO code, active or not. Currencies are
        Odoo's reference data: the lookups are kept for the cursor's life."""
        known = self.env.cr.cache.setdefault("emag_currency_ids", {})
        if code not in known:
            known[code] = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", code)], limit=1)
                .id
            )
        return self.env["res.currency"].browse(known[code])

    @api.depends("platform", "custom_currency_id")
    def _compute_currency_id(self):
        for account in self:
            account.currency_id = self._emag_currency(account._emag_currency_code())

    def _emag_currency_code(self, day=None):
        """The ISO code of the platform's currency on ``day`` (today if None)."""
        self.ensure_one()
        if self.platform in PLATFORMS:
            return currency_on(self.platform, day)
        return self.custom_currency_id.name or "RON"

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        accounts._emag_activate_currency()
        return accounts

    def write(self, vals):
        result = super().write(vals)
        if {"platform", "custom_currency_id", "offer_currency"} & set(vals):
            self._emag_activate_currency()
        return result

    def _emag_activate_currency(self):
        """A seller selling on eMAG Hungary deals in HUF: make it selectable."""
        for account in self:
            currencies = account.currency_id | account._emag_price_currency()
            currencies.filtered(lambda c: not c.active).sudo().active = True

    # ------------------------------------------------------------------
    # Prices
    # ------------------------------------------------------------------

    def _emag_price_currency(self):
        """The currency offer prices are published in."""
        self.ensure_one()
        if self.offer_currency:
            return self._emag_currency(self.offer_currency)
        return self.currency_id

    def _emag_currency_type(self):
        """The ``currency_type`` offers carry: None in the platform's currency."""
        self.ensure_one()
        if not self.offer_currency:
            return None
        if self.platform in PLATFORMS:
            return offer_currency_type(self.platform, self.offer_currency)
        if self.offer_currency == self.currency_id.name:
            return None
        return self.offer_currency

    def _emag_price_currency_problem(self):
        """Why this account's prices cannot be sent to eMAG, or None: they must
        come from a pricelist in the currency eMAG shows them in."""
        self.ensure_one()
        wanted = self._emag_price_currency()
        have = self.pricelist_id.currency_id or self.company_id.currency_id
        if have == wanted:
            return None
        if self.pricelist_id:
            return _(
                "%(account)s sells in %(wanted)s, but its prices come from the "
                "pricelist %(pricelist)s in %(have)s: set a pricelist in "
                "%(wanted)s on the eMAG account. Prices were not sent to eMAG.",
                account=self.name,
                wanted=wanted.name,
                pricelist=self.pricelist_id.name,
                have=have.name,
            )
        return _(
            "%(account)s sells in %(wanted)s, but without a pricelist its prices "
            "would be the products' sales prices in %(have)s, the company's "
            "currency: set a pricelist in %(wanted)s on the eMAG account. Prices "
            "were not sent to eMAG.",
            account=self.name,
            wanted=wanted.name,
            have=have.name,
        )

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------

    def _emag_order_pricelist(self, code, what):
        """The pricelist of a sale order in the currency ``code``: the
        account's when it is in that currency, else another pricelist of the
        company in it, else none when it is the company's currency (the sale
        order is then in the company's currency). UserError saying what to
        create otherwise; ``what`` names the order in the message."""
        self.ensure_one()
        currency = self._emag_currency(code)
        if self.pricelist_id.currency_id == currency and currency:
            return self.pricelist_id
        pricelist = self.env["product.pricelist"].search(
            [
                *self.env["product.pricelist"]._check_company_domain(self.company_id),
                ("currency_id", "=", currency.id),
            ],
            limit=1,
        )
        if (pricelist and currency.active) or currency == self.company_id.currency_id:
            return pricelist
        raise UserError(
            _(
                "%(what)s is in %(code)s, and %(account)s has no pricelist in "
                "%(code)s: activate the currency %(code)s, create a pricelist in "
                "it (Sales > Products > Pricelists) and set it on the eMAG account, "
                "then retry the order.",
                what=what,
                code=code,
                account=self.name,
            )
        )

    def _emag_cross_border_country(self):
        """The platform's country when it is not the company's fiscal country
        (a Romanian company on eMAG Bulgaria): eMAG charges that country's VAT."""
        self.ensure_one()
        spec = PLATFORMS.get(self.platform)
        if not spec:
            return self.env["res.country"]
        country = self.env.ref(f"base.{spec.country.lower()}")
        if country == self.company_id.account_fiscal_country_id:
            return self.env["res.country"]
        return country

    def _emag_fiscal_position(self):
        """The fiscal position of the sale orders: on another country's
        platform, the company's position for that country (One-Stop-Shop);
        else none, and Odoo's own choice applies."""
        self.ensure_one()
        country = self._emag_cross_border_country()
        if not country:
            return self.env["account.fiscal.position"]
        return self.env["account.fiscal.position"].search(
            [
                *self.env["account.fiscal.position"]._check_company_domain(
                    self.company_id
                ),
                ("country_id", "=", country.id),
            ],
            order="vat_required, sequence, id",
            limit=1,
        )

    def _emag_sale_tax(self, rate, kind="any"):
        """The one tax of an eMAG order line at VAT ``rate`` (0.21 for 21%).

        The account's row for the rate, else the company's own: the destination
        country's One-Stop-Shop tax on another country's platform, a 0% tax for
        0% lines (for SGR deposits, the Romanian chart's tax of non-taxable
        supplies when there is one), else the tax of that rate included in
        price. eMAG's amounts include VAT: the sale order totals what the
        customer pays only with taxes included in price. ``kind``: "any" or
        "deposit". UserError saying what is missing.
        """
        self.ensure_one()
        percent = round(float(rate or 0) * 100, 2)
        rows = self.tax_map_ids.filtered(
            lambda r: not float_compare(r.vat_rate, percent, precision_digits=2)
        )
        row = (
            rows.filtered(lambda r: r.line_kind == kind)[:1]
            or rows.filtered(lambda r: r.line_kind == "any")[:1]
        )
        if row:
            return row.tax_id
        return self._emag_default_tax(percent, kind)

    def _emag_default_tax(self, percent, kind="any"):
        """The company's tax of ``percent`` for eMAG lines (see _emag_sale_tax)."""
        country = self._emag_cross_border_country()
        if country and not float_is_zero(percent, precision_digits=2):
            return self._emag_destination_tax(percent, country)
        return self._emag_domestic_tax(percent, kind)

    def _emag_tax_matches(self, taxes, percent):
        return taxes.filtered(
            lambda t: (
                t.amount_type == "percent"
                and not float_compare(t.amount, percent, precision_digits=2)
                and (t.price_include or float_is_zero(percent, precision_digits=2))
            )
        )

    def _emag_domestic_tax(self, percent, kind="any"):
        company = self.company_id
        if kind == "deposit" and float_is_zero(percent, precision_digits=2):
            deposit = (
                self.env["account.chart.template"]
                .with_company(company)
                .ref(DEPOSIT_TAX_XMLID, raise_if_not_found=False)
            )
            if deposit and deposit.active:
                return deposit
        taxes = self.env["account.tax"].search(
            [
                *self.env["account.tax"]._check_company_domain(company),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("country_id", "=", company.account_fiscal_country_id.id),
            ],
            order="sequence, id",
        )
        tax = self._emag_tax_matches(taxes, percent)[:1]
        if tax:
            return tax
        raise UserError(
            _(
                "No sale tax of %(rate)s%% included in price in %(company)s: "
                "create one (Accounting > Configuration > Taxes, 'Included in "
                "Price') or name the tax of %(rate)s%% on the eMAG account "
                "%(account)s.",
                rate=percent,
                company=company.name,
                account=self.name,
            )
        )

    def _emag_destination_tax(self, percent, country):
        """The tax of ``percent`` of the company's fiscal position for
        ``country`` (what l10n_eu_oss creates: "20% BG VAT")."""
        company = self.company_id
        platform = PLATFORMS[self.platform].name
        position = self._emag_fiscal_position()
        if not position:
            raise UserError(
                _(
                    "%(company)s sells on %(platform)s, where eMAG charges the VAT "
                    "of %(country)s (%(rate)s%%), and has no fiscal position for "
                    "%(country)s: activate the EU One-Stop-Shop taxes (Accounting "
                    "> Settings > Taxes, 'EU Intra-community Distance Selling'), "
                    "or name the tax of %(rate)s%% on the eMAG account %(account)s.",
                    company=company.name,
                    platform=platform,
                    country=country.name,
                    rate=percent,
                    account=self.name,
                )
            )
        taxes = position.tax_ids.tax_dest_id
        tax = self._emag_tax_matches(taxes, percent)[:1]
        if tax:
            return tax
        excluded = taxes.filtered(
            lambda t: not float_compare(t.amount, percent, precision_digits=2)
        )[:1]
        if excluded:
            raise UserError(
                _(
                    "The tax %(tax)s of %(position)s is not included in the price: "
                    "eMAG's prices include VAT. Tick 'Included in Price' on it, or "
                    "name a %(rate)s%% tax included in price on the eMAG account "
                    "%(account)s.",
                    tax=excluded.display_name,
                    position=position.display_name,
                    rate=percent,
                    account=self.name,
                )
            )
        raise UserError(
            _(
                "The fiscal position %(position)s has no %(rate)s%% tax, the VAT "
                "eMAG charged in %(country)s: refresh the One-Stop-Shop taxes "
                "(Accounting > Settings), or name the tax of %(rate)s%% on the "
                "eMAG account %(account)s.",
                position=position.display_name,
                rate=percent,
                country=country.name,
                account=self.name,
            )
        )

    def action_propose_taxes(self):
        """Fill the tax of every eMAG VAT rate of the account (and of SGR
        deposits) with the tax the account would find, for the seller to check."""
        for account in self:
            rates = {round(r * 100, 2) for r in account._emag_known_rates()}
            wanted = [(percent, "any") for percent in sorted(rates)] + [
                (0.0, "deposit")
            ]
            missing = []
            for percent, kind in wanted:
                if account.tax_map_ids.filtered(
                    lambda r, p=percent, k=kind: (
                        r.line_kind == k
                        and not float_compare(r.vat_rate, p, precision_digits=2)
                    )
                ):
                    continue
                try:
                    tax = account._emag_default_tax(percent, kind)
                except UserError as exc:
                    missing.append(str(exc))
                    continue
                self.env["emag.account.tax"].create(
                    {
                        "account_id": account.id,
                        "vat_rate": percent,
                        "line_kind": kind,
                        "tax_id": tax.id,
                    }
                )
            if missing:
                account.message_post(body="\n".join(missing))
        return True

    def _emag_known_rates(self):
        """The VAT rates of the account's eMAG reference data, and 0%."""
        vats = self.env["emag.vat"].search([("account_id", "=", self.id)])
        return {rate_as_fraction(vat.rate) for vat in vats} | {0.0}

    # ------------------------------------------------------------------
    # What the seller must fix
    # ------------------------------------------------------------------

    @api.depends(
        "platform",
        "custom_currency_id",
        "offer_currency",
        "pricelist_id",
        "company_id",
        "tax_map_ids",
    )
    def _compute_money_warning(self):
        for account in self:
            problems = [account._emag_price_currency_problem()]
            currency = account.currency_id
            company = account.company_id
            if not currency.active:
                problems.append(
                    _(
                        "Activate the currency %s (Accounting > Settings).",
                        currency.name,
                    )
                )
            elif currency != company.currency_id and not self.env[
                "res.currency.rate"
            ].search_count(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "in", [company.root_id.id, False]),
                ],
                limit=1,
            ):
                problems.append(
                    _(
                        "Odoo has no exchange rate of %(currency)s in %(company)s: "
                        "eMAG orders in %(currency)s would be booked at 1 "
                        "%(company_currency)s. Add its rates (Accounting > "
                        "Settings > Currencies, automatic rates).",
                        currency=currency.name,
                        company=company.name,
                        company_currency=company.currency_id.name,
                    )
                )
            country = account._emag_cross_border_country()
            if (
                country
                and not account._emag_fiscal_position()
                and not account.tax_map_ids
            ):
                problems.append(
                    _(
                        "eMAG charges the VAT of %(country)s on %(platform)s: "
                        "activate the EU One-Stop-Shop taxes (Accounting > Settings "
                        "> Taxes) or name the taxes on the Taxes tab, or its orders "
                        "stay in exception.",
                        country=country.name,
                        platform=PLATFORMS[account.platform].name,
                    )
                )
            account.money_warning = "\n".join(p for p in problems if p) or False
