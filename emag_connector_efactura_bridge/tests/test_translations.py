from pathlib import Path

from odoo.tests.common import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

MODULE = "emag_connector_efactura_bridge"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_of_the_bridge_is_in_the_romanian_catalog(self):
        terms = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=[MODULE])
            )
            if module == MODULE
        }
        ro_po = Path(__file__).resolve().parent.parent / "i18n" / "ro.po"
        with ro_po.open("rb") as po_file:
            catalog = {entry["src"]: entry["value"] for entry in PoFileReader(po_file)}
        self.assertTrue(terms)
        self.assertEqual(sorted(terms - set(catalog)), [], "terms missing in ro.po")
