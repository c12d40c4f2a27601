from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.emag_connector.tests.test_invoice_attachment import EmagInvoiceCase
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestEfacturaBridge(EmagInvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.write(
            {
                "street": "Strada Memorandumului 28",
                "city": "Cluj-Napoca",
                "zip": "400114",
                "state_id": cls.env.ref("base.RO_CJ").id,
                "vat": "RO18547290",
            }
        )
        # the seller's bank account, on every invoice (BR-61)
        cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.env.company.partner_id.id,
                "acc_number": "RO49AAAA1B31007593840000",
                "allow_out_payment": True,
            }
        )

    def _posted_with_pdf(self, **order):
        """An eMAG order's invoice, posted and printed: ready but for e-Factura."""
        binding, invoice = self._order_invoice(**order)
        invoice.action_post()
        with trap_jobs() as trap:
            self._link_pdf(invoice)
            jobs = len(trap.enqueued_jobs)
        return binding, invoice, jobs

    def _efactura(self, invoice, state, **values):
        """What l10n_ro_edi records of an answer of ANAF."""
        with trap_jobs() as trap:
            self.env["l10n_ro_edi.document"].create(
                {"invoice_id": invoice.id, "state": state, **values}
            )
            self._run_jobs(trap)

    def test_policy_posted_attaches_as_without_the_bridge(self):
        self.assertEqual(self.account.efactura_attach_policy, "posted")
        binding, invoice = self._order_invoice()
        invoice.action_post()
        self.assertFalse(invoice.l10n_ro_edi_state)
        with trap_jobs() as trap:
            self._link_pdf(invoice)
            trap.assert_jobs_count(1)
            self._run_jobs(trap)
        self.assertEqual(invoice.emag_attachment_state, "attached")
        self.assertEqual(len(self.sandbox.attachments[binding.emag_order_id]), 1)

    def test_policy_validated_waits_for_anaf(self):
        self.account.efactura_attach_policy = "validated"
        binding, invoice, jobs = self._posted_with_pdf()
        self.assertEqual(jobs, 0)
        self.assertEqual(invoice.emag_attachment_state, "waiting_efactura")
        self._efactura(invoice, "invoice_sent", key_loading="5001")
        self.assertEqual(invoice.l10n_ro_edi_state, "invoice_sent")
        self.assertEqual(invoice.emag_attachment_state, "waiting_efactura")
        self.assertFalse(self.sandbox.calls("order/attachments/save"))

        self._efactura(invoice, "invoice_validated", key_loading="5001")
        self.assertEqual(invoice.emag_attachment_state, "attached")
        (call,) = self.sandbox.calls("order/attachments/save")
        self.assertEqual(call.body["data"][0]["order_id"], binding.emag_order_id)
        self.assertEqual(len(self.sandbox.attachments[binding.emag_order_id]), 1)
        self.assertEqual(binding.emag_efactura_state, "Validated")
        self.assertEqual(binding.emag_invoice_id, invoice)
        self.assertTrue(binding.emag_invoice_attached_date)

    def test_policy_sent_attaches_once_sent(self):
        self.account.efactura_attach_policy = "sent"
        _binding, invoice, jobs = self._posted_with_pdf()
        self.assertEqual((jobs, invoice.emag_attachment_state), (0, "waiting_efactura"))
        self._efactura(invoice, "invoice_sent", key_loading="5002")
        self.assertEqual(invoice.emag_attachment_state, "attached")
        self.assertEqual(len(self.sandbox.calls("order/attachments/save")), 1)

    def test_the_cron_attaches_what_waited_for_efactura(self):
        self.account.efactura_attach_policy = "validated"
        _binding, invoice, _jobs = self._posted_with_pdf()
        with trap_jobs() as trap:  # the job enqueued here is lost
            self.env["l10n_ro_edi.document"].create(
                {"invoice_id": invoice.id, "state": "invoice_validated"}
            )
            trap.assert_jobs_count(1)
        self.assertEqual(invoice.emag_attachment_state, "to_send")
        with trap_jobs() as trap:
            self.env["account.move"]._cron_emag_attach_invoices()
            trap.assert_jobs_count(1, only=invoice._job_emag_attach_invoice)
            self._run_jobs(trap)
        self.assertEqual(invoice.emag_attachment_state, "attached")

    def test_rejected_invoices_are_listed(self):
        self.account.efactura_attach_policy = "validated"
        binding, invoice, _jobs = self._posted_with_pdf()
        _other_binding, accepted, _jobs = self._posted_with_pdf()
        self._efactura(
            invoice, "invoice_sending_failed", message="BR-RO-100: invalid buyer"
        )
        self._efactura(accepted, "invoice_validated")
        self.assertTrue(invoice.emag_efactura_rejected)
        self.assertFalse(accepted.emag_efactura_rejected)
        self.assertEqual(invoice.emag_attachment_state, "waiting_efactura")
        self.assertTrue(binding.emag_efactura_rejected)
        action = self.env.ref(
            "emag_connector_efactura_bridge.action_emag_efactura_rejected"
        )
        listed = self.env["account.move"].search(
            safe_eval(action.domain) + [("emag_efactura_rejected", "=", True)]
        )
        self.assertEqual(listed, invoice)
        not_rejected = self.env["account.move"].search(
            [
                ("emag_efactura_rejected", "=", False),
                ("id", "in", (invoice | accepted).ids),
            ]
        )
        self.assertEqual(not_rejected, accepted)

        # sent again and validated: no longer rejected, and attached
        self._efactura(invoice, "invoice_validated")
        self.assertFalse(invoice.emag_efactura_rejected)
        self.assertEqual(invoice.emag_attachment_state, "attached")

    def test_sequence_of_an_order(self):
        binding, invoice = self._order_invoice()
        picking = binding.sale_order_id.picking_ids
        self.assertFalse(binding.emag_delivery_date)
        with trap_jobs():  # what the delivery does on eMAG is not this test's
            picking.move_ids.quantity = 1
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        binding.invalidate_recordset()
        self.assertEqual(binding.emag_delivery_date, picking.date_done)
        self.assertFalse(binding.emag_invoice_id)
        invoice.action_post()
        binding.invalidate_recordset()
        self.assertEqual(binding.emag_invoice_id, invoice)
        self.assertEqual(binding.emag_invoice_date, invoice.invoice_date)
        self.assertEqual(
            binding.emag_invoice_attachment_state, "Waiting for the invoice PDF"
        )

    def _ciusro_problems(self, invoice):
        # as account.edi.xml.ubl_20._export_invoice calls it
        builder = self.env["account.edi.xml.ubl_ro"].with_context(
            convert_fixed_taxes=True
        )
        vals = builder._export_invoice_vals(invoice)
        constraints = builder._export_invoice_constraints(invoice, vals)
        return {key: message for key, message in constraints.items() if message}

    def test_ciusro_checks_pass_for_a_company(self):
        customer = dict(
            self.sandbox.seed_orders([{"products": [self._line(101, "10")]}])[0][
                "customer"
            ],
            legal_entity=1,
            company="Firma Test SRL",
            code="18547290",
            is_vat_payer=1,
            registration_number="J40/123/2020",
        )
        _binding, invoice = self._order_invoice(customer=customer)
        invoice.action_post()
        buyer = invoice.commercial_partner_id
        self.assertEqual(
            (buyer.vat, buyer.company_registry), ("RO18547290", "J40/123/2020")
        )
        self.assertEqual(self._ciusro_problems(invoice), {})

    def test_ciusro_checks_pass_with_an_sgr_deposit_and_a_zero_rated_product(self):
        _binding, invoice = self._order_invoice(
            shipping_tax="0",
            products=[
                self._line(
                    103,
                    "20.6612",
                    recycle_warranties=[
                        {
                            "quantity": 6,
                            "sale_price": 0.5,
                            "vat_rate": 0,
                            "product_name": "Taxa SGR plastic",
                        }
                    ],
                ),
                self._line(102, "30.0000", vat="0"),
            ],
        )
        invoice.action_post()
        # 25.00 water, 6 x 0.50 deposit, a book at 0%
        self.assertEqual(invoice.amount_total, 25 + 3 + 30)
        for line in invoice.invoice_line_ids:
            self.assertEqual(len(line.tax_ids), 1, line.name)
        self.assertEqual(self._ciusro_problems(invoice), {})
        xml, errors = self.env["account.edi.xml.ubl_ro"]._export_invoice(invoice)
        self.assertFalse(errors)
        tree = etree.fromstring(xml)
        lines = tree.findall("{*}InvoiceLine")
        self.assertEqual(len(lines), 3)
        for line in lines:
            self.assertEqual(len(line.findall("{*}Item/{*}ClassifiedTaxCategory")), 1)

    def test_ciusro_checks_pass_for_a_person(self):
        _binding, invoice = self._order_invoice()
        invoice.action_post()
        buyer = invoice.commercial_partner_id
        self.assertFalse(buyer.is_company or buyer.vat or buyer.company_registry)
        self.assertEqual(self._ciusro_problems(invoice), {})
        builder = self.env["account.edi.xml.ubl_ro"]
        (legal,) = builder._get_partner_party_legal_entity_vals_list(buyer)
        self.assertEqual(legal["company_id"], "0000000000000")
        # the check still applies to a person who is not an eMAG customer
        buyer.emag_customer_id = False
        self.assertIn(
            "ciusro_customer_tax_identifier_required", self._ciusro_problems(invoice)
        )
