"""Issue 17 item 12 — words, not codes: every page as every role on the demo county, in Chinese, at 360 px.

The pages are discovered from the app's own routes (so a capability's new pages are swept the day they are
merged): every GET page route without a path parameter is a starting point, and the links of each page lead to
the pages with ids (a few of each route per role). Each answer must be a page, never a 5xx, and its visible text
(text nodes, titles, placeholders — not scripts, styles or addresses) must hold no Python value (`None`, `{'…`,
`Decimal(`), no raw code (a status or role such as `exit_proposed` or `village`, any snake_case word, a bare area
code without its name), no English validation or fallback text ("Field required", "no denominator",
`{"detail": "Not Found"}`). A browser part (tests/e2e) checks the same at 360 px on a few pages.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from fastapi.testclient import TestClient

from fupin.accounts.demo import demo_password
from fupin.areas.service import load_package_map
from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.demo import DemoContext, build_demo
from fupin.core.roles import Role
from fupin.core.uow import UnitOfWork
from fupin.web.app import create_app

PER_ROUTE = 2  # concrete pages of one route (one path shape) per role
MAX_PAGES = 160  # per role
SKIP_PREFIXES = ("/api/", "/static/", "/logout", "/lang/", "/login", "/healthz", "/readyz", "/jobs/")
SKIP_SUFFIXES = (".xlsx", ".docx", ".md", ".csv", ".json", ".svg", ".png", ".js", ".css")

PYTHON_VALUES = [
    (re.compile(r"\bNone\b"), "Python None"),
    (re.compile(r"\b(True|False)\b"), "Python bool"),
    (re.compile(r"\{'|'\}|\['|'\]"), "Python dict/list"),
    (re.compile(r"Decimal\(|datetime\.|object at 0x|<fupin\.|Traceback"), "Python repr"),
]
ENGLISH_FALLBACKS = [
    "Field required", "Input should", "field required", "is not a valid", "String should", "ensure this value",
    "Value error", "Extra inputs", "no denominator", "not built yet", "Not Found", '"detail"', "Internal Server",
    "Method Not Allowed", "Unprocessable",
]
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
BARE_AREA_CODE = re.compile(r"^\d{12}$")


def _codes() -> set[str]:
    """Status and role codes that must never be shown as they are."""
    from fupin.industry.rules import ENTITY_KINDS, LINK_KINDS, RUN_STATUSES
    from fupin.monitoring.rules import STATUSES as MONITORING
    from fupin.registry.vocab import HOUSEHOLD_STATUSES
    from fupin.relocation.rules import RELOCATION_STATUSES
    from fupin.services.rules import DUTY_STATUSES, STATUSES, WISH_STATUSES

    codes = {r.value for r in Role} | set(HOUSEHOLD_STATUSES) | set(MONITORING) | set(RELOCATION_STATUSES)
    # the second wave's statuses and kinds: industry, services (incentives' are snake_case or shared words)
    codes |= set(RUN_STATUSES) | set(ENTITY_KINDS) | set(LINK_KINDS) | set(STATUSES) | set(WISH_STATUSES)
    codes |= set(DUTY_STATUSES) | {"closed"}
    codes |= {"proposed", "checked", "publicised", "queued", "running", "done", "failed", "helped", "identified"}
    return codes


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script/style, and title/placeholder/alt/aria-label; each with
    the block (row, list item, paragraph…) it stands in, so that a code beside its name is told from a bare one."""

    ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
    BLOCKS = ("tr", "li", "p", "div", "h1", "h2", "h3", "dd", "dt", "option", "label", "summary", "nav")
    VOID = ("br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[int, str]] = []  # (block number, text)
        self.links: list[str] = []
        self._hidden = 0
        self._stack: list[tuple[str, int]] = [("", 0)]
        self._blocks = 0

    def _block(self) -> int:
        return self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag not in self.VOID:
            if tag in self.BLOCKS:
                self._blocks += 1
                self._stack.append((tag, self._blocks))
            else:
                self._stack.append((tag, self._block()))
        values = dict(attrs)
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.parts.append((self._block(), values[name] or ""))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append((self._block(), data.strip()))


CJK = re.compile(r"[\u4e00-\u9fff]")


def problems_of(html: str, ignore: set[str], codes: set[str]) -> tuple[list[str], list[str]]:
    """(what is wrong with the visible text, the links of the page)."""
    parser = VisibleText()
    parser.feed(html)
    named_blocks = {block for block, part in parser.parts if CJK.search(part)}
    found: list[str] = []
    for block, part in parser.parts:
        text = part
        for word in ignore:
            text = text.replace(word, "")
        for pattern, what in PYTHON_VALUES:
            if pattern.search(text):
                found.append(f"{what}: {part[:80]!r}")
        for phrase in ENGLISH_FALLBACKS:
            if phrase in text:
                found.append(f"English fallback {phrase!r}: {part[:80]!r}")
        for word in SNAKE.findall(text):
            found.append(f"code {word!r}: {part[:80]!r}")
        for word in re.findall(r"\b[a-z]+\b", text):
            if word in codes:
                found.append(f"code {word!r}: {part[:80]!r}")
        if BARE_AREA_CODE.match(text.strip()) and block not in named_blocks:
            found.append(f"area code without its name: {part!r}")
    return found, parser.links


def page_routes() -> list[str]:
    """The GET page routes without a path parameter, from every capability's pages router and the shell's:
    where the crawl starts."""
    from fupin.core.capability import load_capabilities
    from fupin.web import jobs, pages

    routers = [c.pages_router for c in load_capabilities() if c.pages_router is not None]
    routers += [pages.router, pages.placeholder_router, jobs.pages_router]
    seeds = []
    for router in routers:
        for route in router.routes:
            path = getattr(route, "path", "")
            if "GET" not in (getattr(route, "methods", None) or set()) or "{" in path or path.startswith(SKIP_PREFIXES):
                continue
            seeds.append(path)
    return sorted(set(seeds))


def _shape(url: str) -> str:
    path = urlsplit(url).path
    return re.sub(r"/\d+(?=/|$)", "/{n}", re.sub(r"/[0-9a-f]{32}(?=/|$)", "/{h}", path))


@pytest.fixture
def demo_db(db: Database) -> Database:
    """The demo county on each database (SQLite and PostgreSQL: a page can differ by dialect, e.g. a Decimal)."""
    with UnitOfWork(db, Actor.system("sweep")) as uow:
        load_package_map(uow)
    build_demo(DemoContext(db=db, seed=3, households=60))
    return db


def _login(client: TestClient, username: str, password: str) -> None:
    client.cookies.clear()
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf,
                                         "next": "/"}, follow_redirects=False)
    assert answer.status_code == 303, (username, answer.text[:200])


