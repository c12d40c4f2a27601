import copy
import json

from pydantic import ValidationError

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from ..emag_api.schemas import Category, ProductOfferSave
from .common import EmagSandboxCase

SANDBOX_STATE = (
    "categories",
    "vats",
    "handling_times",
    "courier_accounts",
    "addresses",
    "localities",
)


class StubClient:
    """A client answering with the shapes a test gives, counting the calls."""

    def __init__(self, categories=(), category=None, **answers):
        self.categories = list(categories)
        self.category = category or {}
        self.answers = answers
        self.category_reads = []

    def read_categories(self, **filters):
        yield from self.categories

    def read_category(self, category_id, values_page=1, values_per_page=256):
        self.category_reads.append((category_id, values_page))
        answer = self.category.get(category_id)
        return answer(values_page) if callable(answer) else answer

    def __getattr__(self, name):
        if name.startswith("read_") and name in self.answers:
            return lambda: self.answers[name]
        raise AttributeError(name)


class TestReferenceData(EmagSandboxCase):
    def setUp(self):
        super().setUp()
        saved = {
            name: copy.deepcopy(getattr(self.sandbox, name)) for name in SANDBOX_STATE
        }

        def restore():
            for name, value in saved.items():
                setattr(self.sandbox, name, value)

        self.addCleanup(restore)
        self.client = self.account._emag_client()

    def _records(self, model, **kw):
        return (
            self.env[model]
            .with_context(active_test=kw.pop("active_test", True))
            .search([("account_id", "=", self.account.id)])
        )

    def _category_reads(self):
        """(category id or None for a list read, values page) of each call."""
        return [
            (data.get("id"), data.get("valuesCurrentPage"))
            for data in (
                (r.body or {}).get("data") or {}
                for r in self.sandbox.calls("category/read")
            )
        ]

    # ------------------------------------------------------------------ VAT

    def test_vat_import_update_and_removal(self):
        Vat = self.env["emag.vat"]
        self.assertEqual(Vat._emag_import(self.account, self.client), 3)
        vats = self._records("emag.vat")
        self.assertEqual(
            sorted((v.emag_id, v.rate, v.is_default, v.name) for v in vats),
            [(1, 0.21, True, "21%"), (2, 0.11, False, "11%"), (3, 0.0, False, "0%")],
        )
        self.assertEqual(vats.company_id, self.account.company_id)
        self.assertEqual(Vat._emag_find(self.account, 21).emag_id, 1)
        self.assertEqual(Vat._emag_find(self.account, 0.11).emag_id, 2)
        self.assertFalse(Vat._emag_find(self.account, 0.19))
        standard = Vat._emag_find(self.account, 0.21)

        self.sandbox.seed_vats(
            [
                {"vat_id": 1, "vat_rate": 0.19, "is_default": 1},
                {"vat_id": 4, "vat_rate": "0.09", "is_default": 0},
            ]
        )
        self.assertEqual(Vat._emag_import(self.account, self.client), 2)
        vats = self._records("emag.vat")
        self.assertEqual(sorted(vats.mapped("name")), ["19%", "9%"])
        self.assertIn(standard, vats, "updated in place, same record")
        self.assertEqual(standard.rate, 0.19)
        archived = self._records("emag.vat", active_test=False) - vats
        self.assertEqual(sorted(archived.mapped("emag_id")), [2, 3])
        self.assertFalse(Vat._emag_find(self.account, 0.11))

        # a rate eMAG sends again is restored, not duplicated
        self.sandbox.seed_vats([{"vat_id": 2, "vat_rate": 0.11}], replace=False)
        Vat._emag_import(self.account, self.client)
        self.assertEqual(len(self._records("emag.vat", active_test=False)), 4)
        self.assertEqual(Vat._emag_find(self.account, 0.11).emag_id, 2)

    def test_vat_unexpected_shapes(self):
        # an object keyed by position instead of a list, unknown and missing keys
        self.sandbox.vats = {
            "0": {"vat_id": 7, "vat_rate": 0.21, "is_default": "true", "new_key": 1},
            "1": {"vat_rate": 0.05},
            "2": "garbage",
        }
        self.assertEqual(
            self.env["emag.vat"]._emag_import(self.account, self.client), 1
        )
        vat = self._records("emag.vat")
        self.assertEqual((vat.emag_id, vat.is_default, vat.name), (7, True, "21%"))

    # ------------------------------------------------------- handling times

    def test_handling_time_import(self):
        HandlingTime = self.env["emag.handling.time"]
        self.assertEqual(HandlingTime._emag_import(self.account, self.client), 6)
        self.assertEqual(
            self._records("emag.handling.time").mapped("value"), [0, 1, 2, 3, 4, 5]
        )
        self.assertEqual(self._records("emag.handling.time")[1].display_name, "1 day")

        # bare numbers are accepted too; values no longer sent are archived
        self.sandbox.handling_times = [2, "3", {"value": 10}, None]
        self.assertEqual(HandlingTime._emag_import(self.account, self.client), 3)
        self.assertEqual(
            self._records("emag.handling.time").mapped("value"), [2, 3, 10]
        )
        self.assertEqual(len(self._records("emag.handling.time", active_test=False)), 7)

    # ----------------------------------------------------- courier accounts

    def test_courier_account_import(self):
        Courier = self.env["emag.courier.account"]
        self.assertEqual(Courier._emag_import(self.account, self.client), 2)
        sameday, fan = self._records("emag.courier.account").sorted("emag_id")
        self.assertEqual(
            (sameday.emag_id, sameday.name, sameday.courier_name),
            (5186, "Sameday - cont principal", "Sameday"),
        )
        self.assertEqual(sameday.courier_account_type, "3")
        self.assertEqual(sameday.courier_account_properties, "0,2")
        self.assertTrue(sameday.property_regular and sameday.property_lockers)
        self.assertFalse(sameday.property_offices or sameday.property_bpo)
        self.assertTrue(sameday._emag_has_property(2))
        self.assertEqual(
            (sameday.emag_status, sameday.pickup_country_code), ("1", "RO")
        )
        self.assertEqual(json.loads(sameday.raw)["created"], "2024-01-10 10:00:00")
        self.assertFalse(fan.property_lockers)

        self.sandbox.seed_courier_accounts(
            [
                {
                    "account_id": 5186,
                    "account_display_name": "Sameday lockers",
                    "courier_account_type": 2,
                    "courier_name": "Sameday",
                    "courier_account_properties": [2],
                    "status": 0,
                },
                {  # unknown type, properties as objects, keys missing
                    "account_id": 9001,
                    "courier_account_type": 77,
                    "courier_account_properties": {"0": {"id": 6, "name": "Offices"}},
                    "brand_new_key": {"x": 1},
                },
            ]
        )
        self.assertEqual(Courier._emag_import(self.account, self.client), 2)
        couriers = self._records("emag.courier.account").sorted("emag_id")
        self.assertEqual(couriers.mapped("emag_id"), [5186, 9001])
        self.assertEqual(couriers[0], sameday)
        self.assertEqual(sameday.name, "Sameday lockers")
        self.assertEqual(sameday.courier_account_type, "2")
        self.assertEqual(sameday.emag_status, "0")
        self.assertFalse(sameday.property_regular)
        self.assertTrue(sameday.property_lockers)
        new = couriers[1]
        self.assertFalse(new.courier_account_type)
        self.assertTrue(new.property_offices)
        self.assertEqual(new.display_name, "9001")
        self.assertFalse(fan.active)

    # ------------------------------------------------------------ addresses

    def test_address_import(self):
        Address = self.env["emag.address"]
        self.assertEqual(Address._emag_import(self.account, self.client), 2)
        pickup, ret = self._records("emag.address").sorted("address_id")
        self.assertEqual(
            (pickup.address_id, pickup.address_type_id, pickup.locality_id),
            ("1001", "2", 8801),
        )
        self.assertEqual(ret.address_type_id, "1")
        self.assertEqual(
            (pickup.country_code, pickup.suburb, pickup.city, pickup.zipcode),
            ("RO", "Bucuresti", "Sector 3", "030000"),
        )
        self.assertEqual(pickup.address, "Strada Depozitului 10")
        self.assertTrue(pickup.is_default)
        self.assertFalse(pickup.quarter)

        self.sandbox.seed_addresses(
            [
                dict(self.sandbox.addresses[0], city="Sector 4", is_default=False),
                {"address_id": 2001, "address_type_id": 3, "is_default": "true"},
                {"address_type_id": 2, "city": "no id, unusable"},
            ]
        )
        self.assertEqual(Address._emag_import(self.account, self.client), 2)
        addresses = self._records("emag.address").sorted("address_id")
        self.assertEqual(addresses.mapped("address_id"), ["1001", "2001"])
        self.assertEqual(addresses[0], pickup)
        self.assertEqual(pickup.city, "Sector 4")
        self.assertFalse(pickup.is_default)
        self.assertEqual(addresses[1].address_type_id, "3")
        self.assertTrue(addresses[1].is_default)
        self.assertFalse(ret.active)

    # ----------------------------------------------------------- categories

    def test_category_import_only_allowed_get_characteristics(self):
        Category_ = self.env["emag.category"]
        self.assertEqual(Category_._emag_import(self.account, self.client), 3)
        categories = self._records("emag.category")
        by_id = {c.emag_id: c for c in categories}
        self.assertEqual(sorted(by_id), [506, 1800, 2735])
        audio, tv, shoes = by_id[506], by_id[1800], by_id[2735]
        self.assertEqual(
            (audio.name, audio.parent_emag_id, audio.is_allowed),
            ("Casti audio", 12, True),
        )
        self.assertTrue(audio.is_ean_mandatory and audio.is_warranty_mandatory)
        self.assertFalse(tv.is_allowed)
        # the list read, then one read per allowed category, none for 1800
        self.assertEqual(
            sorted(self._category_reads(), key=str),
            sorted([(None, None), (506, 1), (2735, 1)], key=str),
        )
        self.assertFalse(tv.characteristic_ids)
        self.assertFalse(tv.characteristics_date)
        self.assertTrue(audio.characteristics_date)

        tip, color = audio.characteristic_ids.sorted("display_order")
        self.assertEqual((tip.emag_id, tip.name, tip.type_id), (38, "Tip", "11"))
        self.assertTrue(tip.is_mandatory and tip.is_filter)
        self.assertFalse(tip.allow_new_value)
        self.assertEqual(tip.allowed_values, "In-ear\nOn-ear\nOver-ear")
        self.assertEqual(tip.value_count, 3)
        self.assertTrue(color.allow_new_value)
        self.assertEqual(color.value_count, 4)
        self.assertEqual(tip.account_id, self.account)
        self.assertEqual(tip.company_id, self.account.company_id)
        size = shoes.characteristic_ids
        self.assertEqual((size.emag_id, size.type_id), (6506, "60"))
        self.assertEqual(size.tags, "original,converted")
        self.assertEqual(size.value_count, 12)
        self.assertEqual(json.loads(audio.family_types)[0]["id"], 95)

    def test_category_template_validates_offers(self):
        Category_ = self.env["emag.category"]
        Category_._emag_import(self.account, self.client)
        audio = Category_._emag_find(self.account, 506)
        template = audio._emag_template()
        self.assertEqual(
            {k: template[k] for k in ("id", "name", "is_allowed", "is_ean_mandatory")},
            {"id": 506, "name": "Casti audio", "is_allowed": 1, "is_ean_mandatory": 1},
        )
        self.assertEqual(
            template["characteristics"][0],
            {
                "id": 38,
                "name": "Tip",
                "type_id": 11,
                "display_order": 1,
                "is_mandatory": 1,
                "is_filter": 1,
                "allow_new_value": 0,
                "tags": [],
                "values": ["In-ear", "On-ear", "Over-ear"],
            },
        )
        parsed = Category.model_validate(template)
        self.assertEqual(parsed.characteristic(44).value_list[0], "Negru")
        self.assertEqual(
            parsed.family_types[0].characteristics[0].characteristic_id, 44
        )
        shoes = Category.model_validate(
            Category_._emag_find(self.account, 2735)._emag_template()
        )
        self.assertEqual(shoes.characteristic(6506).tags, ["original", "converted"])

        offer = {
            "id": 1,
            "category_id": 506,
            "name": "Casti",
            "part_number": "SKU1",
            "brand": "Demo",
            "status": 1,
            "sale_price": 10,
            "min_sale_price": 5,
            "max_sale_price": 20,
            "vat_id": 1,
            "stock": [{"warehouse_id": 1, "value": 1}],
            "ean": ["5941234567890"],
            "warranty": 24,
            "characteristics": [{"id": 38, "value": "In-ear"}],
        }
        ProductOfferSave.model_validate(offer, context={"category": template})
        with self.assertRaisesRegex(ValidationError, "mandatory characteristic"):
            ProductOfferSave.model_validate(
                dict(offer, characteristics=[{"id": 44, "value": "Negru"}]),
                context={"category": template},
            )

    def test_category_values_beyond_one_page(self):
        values = [f"Model {n:03d}" for n in range(300)]
        self.sandbox.seed_categories(
            [
                {
                    "id": 9000,
                    "name": "Telefoane",
                    "is_allowed": 1,
                    "characteristics": [
                        {"id": 77, "name": "Model", "values": values},
                        {"id": 78, "name": "Culoare", "values": ["Negru", "Alb"]},
                    ],
                }
            ]
        )
        self.env["emag.category"]._emag_import(self.account, self.client)
        category = self.env["emag.category"]._emag_find(self.account, 9000)
        model = category.characteristic_ids.filtered(lambda c: c.emag_id == 77)
        self.assertEqual(model.value_count, 300)
        self.assertEqual(model.allowed_values.splitlines(), values)
        self.assertEqual(
            category.characteristic_ids.filtered(lambda c: c.emag_id == 78).value_count,
            2,
        )
        self.assertEqual(
            len(category._emag_template()["characteristics"][0]["values"]), 300
        )
        # 1 list read + 1 read for each of 506 and 2735 + 2 value pages for 9000
        self.assertEqual(self.sandbox.call_count("category/read"), 5)
        self.assertEqual(
            [page for cid, page in self._category_reads() if cid == 9000], [1, 2]
        )

    def test_category_reimport_updates_and_removes(self):
        Category_ = self.env["emag.category"]
        Category_._emag_import(self.account, self.client)
        audio = Category_._emag_find(self.account, 506)
        shoes = Category_._emag_find(self.account, 2735)
        tip = audio.characteristic_ids.filtered(lambda c: c.emag_id == 38)
        size = shoes.characteristic_ids

        audio_data = copy.deepcopy(self.sandbox.categories[506])
        audio_data["name"] = "Casti"
        audio_data["characteristics"] = [  # 44 removed, 38 changed, 50 added
            dict(audio_data["characteristics"][0], values=["In-ear", "Over-ear"]),
            {"id": 50, "name": "Conectivitate", "values": ["Bluetooth"]},
        ]
        self.sandbox.seed_categories(
            [audio_data, {"id": 1800, "name": "Televizoare", "is_allowed": 0}],
            replace=True,
        )
        self.sandbox.reset_log()
        self.assertEqual(Category_._emag_import(self.account, self.client), 2)
        self.assertEqual(audio.name, "Casti")
        self.assertEqual(sorted(audio.characteristic_ids.mapped("emag_id")), [38, 50])
        self.assertIn(tip, audio.characteristic_ids, "updated in place, same record")
        self.assertEqual(tip.allowed_values, "In-ear\nOver-ear")
        self.assertEqual(tip.value_count, 2)
        # a category eMAG no longer lists is archived and loses its characteristics
        self.assertFalse(shoes.active)
        self.assertFalse(size.exists())
        self.assertEqual(self._category_reads().count((506, 1)), 1)

        # a category that is no longer allowed loses its characteristics
        self.sandbox.seed_categories([dict(audio_data, is_allowed=0)])
        self.sandbox.reset_log()
        Category_._emag_import(self.account, self.client)
        self.assertFalse(audio.is_allowed)
        self.assertFalse(audio.characteristic_ids)
        self.assertFalse(audio.characteristics_date)
        self.assertEqual(self._category_reads(), [(None, None)])

    def test_category_unexpected_shapes(self):
        """Objects keyed by position instead of lists, unknown types and keys,
        missing keys: imported as far as they make sense."""
        client = StubClient(
            categories=[
                {"id": 31, "name": "Odd", "is_allowed": "1", "unknown": [1]},
                {"name": "no id"},
                "garbage",
                {"id": 32},
            ],
            category={
                31: {
                    "id": 31,
                    "characteristics": {
                        "0": {
                            "id": 5,
                            "name": "Marime",
                            "type_id": 99,
                            "values": {"0": "S", "3": "M", "7": {"value": "L"}},
                            "tags": "original",
                            "surprise": True,
                        },
                        "1": {"name": "no id"},
                    },
                    "family_types": {"0": {"id": 3, "name": "Marime"}},
                },
            },
        )
        self.assertEqual(
            self.env["emag.category"]._emag_import(self.account, client), 2
        )
        odd = self.env["emag.category"]._emag_find(self.account, 31)
        self.assertTrue(odd.is_allowed)
        self.assertEqual(
            self.env["emag.category"]._emag_find(self.account, 32).name, "32"
        )
        self.assertEqual(client.category_reads, [(31, 1)])
        size = odd.characteristic_ids
        self.assertEqual(
            (size.emag_id, size.type_id, size.tags), (5, False, "original")
        )
        self.assertEqual(size.allowed_values, "S\nM\nL")
        template = odd._emag_template()
        self.assertEqual(template["family_types"][0]["id"], 3)
        self.assertIsNone(template["characteristics"][0]["type_id"])
        Category.model_validate(template)

    def test_category_value_pages_stop_when_emag_ignores_paging(self):
        first = [f"v{n}" for n in range(256)]
        client = StubClient(
            categories=[{"id": 40, "name": "Loop", "is_allowed": 1}],
            category={
                40: lambda page: {
                    "id": 40,
                    "characteristics": [{"id": 1, "name": "X", "values": first}],
                }
            },
        )
        self.env["emag.category"]._emag_import(self.account, client)
        self.assertEqual(client.category_reads, [(40, 1), (40, 2)])
        category = self.env["emag.category"]._emag_find(self.account, 40)
        self.assertEqual(category.characteristic_ids.value_count, 256)

    # ----------------------------------------------------------- localities

    def test_locality_lookup_calls_emag_once(self):
        Locality = self.env["emag.locality"]
        found = Locality._emag_lookup(self.account, "Cluj-Napoca", region="Cluj")
        self.assertEqual(len(found), 1)
        self.assertEqual(
            (
                found.emag_id,
                found.name,
                found.region,
                found.zipcode,
                found.country_code,
            ),
            (9312, "Cluj-Napoca", "Cluj", "400001", "RO"),
        )
        self.assertEqual(self.sandbox.call_count("locality/read"), 1)
        data = self.sandbox.calls("locality/read")[0].body["data"]
        self.assertEqual((data["name"], data["region2"]), ("Cluj-Napoca", "Cluj"))
        again = Locality._emag_lookup(self.account, "cluj-napoca", region="CLUJ")
        self.assertEqual(again, found)
        self.assertEqual(self.sandbox.call_count("locality/read"), 1)
        self.assertEqual(len(self._records("emag.locality")), 1)

        # the Latin name finds the cached locality written with diacritics
        iasi = Locality._emag_lookup(self.account, "Iasi", country_code="ro")
        self.assertEqual((iasi.emag_id, iasi.name), (10234, "Iaşi"))
        self.assertEqual(Locality._emag_lookup(self.account, "Iaşi"), iasi)
        self.assertEqual(Locality._emag_lookup(self.account, "Iasi"), iasi)
        self.assertEqual(self.sandbox.call_count("locality/read"), 2)

        self.assertFalse(Locality._emag_lookup(self.account, "Atlantida"))
        self.assertEqual(self.sandbox.call_count("locality/read"), 3)
        self.assertFalse(Locality._emag_lookup(self.account, "  "))
        self.assertEqual(self.sandbox.call_count("locality/read"), 3)

    def test_locality_lookup_by_a_user_fills_the_cache(self):
        user = new_test_user(
            self.env, login="emag_ref_user", groups="emag_connector.group_emag_user"
        )
        account = self.account.with_user(user)
        found = (
            self.env["emag.locality"].with_user(user)._emag_lookup(account, "Brasov")
        )
        self.assertEqual(found.emag_id, 12004)
        self.assertEqual(found.env.user, user)

    # --------------------------------------------------------------- access

    def test_access_and_multi_company(self):
        self.env["emag.vat"]._emag_import(self.account, self.client)
        other_company = self.env["res.company"].create({"name": "Other company"})
        # with_company: the defaults of the account (warehouse...) in that company
        other_account = (
            self.env["emag.account"]
            .with_company(other_company)
            .create(
                {
                    "name": "eMAG other",
                    "platform": "custom",
                    "api_url": self.sandbox.base_url,
                    "username": "seller",
                    "password": "secret",
                    "company_id": other_company.id,
                }
            )
        )
        self.env["emag.vat"]._emag_import(other_account, other_account._emag_client())
        user = new_test_user(
            self.env, login="emag_ref_user2", groups="emag_connector.group_emag_user"
        )
        self.assertEqual(user.company_ids, self.account.company_id)
        visible = self.env["emag.vat"].with_user(user).search([])
        self.assertEqual(len(visible), 3)
        self.assertEqual(visible.account_id, self.account)
        with self.assertRaises(AccessError):
            visible[0].write({"rate": 0.5})
