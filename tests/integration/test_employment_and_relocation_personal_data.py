"""Personal data of workers and relocated households leaves only through the Viewer: cadres see it in full; for the
auditor and the clerks the ID number is masked with the birth year only, the phone is masked, health and
disability are absent — in pages, API answers and the exported files, whose downloads are audited."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from fupin.core import jobs
from fupin.core.audit import AuditEntry
from fupin.core.uow import UnitOfWork
from fupin.registry.models import Household, Person
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_employment import add_building, add_household, add_site, add_worker, relocate

PHONE = "13812345678"
COMMUNITY = "530326100200"


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    add_areas(db)
    for username, role in (("county_a", "county"), ("auditor_a", "auditor"), ("clerk_a", "entity_clerk"),
                           ("grid_a", "grid")):
        add_user(db, username, role, "530326000000" if role != "grid" else COMMUNITY)
    household, (person, _child) = add_household(db, COMMUNITY, [{"age": 35}, {"age": 9, "schooling": "primary"}])
    with db.session_factory() as session:
        session.execute(update(Household).where(Household.id == household).values(phone=PHONE))
        session.execute(update(Person).where(Person.id == person).values(health="chronic", disability_grade=3))
        session.commit()
        person_row = session.get(Person, person)
        id_number, birth = person_row.id_number, person_row.birth_date
    worker = add_worker(db, person)
    site = add_site(db, COMMUNITY)
    add_building(db, site, "1幢", 2, ["50", "75"])
    relocated = relocate(db, site, household)
    from fupin.core.audit import Actor
    from fupin.relocation import service

    service.lottery(UnitOfWork(db, Actor.system("test")), site, "s")
    service.propose_site_grids(UnitOfWork(db, Actor.system("test")), site, grid_size=2)
    return {"worker": worker, "relocated": relocated, "site": site, "id_number": id_number,
            "birth": birth.isoformat(), "household": household}


def _login(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return {"Authorization": f"Bearer {token['access_token']}"}


def _leaks(text: str, facts: dict[str, object]) -> list[str]:
    found = []
    if facts["id_number"] in text:
        found.append("full ID number")
    if PHONE in text:
        found.append("full phone")
    if facts["birth"] in text:
        found.append("birth date")
    return found


def test_cadres_see_in_full_and_masked_roles_never_do(db, people):
    masked_id = people["id_number"][:6] + "*" * 10 + people["id_number"][16:]
    with TestClient(create_app(db=db)) as client:
        bearer = _login(client, "county_a")
        detail = client.get(f"/api/v1/employment/workers/{people['worker']}", headers=bearer).json()
        assert detail["id_number"] == people["id_number"] and detail["phone"] == PHONE
        assert detail["birth_date"] == people["birth"] and detail["health"] == "chronic"
        assert detail["disability_grade"] == 3
        page = client.get(f"/employment/workers/{people['worker']}").text
        assert people["id_number"] in page and PHONE in page and people["birth"] in page
        assert "长期慢性病" in page and "残疾级别" in page, "cadres see health and disability"
        assert PHONE in client.get(f"/relocation/households/{people['relocated']}").text
    for username in ("auditor_a", "clerk_a"):
        with TestClient(create_app(db=db)) as client:
            bearer = _login(client, username)
            answer = client.get(f"/api/v1/employment/workers/{people['worker']}", headers=bearer)
            detail = answer.json()
            assert detail["id_number"] == masked_id and detail["phone"] == "138****5678"
            assert detail["birth_date"] is None and detail["birth_year"] == int(people["birth"][:4])
            assert detail["health"] is None and detail["disability_grade"] is None
            pages = [answer.text,
                     client.get(f"/employment/workers/{people['worker']}").text,
                     client.get(f"/api/v1/relocation/households/{people['relocated']}", headers=bearer).text,
                     client.get(f"/relocation/households/{people['relocated']}").text,
                     client.get(f"/relocation/sites/{people['site']}").text]
            grid_links = re.findall(r'href="/relocation/grids/(\d+)"',
                                    client.get(f"/relocation/sites/{people['site']}/grids").text)
            pages += [client.get(f"/relocation/grids/{g}").text for g in grid_links]
            for text in pages:
                assert _leaks(text, people) == [], username
            worker_page = pages[1]
            assert masked_id in worker_page and "138****5678" in worker_page
            assert "长期慢性病" not in worker_page and "身体状况" not in worker_page and "残疾级别" not in worker_page
            assert any("138****5678" in text for text in pages[5:]), "the grid page lists the masked phone"
    with TestClient(create_app(db=db)) as client:
        _login(client, "grid_a")
        grid_view = client.get(f"/relocation/households/{people['relocated']}").text
        assert PHONE in grid_view, "a grid leader calls the households of the grid"


def _export(db, username: str, api_path: str, body: dict) -> tuple[list[list[object]], int]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(db=db, run_jobs=False)) as client:
        bearer = _login(client, username)
        started = client.post(api_path, headers=bearer, json=body)
        assert started.status_code == 202, started.text
        jobs.run_pending(db)
        job = client.get(started.json()["url"], headers=bearer).json()
        assert job["status"] == "done", job
        (result,) = [f for f in job["files"] if f["purpose"] == "result"]
        download = client.get(result["url"], headers=bearer)
        assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)], job["result"]["rows"]


def test_exports_are_jobs_masked_per_role_and_audited(db, people):
    with db.session_factory() as session:
        exported_before = session.scalar(select(func.count()).select_from(AuditEntry)
                                         .where(AuditEntry.action == "export"))
    rows, count = _export(db, "county_a", "/api/v1/employment/workers/export", {"area_code": "530326"})
    assert count == 1 and len(rows) == 2
    header, line = rows
    assert "出生日期" in header and "健康状况" in header and people["birth"] in [str(v) for v in line]
    for username in ("auditor_a", "clerk_a"):
        rows, count = _export(db, username, "/api/v1/employment/workers/export", {})
        header, line = rows
        assert count == 1 and "出生年份" in header and "健康状况" not in header and "残疾等级" not in header
        assert _leaks(" ".join(str(v) for row in rows for v in row), people) == []
        assert int(people["birth"][:4]) in line
        rows, count = _export(db, username, "/api/v1/relocation/households/export", {"site_id": people["site"]})
        assert count == 1 and "138****5678" in rows[1]
        assert _leaks(" ".join(str(v) for row in rows for v in row), people) == []
    rows, _count = _export(db, "county_a", "/api/v1/relocation/households/export", {"area_code": "530326"})
    assert PHONE in rows[1]
    with db.session_factory() as session:
        exported = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export"))
    assert exported - exported_before == 2 * 6, "each export is audited when written and when downloaded"


def test_export_cells_cannot_run_as_formulas(db, people):
    with db.session_factory() as session:
        session.execute(update(Person).where(Person.household_id == people["household"]).values(name="=HYPERLINK(1)"))
        session.commit()
    from fupin.employment.models import Worker

    with db.session_factory() as session:
        session.execute(update(Worker).values(name="=HYPERLINK(1)", skills="@SUM(A1)\x07"))
        session.commit()
    rows, _count = _export(db, "county_a", "/api/v1/employment/workers/export", {})
    line = rows[1]
    assert "'=HYPERLINK(1)" in line and "'@SUM(A1)" in line


def test_full_views_of_personal_data_are_audited_masked_ones_are_not(db, people):
    from fupin.core.audit import VIEW_LOG

    def viewed() -> list[AuditEntry]:
        VIEW_LOG.flush()
        with db.session_factory() as session:
            return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "view")
                                        .order_by(AuditEntry.id)))

    household = people["household"]
    with TestClient(create_app(db=db)) as client:
        for username in ("auditor_a", "clerk_a"):
            bearer = _login(client, username)
            client.get(f"/api/v1/registry/households/{household}", headers=bearer)
        assert viewed() == [], "a masked view shows no personal data and is not a full view"
        bearer = _login(client, "county_a")
        assert client.get(f"/api/v1/registry/households/{household}", headers=bearer).status_code == 200
        assert client.get(f"/registry/households/{household}").status_code == 200
    rows = viewed()
    assert [(r.actor_name, r.entity, r.entity_id, r.area_code) for r in rows] == \
        [("county_a", "household", str(household), COMMUNITY)] * 2
    assert all(r.changes["detail"] == {"rows": 2, "fields": ["id_number"]} for r in rows)
