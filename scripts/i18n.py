"""Extract the Chinese source strings of every template and capability title into the English catalogs.

    python scripts/i18n.py            # update src/fupin/web/translations/en/LC_MESSAGES/<package>.po
    python scripts/i18n.py --check    # exit 1 when a string has no English translation

One catalog per capability package (`registry.po`, `orgs.po`, …) and `messages.po` for the web shell, so that
work on two capabilities never edits the same file. Existing translations are kept wherever they were.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "fupin"
PO_DIR = PACKAGE / "web" / "translations" / "en" / "LC_MESSAGES"
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _catalog_name(relative_path: str) -> str:
    top = relative_path.split("/", 1)[0]
    return "messages" if top in ("web", "core") else top


def source_messages() -> dict[str, dict[str, list[tuple[str, int]]]]:
    """{catalog name: {message: locations}}; a message used by several packages goes to the first one."""
    found: dict[str, dict[str, list[tuple[str, int]]]] = {}
    owner: dict[str, str] = {}  # message -> the one catalog that holds it
    method_map = [("**/templates/**.html", "jinja2")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map, options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        if not isinstance(message, str) or not message:
            continue
        package = _catalog_name(filename)
        # Used by one package only: that package's catalog; used by several: the shell's.
        if message in owner and owner[message] != package:
            package = "messages"
        previous = owner.get(message)
        if previous is not None and previous != package:
            found[package] = found.get(package, {})
            found[package][message] = found.get(previous, {}).pop(message, []) + found[package].get(message, [])
        owner[message] = package
        found.setdefault(package, {}).setdefault(message, []).append((filename, lineno))
    seen = set(owner)
    sys.path.insert(0, str(ROOT / "src"))
    from fupin.core.capability import load_capabilities

    for capability in load_capabilities():
        for text in (capability.title_zh, capability.summary_zh):
            if text not in seen:
                found.setdefault(capability.name, {}).setdefault(text, []).append((f"{capability.name}/plugin.py", 0))
                seen.add(text)
    # A message found in several catalogs is kept in the shell's catalog only.
    for name, messages in list(found.items()):
        if name != "messages":
            for message in list(messages):
                if message in found.get("messages", {}):
                    del messages[message]
    return found


def existing_translations() -> dict[str, str]:
    known: dict[str, str] = {}
    for po_file in sorted(PO_DIR.glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale="en"):
                if message.id and message.string:
                    known[str(message.id)] = str(message.string)
    return known


def main() -> int:
    catalogs = source_messages()
    known = existing_translations()
    if "--check" in sys.argv:
        missing = sorted(m for messages in catalogs.values() for m in messages if not known.get(m))
        for message in missing:
            print(f"untranslated: {message}")
        return 1 if missing else 0
    PO_DIR.mkdir(parents=True, exist_ok=True)
    for stale in PO_DIR.glob("*.po"):
        if stale.stem not in catalogs:
            stale.unlink()
    total_missing = 0
    for name, messages in sorted(catalogs.items()):
        # A fixed date keeps re-extraction from touching files whose messages did not change.
        catalog = Catalog(locale="en", project="fupin", charset="utf-8", creation_date=FIXED_DATE,
                          revision_date=FIXED_DATE)
        for message, locations in sorted(messages.items()):
            catalog.add(message, known.get(message, ""), locations=locations)
            total_missing += 0 if known.get(message) else 1
        with (PO_DIR / f"{name}.po").open("wb") as handle:
            write_po(handle, catalog, width=0, sort_output=True, include_lineno=False)
    print(f"{sum(len(m) for m in catalogs.values())} strings in {len(catalogs)} catalogs, {total_missing} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
