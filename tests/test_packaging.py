"""Repository rules that need no Odoo: layout, packaging, purity of emag_api."""

import ast
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("emag_connector", "emag_connector_efactura_bridge")
EMAG_API = ROOT / "emag_connector" / "emag_api"


def test_emag_api_never_imports_odoo():
    offenders = []
    for path in EMAG_API.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}"
                for n in names
                if n.split(".")[0] == "odoo"
            ]
    assert offenders == []


def test_emag_api_imports_without_odoo():
    code = (
        "import sys\n"
        "import emag_connector.emag_api.client, emag_connector.emag_api.schemas\n"
        "import emag_connector.emag_api.status, emag_connector.emag_api.sandbox\n"
        "assert not [m for m in sys.modules if m == 'odoo' or m.startswith('odoo.')]\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert manifest["license"] == "AGPL-3"
    assert manifest["installable"]
    for fragment in ("DESCRIPTION.md", "CONTRIBUTORS.md"):
        assert (ROOT / addon / "readme" / fragment).exists()
    for data in manifest.get("data", []):
        assert (ROOT / addon / data).exists(), data


def test_bridge_depends_on_the_connector_and_l10n_ro_edi():
    manifest = ast.literal_eval(
        (ROOT / "emag_connector_efactura_bridge" / "__manifest__.py").read_text()
    )
    assert set(manifest["depends"]) >= {"emag_connector", "l10n_ro_edi"}


def po_entries(path):
    """msgid -> msgstr of a .po/.pot file (multi-line strings joined)."""
    entries, key, current = {}, None, None
    for line in path.read_text().splitlines() + [""]:
        if line.startswith("msgid "):
            key, current = "msgid", [ast.literal_eval(line[6:])]
            msgid = current
        elif line.startswith("msgstr "):
            key, current = "msgstr", [ast.literal_eval(line[7:])]
            msgstr = current
        elif line.startswith('"') and key:
            current.append(ast.literal_eval(line))
        elif key == "msgstr":
            entries["".join(msgid)] = "".join(msgstr)
            key = None
    entries.pop("", None)
    return entries


#: terms written the same in Romanian (the OCA format leaves their msgstr empty)
SAME_IN_ROMANIAN = {
    "%(name)s: %(error)s",
    "429",
    "A4",
    "A5",
    "A6",
    "AWB",
    "AWB (%s)",
    "BPO",
    "Boolean",
    "CIUS RO",
    "Card",
    "Contact",
    "Diagnostic",
    "EAN",
    "EUR",
    "PLN",
    "eMAG",
    "eMAG Bulgaria",
    "eMAG Marketplace",
    "e-Factura",
    "isError",
    "Fashion Days Bulgaria",
    "ID",
    "MultiDeals",
    "Numeric",
    "OK",
    "Part Number Key",
    "RMA",
    "Smart Deals",
    "Total",
    "Transfer",
    "Voucher",
}


@pytest.mark.parametrize("addon", ADDONS)
def test_every_term_of_the_template_is_translated_to_romanian(addon):
    i18n = ROOT / addon / "i18n"
    template = po_entries(i18n / f"{addon}.pot")
    romanian = po_entries(i18n / "ro.po")
    assert template, "empty translation template"
    assert sorted(set(template) - set(romanian)) == [], "untranslated terms"
    assert sorted(set(romanian) - set(template)) == [], "obsolete terms"
    untranslated = {m for m in template if not romanian[m]}
    assert sorted(untranslated - SAME_IN_ROMANIAN) == []


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_builds_as_an_oca_style_distribution(addon, tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT / "setup", source / "setup", symlinks=True)
    for name in ADDONS:
        shutil.copytree(
            ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(source / "setup" / addon),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob(f"odoo_addon_{addon}-18.0.*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    assert f"odoo/addons/{addon}/__manifest__.py" in names
    assert f"odoo/addons/{addon}/static/description/icon.png" in names
    requires = re.findall(r"^Requires-Dist: (.+)$", metadata, re.MULTILINE)
    assert "odoo<18.1dev,>=18.0dev" in requires
    if addon == "emag_connector":
        assert "odoo/addons/emag_connector/views/emag_account_views.xml" in names
        assert "odoo/addons/emag_connector/emag_api/sandbox/core.py" in names
        assert {"pydantic<3,>=2", "requests>=2.25"} <= set(requires)
        assert "odoo-addon-queue_job<18.1dev,>=18.0dev" in requires
    else:
        assert "odoo-addon-emag_connector<18.1dev,>=18.0dev" in requires
