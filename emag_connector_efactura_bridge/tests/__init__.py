from . import test_efactura_bridge, test_translations