def crawl(client: TestClient, seeds: list[str], ignore: set[str], codes: set[str]
          ) -> tuple[dict[str, list[str]], set[str]]:
    problems: dict[str, list[str]] = {}
    queue = deque(seeds)
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        shape = _shape(url)
        if per_shape.get(shape, 0) >= PER_ROUTE and url not in seeds:
            continue
        per_shape[shape] = per_shape.get(shape, 0) + 1
        answer = client.get(url, follow_redirects=True)
        visited += 1
        if answer.status_code >= 500:
            problems.setdefault(url, []).append(f"{answer.status_code}")
            continue
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        found, links = problems_of(answer.text, ignore, codes)
        if found:
            problems.setdefault(url, []).extend(sorted(set(found)))
        for link in links:
            link = urldefrag(link)[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith(SKIP_PREFIXES):
                continue
            if parts.path.endswith(SKIP_SUFFIXES) or "/files/" in parts.path or "/download" in parts.path:
                continue
            if link not in seen:
                queue.append(link)
    return problems, set(per_shape)


def test_every_page_as_every_role_shows_words_not_codes(demo_db):
    app = create_app(db=demo_db, run_jobs=False)
    seeds = page_routes()
    assert "/" in seeds and "/indicators" in seeds and "/monitoring" in seeds, seeds
    codes = _codes()
    report: list[str] = []
    reached: dict[str, set[str]] = {}
    with demo_db.session_factory() as session:  # user names are data, not codes
        from sqlalchemy import text as sql

        usernames = set(session.scalars(sql("SELECT username FROM users")))
        audited = sorted(set(session.scalars(sql("SELECT DISTINCT entity FROM audit_log"))))
    with TestClient(app) as client:
        client.get("/lang/zh")
        for role in Role:
            username = "admin" if role == Role.admin else f"demo_{role.value}"
            try:
                _login(client, username, demo_password(role.value))
            except AssertionError:
                continue  # the demo has no user of this role
            problems, shapes = crawl(client, seeds, usernames | {"fupin"}, codes)
            reached[role.value] = shapes
            report += [f"{role.value} {url}: {p}" for url, found in problems.items() for p in found]
        # the audit log of every entity the demo wrote, not only the latest fifty entries the crawl sees
        assert len(audited) > 20, audited
        _login(client, "admin", demo_password("admin"))
        for entity in audited:
            page = client.get("/audit", params={"entity": entity})
            found, _links = problems_of(page.text, usernames | {"fupin"}, codes)
            report += [f"admin /audit?entity={entity}: {p}" for p in sorted(set(found))]
    print({role: sorted(shapes) for role, shapes in reached.items()})
    for detail in ("/registry/households/{n}", "/monitoring/{n}", "/relocation/sites/{n}", "/orgs/{n}",
                   "/indicators/records", "/indicators/area-exit", "/monitoring/thresholds", "/audit",
                   "/employment/workers/{n}", "/industry/entities/{n}", "/industry/runs/{n}", "/industry/collective",
                   "/incentives/scorecards/{n}", "/incentives/shops/{n}", "/incentives/redemptions/{n}",
                   "/services/requests/{n}", "/services/wishes", "/services/teams"):
        assert detail in reached["county"], f"the crawl reached no {detail} page"
    assert report == [], f"{len(report)} problems:\n" + "\n".join(report[:3000])


def test_the_sweep_catches_what_it_must():
    """The checks themselves: each kind of defect is caught, and plain Chinese pages pass."""
    codes = _codes()
    ok = '<p>已识别</p><tr><td>北坎村</td><td>530326100200</td></tr><script>var x = {"a": None};</script><a href="/x?status=exited">x</a>'
    assert problems_of(ok, set(), codes)[0] == []
    for bad in ("<p>None</p>", "<td>{'before': 1}</td>", "<td>exit_proposed</td>", "<span>village</span>",
                "<tr><td>530326100200</td><td>3</td></tr>", "<p>分母为0 / no denominator</p>", '<pre>{"detail":"Not Found"}</pre>',
                "<p>Field required</p>", '<input placeholder="Decimal(\'1\')">'):
        assert problems_of(bad, set(), codes)[0], bad


def test_unknown_addresses_answer_in_words_never_the_frameworks_json(sqlite_db):
    """Issue 17 item 12: an unknown URL gets the Chinese error page in a browser (and Chinese JSON under /api,
    which answers programs, or when JSON is asked for) — never `{"detail": "Not Found"}`."""
    codes = _codes()
    with TestClient(create_app(db=sqlite_db, run_jobs=False)) as client:
        for path in ("/nope", "/static/nope.js", "/indicators/zz/yy", "/static/", "/monitoring/thresholds/x/y"):
            page = client.get(path, headers={"accept": "text/html"})
            assert page.status_code == 404 and page.headers["content-type"].startswith("text/html"), path
            assert "找不到页面" in page.text and f"页面不存在:{path}" in page.text
            assert problems_of(page.text, set(), codes)[0] == [], path
            answer = client.get(path, headers={"accept": "application/json"})
            assert answer.json() == {"error": "core.page_not_found", "message": f"页面不存在:{path}"}
        for path in ("/api/v1/nope", "/api/nope"):
            answer = client.get(path, headers={"accept": "text/html"})
            assert answer.status_code == 404 and "detail" not in answer.json()
            assert answer.json()["message"] == f"页面不存在:{path}"
        wrong = client.post("/nope-either", headers={"accept": "text/html"})
        assert wrong.status_code in (404, 405) and "detail" not in wrong.text
