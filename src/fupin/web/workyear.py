"""The working year (工作年度): every page opens on the same year.

It is `FUPIN_WORK_YEAR` (0: the current calendar year) until the user picks another one — in the area picker, or
with any page's year field (`?year=`) — which is then kept for the browser session (a session cookie). A page
reads it with `work_year(request)`; `templating.render` keeps a year asked for in the address.
"""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import Response

from fupin.core.settings import get_settings

WORK_YEAR_COOKIE = "fupin_year"
YEAR_MIN, YEAR_MAX = 2000, 2100


def parse_year(raw: object) -> int | None:
    text = str(raw or "").strip()
    if text.isdigit() and YEAR_MIN <= int(text) <= YEAR_MAX:
        return int(text)
    return None


def default_work_year() -> int:
    configured = get_settings().work_year
    return configured if YEAR_MIN <= configured <= YEAR_MAX else dt.date.today().year


def work_year(request: Request) -> int:
    """The year of this page: asked for in the address, else the session's, else the configured work year."""
    return (parse_year(request.query_params.get("year")) or parse_year(request.cookies.get(WORK_YEAR_COOKIE))
            or default_work_year())


def year_choices(current: int) -> list[int]:
    """The years offered by the picker: 2013 (建档立卡) to next year, and the current one whatever it is."""
    last = max(dt.date.today().year + 1, current)
    return sorted({*range(2013, last + 1), current}, reverse=True)


def keep(request: Request, response: Response, year: int | None = None) -> None:
    """Keep `year` (else the year asked for in the address) as the session's working year."""
    year = year or parse_year(request.query_params.get("year"))
    if year is not None and parse_year(request.cookies.get(WORK_YEAR_COOKIE)) != year:
        response.set_cookie(WORK_YEAR_COOKIE, str(year), httponly=True, samesite="lax")
