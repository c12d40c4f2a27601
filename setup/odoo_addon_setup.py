"""Package one addon of this repository as a pip distribution, OCA style.

The distribution is named ``odoo-addon-<addon>``, installs the addon as
``odoo/addons/<addon>``, takes its version from the manifest, and requires the
Odoo series, the Python packages of ``external_dependencies`` and, for each
addon it depends on that is not part of Odoo itself, that addon's distribution.
"""

import ast
from pathlib import Path

import setuptools

SERIES = "18.0"
#: depends that are not Odoo core addons
NON_CORE = {"queue_job", "emag_connector", "emag_connector_efactura_bridge"}


def setup_addon(setup_dir):
    setup_dir = Path(setup_dir).resolve()
    addon = setup_dir.name
    manifest = ast.literal_eval(
        (setup_dir / "odoo" / "addons" / addon / "__manifest__.py").read_text()
    )
    series_range = f">={SERIES}dev,<{SERIES[:-1]}{int(SERIES[-1]) + 1}dev"
    requires = [f"odoo{series_range}"]
    requires += [
        f"odoo-addon-{dep}{series_range}"
        for dep in manifest.get("depends", [])
        if dep in NON_CORE
    ]
    requires += manifest.get("external_dependencies", {}).get("python", [])
    setuptools.setup(
        name=f"odoo-addon-{addon}",
        version=manifest["version"],
        description=manifest["summary"],
        license=manifest["license"],
        author=manifest["author"],
        python_requires=">=3.10",
        install_requires=requires,
        # every folder of the addon (views, data, static...), not only those
        # with an __init__.py
        packages=setuptools.find_namespace_packages(
            where=".", include=[f"odoo.addons.{addon}*"]
        ),
        package_dir={"": "."},
        include_package_data=True,
        package_data={"": ["*"]},
        zip_safe=False,
    )
