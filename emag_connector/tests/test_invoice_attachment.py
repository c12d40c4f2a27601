from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..tools.urls import is_public_https
from .test_emag_order import EmagOrderCase

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


class EmagInvoiceCase(EmagOrderCase):
    """Invoices of imported eMAG orders, and their PDF stored as Odoo does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the Romanian taxes of the orders need a Romanian fiscal country
        cls.env.company.account_fiscal_country_id = cls.env.ref("base.ro")

    def _order_invoice(self, **order):
        """An eMAG order imported, and its (draft) invoice."""
        seeded = self._seed(**order)
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "done", binding.exception_message)
        invoice = binding.sale_order_id._create_invoices()
        self.assertEqual(invoice.emag_order_id, binding)
        return binding, invoice

    def _pdf_values(self, move, raw=PDF, mimetype="application/pdf"):
        """The attachment Send & Print makes of the PDF (see
        account.move.send._prepare_invoice_pdf_report)."""
        return {
            "name": f"{move.name.replace('/', '_')}.pdf",
            "raw": raw,
            "mimetype": mimetype,
            "res_model": move._name,
            "res_id": move.id,
            "res_field": "invoice_pdf_report_file",
        }

    def _link_pdf(self, move, **kw):
        """Store the PDF the way Send & Print does, once the invoice is posted."""
        self.env["account.move.send"]._link_invoice_documents(
            {move: {"pdf_attachment_values": self._pdf_values(move, **kw)}}
        )

    def _sent_attachments(self):
        return [
            entity
            for call in self.sandbox.calls("order/attachments/save")
            for entity in call.body["data"]
        ]


@tagged("post_install", "-at_install")
class TestInvoiceAttachment(EmagInvoiceCase, HttpCase):
    def test_posted_invoice_with_its_pdf_is_attached(self):
        binding, invoice = self._order_invoice()
        self.env["ir.attachment"].create(self._pdf_values(invoice))
        with trap_jobs() as trap:
            invoice.action_post()
            trap.assert_jobs_count(1, only=invoice._job_emag_attach_invoice)
            # nothing is sent to eMAG while posting
            self.assertFalse(self.sandbox.calls("order/attachments/save"))
            self.assertEqual(invoice.emag_attachment_state, "to_send")
            self._run_jobs(trap)
        (sent,) = self._sent_attachments()
        url = f"{invoice.get_base_url()}/emag/invoice/{invoice.id}/"
        self.assertTrue(sent["url"].startswith(url), sent["url"])
        self.assertEqual(
            {k: sent[k] for k in ("order_id", "order_type", "type", "name")},
            {
                "order_id": binding.emag_order_id,
                "order_type": 3,
                "type": 1,
                "name": invoice.name,
            },
        )
        (stored,) = self.sandbox.attachments[binding.emag_order_id]
        self.assertEqual(stored["url"], sent["url"])
        self.assertEqual(invoice.emag_attachment_state, "attached")
        self.assertTrue(invoice.emag_attachment_date)
        self.assertEqual(binding.invoice_ids, invoice)

        # eMAG downloads exactly the stored PDF from that URL
        response = self.url_open(sent["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertEqual(response.content, PDF)
        self.assertEqual(response.content, invoice.invoice_pdf_report_id.raw)

        # attached already: the job does not call eMAG again
        with trap_jobs() as trap:
            invoice._emag_enqueue_attachment()
            trap.assert_jobs_count(0)
            invoice.with_delay()._job_emag_attach_invoice()
            self._run_jobs(trap)
        self.assertEqual(len(self.sandbox.calls("order/attachments/save")), 1)

        # "Send to eMAG again" sends the same URL, asking eMAG to download it
        with trap_jobs() as trap:
            invoice.action_emag_attach_invoice()
            self._run_jobs(trap)
        first, again = self._sent_attachments()
        self.assertEqual(again["url"], first["url"])
        self.assertEqual((first["force_download"], again["force_download"]), (0, 1))
        self.assertEqual(len(self.sandbox.attachments[binding.emag_order_id]), 1)

    def test_wrong_token_or_no_pdf_is_not_found(self):
        _binding, invoice = self._order_invoice()
        invoice.action_post()
        self._link_pdf(invoice)
        url = invoice._emag_invoice_url()
        token = url.rsplit("/", 1)[1]
        self.assertEqual(self.url_open(url).content, PDF)
        self.assertEqual(
            self.url_open(f"/emag/invoice/{invoice.id}/{token[:-1]}x").status_code,
            404,
        )
        self.assertEqual(
            self.url_open(f"/emag/invoice/{invoice.id + 1000}/{token}").status_code,
            404,
        )
        invoice.invoice_pdf_report_id.unlink()
        invoice.invalidate_recordset(["invoice_pdf_report_id"])
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_invoice_without_pdf_waits_then_is_attached_when_printed(self):
        binding, invoice = self._order_invoice()
        with trap_jobs() as trap:
            invoice.action_post()
            trap.assert_jobs_count(0)
        self.assertEqual(invoice.emag_attachment_state, "waiting_pdf")
        self.assertEqual(
            dict(invoice._fields["emag_attachment_state"].selection)["waiting_pdf"],
            "Waiting for the invoice PDF",
        )
        self.assertEqual(binding.invoice_ids.emag_attachment_state, "waiting_pdf")
        # the hourly cron finds nothing to send yet, and never renders a PDF
        with trap_jobs() as trap:
            self.env["account.move"]._cron_emag_attach_invoices()
            trap.assert_jobs_count(0)
        self.assertFalse(invoice.invoice_pdf_report_id)

        with trap_jobs() as trap:
            self._link_pdf(invoice)
            trap.assert_jobs_count(1, only=invoice._job_emag_attach_invoice)
            self._run_jobs(trap)
        (sent,) = self._sent_attachments()
        self.assertEqual(sent["name"], invoice.name)
        self.assertEqual(invoice.emag_attachment_state, "attached")

    def test_cron_attaches_a_pdf_stored_another_way(self):
        _binding, invoice = self._order_invoice()
        invoice.action_post()
        self.env["ir.attachment"].create(self._pdf_values(invoice))
        invoice.invalidate_recordset(["invoice_pdf_report_id"])
        with trap_jobs() as trap:
            self.env["account.move"]._cron_emag_attach_invoices()
            trap.assert_jobs_count(1, only=invoice._job_emag_attach_invoice)
            self._run_jobs(trap)
        self.assertEqual(invoice.emag_attachment_state, "attached")

    def test_credit_note_is_attached_too(self):
        binding, invoice = self._order_invoice()
        invoice.action_post()
        with trap_jobs() as trap:
            self._link_pdf(invoice)
            self._run_jobs(trap)
        refund = invoice._reverse_moves()
        self.assertEqual(refund.emag_order_id, binding)
        refund.action_post()
        self.assertEqual(refund.emag_attachment_state, "waiting_pdf")
        with trap_jobs() as trap:
            self._link_pdf(refund)
            self._run_jobs(trap)
        self.assertEqual(refund.emag_attachment_state, "attached")
        first, second = self._sent_attachments()
        self.assertEqual((second["type"], second["name"]), (1, refund.name))
        self.assertNotEqual(first["url"], second["url"])
        self.assertEqual(len(self.sandbox.attachments[binding.emag_order_id]), 2)
        self.assertEqual(binding.invoice_ids, invoice | refund)

    def test_a_document_that_is_not_a_pdf_is_refused_before_calling(self):
        _binding, invoice = self._order_invoice()
        invoice.action_post()
        with trap_jobs() as trap:
            self._link_pdf(invoice, raw=b"not a pdf", mimetype="text/plain")
            self._run_jobs(trap)
        self.assertFalse(self.sandbox.calls("order/attachments/save"))
        self.assertEqual(invoice.emag_attachment_state, "error")
        self.assertIn("only accepts PDF", invoice.emag_attachment_message)
        self.assertIn("text/plain", invoice.emag_attachment_message)

    def test_refused_by_emag_stays_visible_with_its_message(self):
        binding, invoice = self._order_invoice()
        binding.order_type = "2"  # not the type eMAG knows: eMAG refuses
        invoice.action_post()
        with trap_jobs() as trap:
            self._link_pdf(invoice)
            self._run_jobs(trap)
        self.assertEqual(len(self.sandbox.calls("order/attachments/save")), 1)
        self.assertFalse(self.sandbox.attachments.get(binding.emag_order_id))
        self.assertEqual(invoice.emag_attachment_state, "error")
        self.assertIn("eMAG refused the invoice", invoice.emag_attachment_message)
        self.assertIn("order_type", invoice.emag_attachment_message)
        # the cron does not retry a refusal; the button does
        with trap_jobs() as trap:
            self.env["account.move"]._cron_emag_attach_invoices()
            trap.assert_jobs_count(0)
            binding.order_type = "3"
            invoice.action_emag_attach_invoice()
            self._run_jobs(trap)
        self.assertEqual(invoice.emag_attachment_state, "attached")
        self.assertFalse(invoice.emag_attachment_message)

    def test_name_is_cut_to_sixty_characters(self):
        _binding, invoice = self._order_invoice()
        invoice.action_post()
        self._link_pdf(invoice)
        invoice.name = "F" * 70
        entity, problems = invoice._emag_attachment_payload("https://odoo.example/x")
        self.assertFalse(problems)
        self.assertEqual(entity["name"], "F" * 60)

    def test_base_url_warning(self):
        param = self.env["ir.config_parameter"]
        for url, public in (
            ("https://erp.example.ro", True),
            ("https://erp.example.ro:8443/", True),
            ("http://erp.example.ro", False),
            ("https://localhost:8069", False),
            ("https://127.0.0.1", False),
            ("https://10.1.2.3", False),
            ("https://192.168.1.10:8069", False),
            ("https://172.16.0.5", False),
            ("https://odoo", False),
            ("https://[::1]:8069", False),
            ("https://[2a00:1450:4001:80b::200e]", True),
            ("", False),
        ):
            with self.subTest(url=url):
                self.assertEqual(is_public_https(url), public)
        param.set_param("web.base.url", "http://192.168.1.10:8069")
        self.account.invalidate_recordset(["invoice_url_warning"])
        self.assertIn("public HTTPS", self.account.invoice_url_warning)
        param.set_param("web.base.url", "https://erp.example.ro")
        self.account.invalidate_recordset(["invoice_url_warning"])
        self.assertFalse(self.account.invoice_url_warning)
