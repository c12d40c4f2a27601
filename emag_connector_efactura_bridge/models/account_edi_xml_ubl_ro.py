from odoo import models

#: Romanian e-Factura identifies a private buyer by their personal numeric
#: code (CNP); a buyer who did not give one is identified by thirteen zeros
UNKNOWN_CNP = "0000000000000"


class AccountEdiXmlUblRo(models.AbstractModel):
    _inherit = "account.edi.xml.ubl_ro"

    def _emag_private_buyer(self, partner):
        """Whether ``partner`` is a person who bought on eMAG and has neither
        a CUI (``vat``) nor a registration number (``company_registry``).

        eMAG companies come with their CUI and registration number (see
        ``res.partner._emag_customer_vals``); eMAG gives no CNP for persons.
        """
        buyer = partner.commercial_partner_id
        return bool(
            buyer.emag_customer_id
            and not buyer.is_company
            and not buyer.vat
            and not buyer.company_registry
        )

    def _get_partner_party_tax_scheme_vals_list(self, partner, role):
        # CIUS-RO puts a buyer's company_registry here when it has no VAT, with
        # the 'NO_VAT' scheme for ids without the RO prefix: the same for the
        # thirteen zeros of a private eMAG buyer
        vals_list = super()._get_partner_party_tax_scheme_vals_list(partner, role)
        if role == "customer" and self._emag_private_buyer(partner):
            vals_list = [
                {"company_id": UNKNOWN_CNP, "tax_scheme_vals": {"id": "NO_VAT"}}
            ]
        return vals_list

    def _get_partner_party_legal_entity_vals_list(self, partner):
        vals_list = super()._get_partner_party_legal_entity_vals_list(partner)
        if self._emag_private_buyer(partner):
            for vals in vals_list:
                vals["company_id"] = UNKNOWN_CNP
        return vals_list

    def _export_invoice_constraints(self, invoice, vals):
        # l10n_ro_edi refuses a buyer without VAT nor Company ID
        # ("ciusro_customer_tax_identifier_required"); a private eMAG buyer is
        # identified by the thirteen zeros written above, as Romanian rules
        # allow for a person who gave no CNP
        constraints = super()._export_invoice_constraints(invoice, vals)
        if self._emag_private_buyer(vals["customer"]):
            constraints.pop("ciusro_customer_tax_identifier_required", None)
        return constraints
