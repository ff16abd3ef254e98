"""Small helpers shared by pages that read plain HTML forms and redirect back with a message."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi.responses import RedirectResponse

from fupin.core.errors import Invalid


def redirect_back(url: str, *, error: str | None = None, ok: str | None = None) -> RedirectResponse:
    """303 to `url` with ?error= or ?ok= for the page to show (post/redirect/get)."""
    for key, value in (("error", error), ("ok", ok)):
        if value:
            url += ("&" if "?" in url else "?") + f"{key}=" + quote(value)
    return RedirectResponse(url, status_code=303)


def form_int(form: Any, name: str, default: int | None = None) -> int:
    raw = str(form.get(name) or "").strip()
    if not raw:
        if default is not None:
            return default
        raise Invalid(f"请填写{name}", field=name)
    if not raw.isdigit() or len(raw) > 9:
        raise Invalid(f"“{raw}”不是有效的数字", field=name)
    return int(raw)


def form_date(form: Any, name: str, default: dt.date | None = None) -> dt.date:
    raw = str(form.get(name) or "").strip()
    if not raw and default is not None:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"日期“{raw}”格式应为 YYYY-MM-DD", field=name) from None


def form_text(form: Any, name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None
