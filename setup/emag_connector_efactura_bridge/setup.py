import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from odoo_addon_setup import setup_addon

setup_addon(Path(__file__).resolve().parent)
