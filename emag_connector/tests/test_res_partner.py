from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase

from ..emag_api.sandbox.seed import customer_defaults


class TestEmagPartner(TransactionCase):
    """eMAG customers (§5.1.2) become a customer partner with an invoice and a
    delivery address, found again on the next orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["emag.account"].create(
            {
                "name": "eMAG RO",
                "platform": "emag_ro",
                "username": "seller",
                "password": "secret",
            }
        )
        cls.Partner = cls.env["res.partner"]
        cls.romania = cls.env.ref("base.ro")

    def _order(self, order_id=1001, details=None, **customer):
        data = customer_defaults(order_id)
        data["id"] = data["mkt_id"] = 4001001  # the same eMAG customer
        data.update(customer)
        return {
            "id": order_id,
            "customer": data,
            "details": dict(
                {"locker_id": None, "locker_name": None}, **(details or {})
            ),
        }

    def _b2b(self, **customer):
        values = {
            "legal_entity": 1,
            "is_vat_payer": 1,
            "company": "Client Firma SRL",
            "code": "RO 12345678",
            "registration_number": "J40/372/2002",
            "bank": "Banca Exemplu",
            "iban": "RO24BACX0000000031430310",
        }
        values.update(customer)
        return self._order(**values)

    def test_b2c_customer_and_addresses(self):
        customer, invoice, delivery = self.Partner._emag_partners(
            self.account, self._order()
        )
        self.assertFalse(customer.is_company)
        self.assertEqual(customer.name, "Ion Popescu")
        self.assertEqual(customer.emag_customer_id, str(4001001))
        self.assertEqual(customer.company_id, self.account.company_id)
        self.assertFalse(customer.email, "eMAG's email is a hash, not an address")
        self.assertFalse(customer.vat)
        self.assertEqual(customer.phone, "0722123456")
        for address, kind in ((invoice, "invoice"), (delivery, "delivery")):
            self.assertEqual(address.type, kind)
            self.assertEqual(address.parent_id, customer)
            self.assertEqual(address.street, "Strada Exemplu 1")
            self.assertEqual(address.city, "Sector 1")
            self.assertEqual(address.zip, "010011")
            self.assertEqual(address.country_id, self.romania)
            self.assertEqual(address.state_id, self.env.ref("base.RO_B"))
            self.assertEqual(address.phone, "0722123456")
            self.assertFalse(address.email)
        self.assertEqual(delivery.name, "Ion Popescu")
        self.assertFalse(delivery.emag_locker_id)
        self.assertNotEqual(invoice, delivery)

    def test_b2b_vat_payer(self):
        customer, invoice, _delivery = self.Partner._emag_partners(
            self.account, self._b2b()
        )
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.name, "Client Firma SRL")
        self.assertEqual(customer.vat, "RO12345678")
        self.assertEqual(customer.company_registry, "J40/372/2002")
        self.assertEqual(invoice.commercial_partner_id, customer)
        self.assertEqual(invoice.vat, "RO12345678")
        self.assertEqual(len(customer.bank_ids), 1)
        self.assertEqual(customer.bank_ids.acc_number, "RO24BACX0000000031430310")
        self.assertEqual(customer.bank_ids.bank_id.name, "Banca Exemplu")

    def test_b2b_not_vat_payer(self):
        customer = self.Partner._emag_partners(
            self.account, self._b2b(is_vat_payer=0, code="RO12345678", iban=None)
        )[0]
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.vat, "12345678")
        self.assertFalse(customer.bank_ids)

    def test_b2b_company_name_falls_back_to_name(self):
        customer = self.Partner._emag_partners(
            self.account, self._b2b(company=None, name="Firma Fara Nume")
        )[0]
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.name, "Firma Fara Nume")

    def test_iban_bank_account_created_once(self):
        bank_count = self.env["res.bank"].search_count([])
        customer = self.Partner._emag_partners(self.account, self._b2b())[0]
        again = self.Partner._emag_partners(
            self.account, self._b2b(bank="BANCA EXEMPLU")
        )[0]
        self.assertEqual(again, customer)
        self.assertEqual(len(customer.bank_ids), 1)
        self.assertEqual(self.env["res.bank"].search_count([]), bank_count + 1)

    def test_county_mapping(self):
        cases = {
            "Cluj": "base.RO_CJ",
            "Județul Argeș": "base.RO_AG",
            "Judetul Arges": "base.RO_AG",
            "BRASOV": "base.RO_BV",
            "Constanţa": "base.RO_CT",  # cedilla, not comma below
            "Caras-Severin": "base.RO_CS",
            "Bistrita Nasaud": "base.RO_BN",
            "Bucuresti": "base.RO_B",
            "București": "base.RO_B",
            "Municipiul Bucuresti": "base.RO_B",
        }
        for order_id, (county, xmlid) in enumerate(cases.items(), start=2000):
            invoice, delivery = self.Partner._emag_partners(
                self.account,
                self._order(order_id, billing_suburb=county, shipping_suburb=county),
            )[1:]
            self.assertEqual(invoice.state_id, self.env.ref(xmlid), county)
            self.assertEqual(delivery.state_id, self.env.ref(xmlid), county)
        unknown = self.Partner._emag_partners(
            self.account, self._order(2100, billing_suburb="Atlantida")
        )[1]
        self.assertFalse(unknown.state_id)
        self.assertEqual(unknown.country_id, self.romania)

    def test_country_fallback_to_platform(self):
        bulgaria = self.env.ref("base.bg")
        account_bg = self.env["emag.account"].create(
            {
                "name": "eMAG BG",
                "platform": "emag_bg",
                "username": "seller",
                "password": "secret",
            }
        )
        invoice, delivery = self.Partner._emag_partners(
            account_bg,
            self._order(billing_country=None, shipping_country="", shipping_suburb=""),
        )[1:]
        self.assertEqual(invoice.country_id, bulgaria)
        self.assertEqual(delivery.country_id, bulgaria)
        named = self.Partner._emag_partners(
            self.account, self._order(1002, billing_country="Romania")
        )[1]
        self.assertEqual(named.country_id, self.romania)

    def test_locker_delivery(self):
        locker = "dce0b7cf-dc38-11e8-a7d8-001a4a160153"
        customer, invoice, delivery = self.Partner._emag_partners(
            self.account,
            self._order(
                details={"locker_id": locker, "locker_name": "easybox eMAG Showroom"}
            ),
        )
        self.assertEqual(delivery.emag_locker_id, locker)
        self.assertIn("easybox eMAG Showroom", f"{delivery.name} {delivery.street2}")
        self.assertFalse(invoice.emag_locker_id)
        # the next order to the customer's home is not sent to the locker
        home = self.Partner._emag_partners(self.account, self._order(1002))[2]
        self.assertNotEqual(home, delivery)
        self.assertFalse(home.emag_locker_id)
        self.assertEqual(home.parent_id, customer)

    def test_reimport_finds_partner_and_updates_phone(self):
        customer, invoice, delivery = self.Partner._emag_partners(
            self.account, self._order()
        )
        newer = self._order(
            1002,
            phone_1="0733000111",
            billing_phone="0733000111",
            shipping_phone="0733000222",
            modified="2025-02-01 10:00:00",
        )
        again = self.Partner._emag_partners(self.account, newer)
        self.assertEqual(again, (customer, invoice, delivery))
        self.assertEqual(customer.phone, "0733000111")
        self.assertEqual(invoice.phone, "0733000111")
        self.assertEqual(delivery.phone, "0733000222")
        # data older than what the partner holds does not overwrite it
        older = self._order(1003, phone_1="0700000000", modified="2024-12-01 10:00:00")
        self.assertEqual(self.Partner._emag_partners(self.account, older)[0], customer)
        self.assertEqual(customer.phone, "0733000111")
        self.assertEqual(
            self.Partner.search_count([("emag_customer_id", "=", str(4001001))]), 1
        )

    def test_no_duplicate_child_contacts(self):
        customer = self.Partner._emag_partners(self.account, self._order())[0]
        for order_id in (1002, 1003):
            self.Partner._emag_partners(self.account, self._order(order_id))
        self.assertEqual(len(customer.child_ids), 2)
        self.assertEqual(
            sorted(customer.child_ids.mapped("type")), ["delivery", "invoice"]
        )
        # a new shipping address is a new delivery contact, the old one stays
        moved = self.Partner._emag_partners(
            self.account, self._order(1004, shipping_street="Bulevardul Nou 5")
        )
        self.assertEqual(moved[2].street, "Bulevardul Nou 5")
        self.assertEqual(len(customer.child_ids), 3)

    def test_person_and_company_of_same_customer_are_distinct(self):
        person = self.Partner._emag_partners(self.account, self._order())[0]
        company = self.Partner._emag_partners(self.account, self._b2b())[0]
        self.assertNotEqual(person, company)
        self.assertFalse(person.is_company)
        self.assertEqual(company.vat, "RO12345678")

    def test_two_companies_do_not_share_partners(self):
        other_company = self.env["res.company"].create({"name": "Other Seller"})
        other_account = (
            self.env["emag.account"]
            .with_company(other_company)
            .create(
                {
                    "name": "eMAG RO other",
                    "platform": "emag_ro",
                    "username": "other",
                    "password": "secret",
                    "company_id": other_company.id,
                }
            )
        )
        mine = self.Partner._emag_partners(self.account, self._order())
        theirs = self.Partner._emag_partners(other_account, self._order())
        self.assertEqual(theirs[0].emag_customer_id, mine[0].emag_customer_id)
        for own, other in zip(mine, theirs, strict=True):
            self.assertNotEqual(own, other)
        self.assertEqual(theirs[0].company_id, other_company)
        self.assertEqual(set(theirs[1:]).pop().company_id, other_company)
        self.assertEqual(
            self.Partner._emag_partners(other_account, self._order(1002))[0],
            theirs[0],
        )

    def test_malformed_customer_refused(self):
        partner_count = self.Partner.search_count([])
        with self.assertRaisesRegex(UserError, "eMAG order 1001 has no customer"):
            self.Partner._emag_partners(self.account, {"id": 1001, "customer": None})
        with self.assertRaisesRegex(UserError, "eMAG order 1002 has no customer"):
            self.Partner._emag_partners(self.account, {"id": 1002})
        with self.assertRaisesRegex(
            UserError, "eMAG order 1003 has neither a name nor a company name"
        ):
            self.Partner._emag_partners(
                self.account, self._order(1003, name="", company=None)
            )
        self.assertEqual(self.Partner.search_count([]), partner_count)

    def test_reimport_takes_a_handful_of_queries(self):
        self.Partner._emag_partners(self.account, self._b2b())
        self.env.flush_all()
        self.env.invalidate_all()
        count0 = self.cr.sql_log_count
        self.Partner._emag_partners(
            self.account, self._b2b(modified="2025-03-01 10:00:00")
        )
        self.env.flush_all()
        # with a cold cache: account, country, states, the customer's lock and
        # the check that no other worker committed its partners meanwhile,
        # customer search and read, children, users, bank accounts, one
        # update; no query per state
        self.assertLessEqual(self.cr.sql_log_count - count0, 18)
