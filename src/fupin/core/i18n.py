"""Chinese first, English second: gettext catalogs (Babel .po files) loaded without a build step."""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SUPPORTED_LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"

current_locale: ContextVar[str] = ContextVar("fupin_locale", default=DEFAULT_LOCALE)


@lru_cache
def translations(locale: str) -> NullTranslations:
    """Source strings are Chinese; other locales merge every fupin/web/translations/<locale>/LC_MESSAGES/*.po
    (one file per capability, so capabilities never edit the same catalog)."""
    if locale == DEFAULT_LOCALE or locale not in SUPPORTED_LOCALES:
        return NullTranslations()
    folder = resources.files("fupin.web").joinpath(f"translations/{locale}/LC_MESSAGES")
    merged: Translations | None = None
    for po_file in sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        part = Translations(buffer)
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    return merged or NullTranslations()


def gettext(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


def pick_locale(cookie_value: str | None, accept_language: str | None) -> str:
    if cookie_value in SUPPORTED_LOCALES:
        return cookie_value
    return DEFAULT_LOCALE
