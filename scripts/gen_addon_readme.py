"""Write each addon's README.rst from its readme/ fragments (OCA layout).

python scripts/gen_addon_readme.py          # write the files
python scripts/gen_addon_readme.py --check  # fail if one is out of date
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
)


def md_to_rst(text):
    """The small part of Markdown the fragments use: lists, *em*, `code`, fences."""
    out, in_code = [], False
    for line in text.strip().splitlines():
        if line.startswith("```"):
            in_code = not in_code
            out.extend(["::", ""] if in_code else [""])
            continue
        if in_code:
            out.append("    " + line if line else "")
            continue
        out.append(re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", line))
    return "\n".join(out).strip() + "\n"


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = ["=" * len(title), title, "=" * len(title), ""]
    badge = manifest["license"].replace("-", "--")
    parts += [
        f".. |license| image:: https://img.shields.io/badge/license-{badge}-blue.png",
        "",
        "|license|",
        "",
        manifest["summary"],
        "",
    ]
    for fragment, heading in SECTIONS:
        path = addon / "readme" / fragment
        if not path.exists():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts.append(md_to_rst(path.read_text()))
    return "\n".join(parts)


def main(check=False):
    stale = []
    for manifest in sorted(ROOT.glob("*/__manifest__.py")):
        addon = manifest.parent
        readme = addon / "README.rst"
        text = render(addon)
        if readme.exists() and readme.read_text() == text:
            continue
        stale.append(addon.name)
        if not check:
            readme.write_text(text)
    if check and stale:
        sys.exit(f"README.rst out of date in {', '.join(stale)}: run {__file__}")


if __name__ == "__main__":
    main(check="--check" in sys.argv)
