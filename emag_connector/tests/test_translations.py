from pathlib import Path

from odoo.tests.common import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_of_the_module_is_in_the_romanian_catalog(self):
        """The terms Odoo finds in the module (views, fields, menus, _() calls)
        all have a Romanian translation, so the .pot and ro.po are up to date."""
        terms = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=["emag_connector"])
            )
            if module == "emag_connector"
        }
        ro_po = Path(__file__).resolve().parent.parent / "i18n" / "ro.po"
        with ro_po.open("rb") as po_file:
            catalog = {entry["src"]: entry["value"] for entry in PoFileReader(po_file)}
        self.assertTrue(terms)
        self.assertEqual(sorted(terms - set(catalog)), [], "terms missing in ro.po")
        # which terms may keep an empty msgstr (names written the same in
        # Romanian) is checked without Odoo, in tests/test_packaging.py
