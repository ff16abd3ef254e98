"""For each role that sees personal data masked, nothing it can reach gives it away (issue 12).

The demo county is crawled as the grid leader, the two clerks and the auditor: every page reachable by links
from the home page and the navigation, every JSON read of the API (path ids taken from the demo's records),
every file those pages link to (CSV and .xlsx read as text), and everything fupin logs meanwhile. No answer may
contain a full ID number, a full phone number (the grid leader sees phones: it calls its households), or the
birth date of a person whose masked ID number it shows.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import zipfile
from collections import deque
from urllib.parse import urldefrag

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from fupin.accounts.demo import demo_password
from fupin.areas.service import load_package_map
from fupin.core.audit import Actor
from fupin.core.db import Database
from fupin.core.demo import DemoContext, build_demo
from fupin.core.personal_data import PersonalField, mask_id_number, sees_in_full
from fupin.core.uow import UnitOfWork
from fupin.web.app import create_app

MASKED_ROLES = ["grid", "entity_clerk", "shop_clerk", "auditor"]
MAX_PAGES = 450
SKIP = ("/logout", "/lang/", "/static/", "/api/docs", "/account/tokens")
PARAM_TABLES = {"household_id": "households", "person_id": "persons"}


@pytest.fixture(scope="module")
def county(tmp_path_factory, sqlite_template):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("sweep") / "sweep.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    with UnitOfWork(database, Actor.system("sweep")) as uow:
        load_package_map(uow)
    ctx = build_demo(DemoContext(db=database, seed=7, households=80))
    from fupin.accounts.service import create_user

    usernames = {login.username for login in ctx.logins}
    with UnitOfWork(database, Actor.system("sweep")) as uow:
        if "demo_entity_clerk" not in usernames:
            create_user(uow, username="demo_entity_clerk", password=demo_password("entity_clerk"),
                        role="entity_clerk", area_code=ctx.county_code, entity_id=1)
        if "demo_shop_clerk" not in usernames:
            create_user(uow, username="demo_shop_clerk", password=demo_password("shop_clerk"), role="shop_clerk",
                        area_code=ctx.facts["first_township_code"], shop_id=1)
    yield database
    database.dispose()


def _personal_values(database: Database) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """Every ID number and phone number stored anywhere, and the birth dates shown per masked ID."""
    ids: set[str] = set()
    phones: set[str] = set()
    births: dict[str, set[str]] = {}
    with database.engine.connect() as conn:
        inspector = inspect(conn)
        for table in inspector.get_table_names():
            columns = {c["name"] for c in inspector.get_columns(table)}
            if "id_number" in columns:
                birth = "birth_date" if "birth_date" in columns else "NULL"
                for number, born in conn.execute(text(f'SELECT id_number, {birth} FROM "{table}"')):
                    if number and len(number) >= 15:
                        ids.add(number)
                        if born:
                            day = str(born)[:10]
                            y, m, d = day.split("-")
                            births.setdefault(mask_id_number(number), set()).update(
                                {day, f"{y}年{int(m)}月{int(d)}日", f"{y}/{m}/{d}"})
            for column in columns & {"phone", "contact_phone", "mobile"}:
                phones |= {p for (p,) in conn.execute(text(f'SELECT "{column}" FROM "{table}"')) if p and len(p) >= 7}
    return ids, phones, births


def _texts(response) -> str:  # type: ignore[no-untyped-def]
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind or response.content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(response.content)) as book:
                return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist()
                                 if n.endswith(".xml"))
        except zipfile.BadZipFile:
            return ""
    if "wordprocessingml" in kind:
        return _texts(type("R", (), {"headers": {}, "content": response.content})())
    return response.content.decode("utf-8", "replace")


def _api_urls(client: TestClient, headers: dict[str, str], database: Database) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    urls = []
    with database.engine.connect() as conn:
        ids = {param: [r for (r,) in conn.execute(text(f'SELECT id FROM "{table}" ORDER BY id LIMIT 3'))]
               for param, table in PARAM_TABLES.items()}
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.endswith("/files/{file_id}"):
            continue
        params = re.findall(r"{(\w+)}", path)
        if not params:
            urls.append(path)
        elif len(params) == 1 and params[0] in ids:
            urls += [path.replace(f"{{{params[0]}}}", str(v)) for v in ids[params[0]]]
    return urls


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_a_masked_role_never_sees_what_the_mask_hides(county, role, caplog):
    ids, phones, births = _personal_values(county)
    assert ids and births, "the demo county must hold personal data for this test to mean anything"
    check_phones = not sees_in_full(role, PersonalField.phone)
    leaks: list[str] = []

    def check(where: str, body: str) -> None:
        for number in ids:
            if number in body or number.lower() in body:
                leaks.append(f"{where}: full ID number {number[:6]}…")
                break
        if check_phones:
            for phone in phones:
                if phone in body:
                    leaks.append(f"{where}: full phone {phone[:3]}…")
                    break
        # "Beside": within the same row or record — 400 characters either side of where the masked ID is shown
        # (a visit on the same day elsewhere on the page is not the person's birth date).
        for found in re.finditer(r"\d{6}\*{7,10}[0-9Xx]{2}", body):
            near = body[max(0, found.start() - 400):found.end() + 400]
            for day in births.get(found.group(), ()):
                if day in near:
                    leaks.append(f"{where}: birth date {day} beside the masked ID {found.group()}")

    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(db=county, run_jobs=True)) as client:
        username = f"demo_{role}"
        token = client.post("/api/v1/auth/token", json={"username": username, "password": demo_password(role)})
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        assert client.post("/login", data={"username": username, "password": demo_password(role),
                                           "csrf_token": csrf, "next": "/"}).status_code == 200
        seen: set[str] = set()
        queue = deque(["/"] + [c for c in ("/registry", "/orgs", "/pairing", "/employment", "/relocation",
                                             "/monitoring", "/indicators", "/audit", "/jobs", "/areas")])
        while queue and len(seen) < MAX_PAGES:
            url = urldefrag(queue.popleft())[0]
            if url in seen or url.startswith(SKIP):
                continue
            seen.add(url)
            response = client.get(url)
            body = _texts(response)
            check(url, body)
            if "text/html" in response.headers.get("content-type", ""):
                for link in re.findall(r'(?:href|hx-get)="(/[^"]*)"', body):
                    queue.append(link.replace("&amp;", "&"))
        assert len(seen) > 20, seen
        for url in _api_urls(client, headers, county):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, (url, response.text[:300])
            check(url, _texts(response))
    check("log", "\n".join(r.getMessage() for r in caplog.records))
    assert leaks == [], "\n".join(sorted(set(leaks))[:40])
