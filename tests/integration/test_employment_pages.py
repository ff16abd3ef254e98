import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.employment.models import HouseholdEmployment, JobPlacement, Worker
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_employment import add_household


def _login(client, username):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/employment/workers").text).group(1)


def test_register_place_and_end_a_job_through_the_pages(db):
    add_areas(db)
    add_user(db, "village_a", "village", "530326100200")
    household, (person, _child) = add_household(db, "530326100200", [{"age": 30}, {"age": 6}])
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "village_a")
        response = client.post("/employment/workers", data={"csrf_token": csrf, "person_id": str(person),
                                                            "wish": "elsewhere"}, follow_redirects=False)
        worker_page = response.headers["location"].split("?")[0]
        assert worker_page.startswith("/employment/workers/")
        bad = client.post(f"{worker_page}/placements", data={"csrf_token": csrf, "source": "labour_export",
                                                             "work_place": "out_province", "started_on": "2023-03-01",
                                                             "employer_name": "珠海电子厂", "monthly_wage": "5200.50"},
                          follow_redirects=False)
        assert bad.status_code == 422, "a refused form comes back with what was typed"
        assert 'data-field="destination"' in bad.text and "劳务输转须填写输出目的地" in bad.text
        assert 'value="珠海电子厂"' in bad.text and 'value="5200.50"' in bad.text
        wrong_type = client.post(f"{worker_page}/placements", data={"csrf_token": csrf, "source": "workshop",
                                                                    "started_on": "2023-02-30",
                                                                    "monthly_wage": "很多"})
        assert wrong_type.status_code == 422
        assert 'data-field="started_on"' in wrong_type.text and 'data-field="monthly_wage"' in wrong_type.text
        assert "上岗日期" in wrong_type.text and 'value="很多"' in wrong_type.text
        client.post(f"{worker_page}/placements", data={"csrf_token": csrf, "source": "labour_export",
                                                       "work_place": "out_province", "destination": "广东省珠海市",
                                                       "employer_name": "珠海电子厂", "employer_kind": "enterprise",
                                                       "started_on": "2023-03-01", "monthly_wage": "5200.50"})
        with db.session_factory() as session:
            placement = session.scalar(select(JobPlacement))
            assert str(placement.monthly_wage) == "5200.50" and placement.destination == "广东省珠海市"
            assert session.get(HouseholdEmployment, household).employed_members == 1
        ledger = client.get("/employment/placements?source=labour_export&open=1")
        assert ledger.status_code == 200 and "珠海电子厂" in ledger.text
        assert "珠海电子厂" not in client.get("/employment/placements?source=workshop").text
        figures = client.get("/employment?year=2023")
        assert figures.status_code == 200 and "100.0%" in figures.text
        client.post(f"/employment/placements/{placement.id}/end", data={"csrf_token": csrf, "ended_on": "2023-09-30"})
        with db.session_factory() as session:
            assert session.get(HouseholdEmployment, household).employed_members == 0
        again = client.post(f"/employment/placements/{placement.id}/end",
                            data={"csrf_token": csrf, "ended_on": "2023-10-30"})
        assert again.status_code == 422 and "2023-09-30" in again.text, "the job ended once; the page says when"
        listed = client.get("/employment/figures/list?area=530326100200&year=2023&figure=out_province")
        assert listed.status_code == 200 and "figure-list" in listed.text
        assert client.get("/employment/figures/list?area=530321000000&year=2023&figure=employed").status_code == 404
        for path in ("/employment/openings", "/employment/courses", "/employment/stations", worker_page):
            assert client.get(path).status_code == 200
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Worker)) == 1
