import io
import re

from docx import Document
from fastapi.testclient import TestClient

from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_indicators import YEAR, household, population

V1, V2 = "530326100200", "530326100201"


def _login(client, username):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})


def _report(client, db, csrf, fmt) -> bytes:
    """Ask for a report from the dashboard, follow to the job's page, run the job, download the file."""
    import time

    from fupin.core import jobs

    started = client.post("/indicators/report", data={"csrf_token": csrf, "area": "530326000000", "year": str(YEAR),
                                                      "format": fmt}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    deadline = time.monotonic() + 60
    while True:
        jobs.run_pending(db)
        panel = client.get(started.headers["location"])
        assert panel.status_code == 200
        status = re.search(r'data-status="(\w+)"', panel.text).group(1)
        if status in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == "done", panel.text
    link = re.search(r'href="(/jobs/\w+/files/\d+)"', panel.text).group(1)
    download = client.get(link)
    assert download.status_code == 200
    return download.content


def test_dashboard_figures_open_their_records_and_download_the_report(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "village_b", "village", V2)
    first = household(db, V1, members=3)
    household(db, V2, members=2, status="exited", exit_year=YEAR)
    population(db, V1, 100)
    with TestClient(create_app(db=db)) as client:
        _login(client, "county_a")
        client.get(f"/year?year={YEAR}&next=/")  # the working year, picked once in the area picker
        page = client.get("/indicators?area=530326000000")
        assert page.status_code == 200
        assert f"· {YEAR} ·" in page.text, "the dashboard opens on the session's working year"
        figure = re.search(r'data-testid="fig-remaining_poor_households" href="([^"]+)">(\d+)<', page.text)
        assert figure.group(2) == "1"
        records = client.get(figure.group(1).replace("&amp;", "&"))
        assert records.status_code == 200 and f"/registry/households/{first}" in records.text
        requests = re.search(r"按时办结诉求件数:(?:<[^>]*>)?([^<]+)<", page.text)
        assert requests and requests.group(1) == "0", "services are built: a real count (none filed), not 尚未建成"
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        assert 'data-testid="report-form"' in page.text
        report = _report(client, db, csrf, "docx")
        document = Document(io.BytesIO(report))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "建档立卡贫困户2户1、" in text and "[registered_households]" not in text, "a footnote, not a code"
        first_figure = document.paragraphs[2].runs
        assert first_figure[1].text == "1" and first_figure[1].font.superscript
        sources = document.tables[0]
        assert [c.text for c in sources.rows[1].cells][:2] == ["1", "建档立卡户数"]
        assert sources.rows[1].cells[5].text.startswith("/indicators/records?indicator=registered_households")
        assert _report(client, db, csrf, "xlsx")[:2] == b"PK"
        tampered = client.post("/indicators/report", data={"csrf_token": csrf, "area": "530326000000",
                                                           "year": "1999", "format": "pdf"})
        assert tampered.status_code == 422 and 'data-testid="form-error"' in tampered.text
        assert "报表格式" in tampered.text and "年度" in tampered.text
    with TestClient(create_app(db=db)) as client:
        _login(client, "village_b")
        assert client.get(f"/indicators?area=530326000000&year={YEAR}").status_code == 404
        assert client.get(f"/indicators/records?indicator=registered_households&area={V1}&year={YEAR}"
                          ).status_code == 404
        own = client.get(f"/indicators?year={YEAR}")
        assert own.status_code == 200 and "石坝村" in own.text


def test_home_partial_context_gives_the_key_figures_of_the_users_area(db):
    from types import SimpleNamespace

    from fupin.core.scoping import Scope
    from fupin.indicators.pages import home_context

    add_areas(db)
    household(db, V1, members=3)
    population(db, V1, 100)
    with db.session_factory() as session:
        context = home_context(session, SimpleNamespace(scope=Scope.of_area("530326000000")), YEAR)
        assert context["year"] == YEAR and context["root"].values["poverty_incidence"].value == 3
        assert home_context(session, SimpleNamespace(scope=Scope.everything()), YEAR) is None
