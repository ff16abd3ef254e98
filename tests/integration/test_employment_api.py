from fastapi.testclient import TestClient

from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_employment import add_household


def _headers(client, username):
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_worker_job_opening_match_and_figures_through_the_api(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "malong", "county", "530321000000")
    _h1, (p1,) = add_household(db, "530326100200", [{"age": 35}])
    _h2, (p2,) = add_household(db, "530326100201", [{"age": 28, "education": "senior"}])
    with TestClient(create_app(db=db)) as client:
        headers = _headers(client, "county_a")
        w1 = client.post("/api/v1/employment/workers", json={"person_id": p1, "skills": "缝纫"}, headers=headers)
        assert w1.status_code == 201 and w1.json()["classification"] == "self_reliant"
        w2 = client.post("/api/v1/employment/workers", json={"person_id": p2}, headers=headers).json()
        job = client.post(f"/api/v1/employment/workers/{w2['id']}/placements", headers=headers,
                          json={"source": "labour_export", "work_place": "out_province", "destination": "浙江省宁波市",
                                "started_on": "2023-02-01", "monthly_wage": "5600.00"})
        assert job.status_code == 201 and job.json()["monthly_wage"] == "5600.00"
        bad = client.post(f"/api/v1/employment/workers/{w2['id']}/placements", headers=headers,
                          json={"source": "labour_export", "work_place": "out_province", "started_on": "2023-02-01"})
        assert bad.status_code == 422 and bad.json()["error"] == "employment.destination_required"
        assert bad.json()["field"] == "destination"
        opening = client.post("/api/v1/employment/openings", headers=headers,
                              json={"title": "缝纫工", "area_code": "530326100200", "source": "workshop",
                                    "employer_name": "扶贫车间", "employer_kind": "workshop", "skill": "缝纫"}).json()
        matches = client.get(f"/api/v1/employment/openings/{opening['id']}/matches", headers=headers).json()
        assert [m["worker"]["id"] for m in matches] == [w1.json()["id"]], "the employed worker is not proposed"
        placed = client.post(f"/api/v1/employment/openings/{opening['id']}/matches/{w1.json()['id']}",
                             headers=headers, json={"started_on": "2023-06-01"})
        assert placed.status_code == 201
        figures = client.get("/api/v1/employment/figures?area=530326&year=2023", headers=headers).json()[0]
        assert (figures["labour_force"], figures["employed"], figures["out_province"], figures["in_county"]) == (
            2, 2, 1, 1)
        assert figures["transfer_rate"] == "100.0"
        by_village = client.get("/api/v1/employment/figures?area=530326&year=2023&level=village",
                                headers=headers).json()
        assert [(r["area_code"], r["employed"]) for r in by_village] == [("530326100200", 1), ("530326100201", 1)]
        exports = client.get("/api/v1/employment/exports", headers=headers).json()
        assert exports == [{"destination": "浙江省宁波市", "county_code": "530326", "workers": 1}]
        other = _headers(client, "malong")
        assert client.get(f"/api/v1/employment/workers/{w2['id']}", headers=other).status_code == 404
        assert client.get("/api/v1/employment/figures?area=530326&year=2023", headers=other).status_code == 404


def test_bad_input_through_the_api_is_a_4xx_with_a_code(db):
    """ids ≥ 2^63, impossible dates, huge numbers, unknown codes: answered in words, never a 5xx."""
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    _h, (person,) = add_household(db, "530326100200", [{"age": 35}])
    with TestClient(create_app(db=db)) as client:
        headers = _headers(client, "county_a")
        worker = client.post("/api/v1/employment/workers", json={"person_id": person}, headers=headers).json()
        big = 2**63
        cases = [
            ("get", f"/api/v1/employment/workers/{big}", None, 422, "core.invalid_input"),
            ("get", f"/api/v1/employment/workers/{big - 1}", None, 404, "employment.worker_not_found"),
            ("post", "/api/v1/employment/workers", {"person_id": big}, 422, "core.invalid_input"),
            ("post", "/api/v1/employment/workers", {"person_id": big - 1}, 404, "employment.person_not_found"),
            ("post", f"/api/v1/employment/workers/{worker['id']}/placements",
             {"source": "workshop", "started_on": "2023-02-30"}, 422, "core.invalid_input"),
            ("post", f"/api/v1/employment/workers/{worker['id']}/placements",
             {"source": "workshop", "started_on": "2023-02-01", "monthly_wage": 1e300}, 422, "core.invalid_input"),
            ("post", f"/api/v1/employment/workers/{worker['id']}/placements",
             {"source": "lottery", "started_on": "2023-02-01"}, 422, "employment.invalid_choice"),
            ("post", f"/api/v1/employment/placements/{big}/end", {"ended_on": "2023-01-01"}, 422,
             "core.invalid_input"),
            ("post", "/api/v1/employment/openings", {"title": "x", "area_code": "abcdef", "source": "workshop",
                                                     "employer_name": "y"}, 422, "core.invalid"),
            ("post", "/api/v1/employment/openings", {"title": "x", "area_code": "530321100200", "source": "workshop",
                                                     "employer_name": "y"}, 403, "core.out_of_scope"),
            ("post", "/api/v1/employment/openings", {"title": "x", "area_code": "530326100299", "source": "workshop",
                                                     "employer_name": "y"}, 404, "core.not_found"),
            ("post", "/api/v1/employment/openings", {"title": "x", "area_code": "530326100200", "source": "workshop",
                                                     "employer_name": "y", "positions": 10**12}, 422,
             "core.invalid_input"),
            ("post", "/api/v1/employment/courses/1/attendance", {"worker_id": big}, 422, "core.invalid_input"),
            ("get", "/api/v1/employment/workers?offset=99999999999999999999", None, 422, "core.invalid_input"),
            ("get", "/api/v1/employment/figures?area=530326&year=99999", None, 422, "core.invalid_input"),
            ("get", "/api/v1/employment/figures?area=5303x6&year=2023", None, 422, "core.invalid"),
            ("get", "/api/v1/employment/figures/members?area=530326&year=2023&figure=nope", None, 404,
             "employment.figure_not_found"),
            ("post", "/api/v1/employment/workers/export", {"area_code": "530321000000"}, 403, "core.out_of_scope"),
            ("post", "/api/v1/employment/stations", {"name": "站\x00", "area_code": "530326100200"}, 422,
             "core.invalid_input"),
        ]
        for method, url, body, status, code in cases:
            answer = getattr(client, method)(url, headers=headers, **({"json": body} if body is not None else {}))
            assert (answer.status_code, answer.json()["error"]) == (status, code), (url, body, answer.text)
