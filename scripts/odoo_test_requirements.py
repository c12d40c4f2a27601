"""Make sure the Python running Odoo can run this repository's addons.

Run with the Python of the `odoo` command: installs what the addons need and
that Python lacks (their Python dependencies, the OCA queue_job addon, and
websocket-client, which Odoo's browser tests need to drive Chromium).
"""

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(sys.argv[1])
# queue_job 18.0.1.7.0 is the last release that runs on Odoo 18.0 builds
# without odoo.api.private; newer 18.0 builds take the newest 18.0 release.
QUEUE_JOB_LEGACY = "odoo-addon-queue_job==18.0.1.7.0"
QUEUE_JOB = "odoo-addon-queue_job>=18.0,<18.1dev"


def pip_install(*requirements):
    print(f"Installing into {sys.executable}: {' '.join(requirements)}")
    subprocess.check_call(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", *requirements]
    )


def python_requirements():
    wanted = set()
    for manifest in ROOT.glob("*/__manifest__.py"):
        deps = ast.literal_eval(manifest.read_text()).get("external_dependencies", {})
        wanted.update(deps.get("python", []))
    return sorted(wanted)


def main():
    missing = [
        requirement
        for requirement in python_requirements()
        if not importlib.util.find_spec(re.split(r"[<>=!~;\[ ]", requirement)[0])
    ]
    if not importlib.util.find_spec("websocket"):
        # Odoo's browser tests (the tours) drive Chromium through it
        missing.append("websocket-client")
    if missing:
        # with their own dependencies (pydantic needs pydantic-core...)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", *missing])

    import odoo
    from odoo.modules.module import get_module_path, initialize_sys_path
    from odoo.tools import config

    config.parse_config([])
    initialize_sys_path()
    if not get_module_path("queue_job", display_warning=False):
        pip_install(QUEUE_JOB if hasattr(odoo.api, "private") else QUEUE_JOB_LEGACY)


if __name__ == "__main__":
    main()
