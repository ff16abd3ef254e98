"""Extract the Chinese source strings of every template and capability title into the English catalog.

    python scripts/i18n.py            # update src/fupin/web/translations/en/LC_MESSAGES/messages.po
    python scripts/i18n.py --check    # exit 1 when a string has no English translation

Existing translations are kept; new strings are added empty, strings no longer used are dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "fupin"
PO_PATH = PACKAGE / "web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def source_messages() -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    method_map = [("**/templates/**.html", "jinja2")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map, options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((filename, lineno))
    sys.path.insert(0, str(ROOT / "src"))
    from fupin.core.capability import load_capabilities

    for capability in load_capabilities():
        for text in (capability.title_zh, capability.summary_zh):
            found.setdefault(text, []).append((f"{capability.name}/plugin.py", 0))
    return found


def main() -> int:
    messages = source_messages()
    old = Catalog(locale="en")
    if PO_PATH.exists():
        with PO_PATH.open("rb") as handle:
            old = read_po(handle, locale="en")
    if "--check" in sys.argv:
        missing = [m for m in messages if not (old.get(m) and old.get(m).string)]
        for message in missing:
            print(f"untranslated: {message}")
        return 1 if missing else 0
    catalog = Catalog(locale="en", project="fupin", charset="utf-8")
    for message, locations in sorted(messages.items()):
        previous = old.get(message)
        catalog.add(message, previous.string if previous else "", locations=locations)
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    with PO_PATH.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)
    untranslated = sum(1 for m in catalog if m.id and not m.string)
    print(f"{len(messages)} strings, {untranslated} untranslated -> {PO_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
