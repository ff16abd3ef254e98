import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.relocation.models import HousingUnit, RelocatedHousehold, ResettlementSite, SiteGrid
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_employment import add_household


def _login(client, username):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/relocation").text).group(1)


def _count(db, model):
    with db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_site_forms_from_creation_to_grids_and_bad_input_in_chinese(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    households = [add_household(db, "530326100200", [{"age": 40}, {"age": 12}])[0] for _ in range(4)]
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "county_a")
        response = client.post("/relocation/sites", data={"csrf_token": csrf, "name": "北坎安置点",
                                                          "area_code": "530326100200", "kind": "concentrated",
                                                          "location": "market_town", "grid_size": "2"},
                               follow_redirects=False)
        assert response.status_code == 303
        site = response.headers["location"].split("?")[0]
        bad = client.post(f"{site}/buildings", data={"csrf_token": csrf, "name": "1幢", "floors": "2",
                                                     "unit_areas": "50,abc"}, follow_redirects=False)
        assert bad.status_code == 422 and _count(db, HousingUnit) == 0
        assert 'data-field="unit_areas"' in bad.text and "每层各套面积" in bad.text, "the error names the field"
        assert 'value="50,abc"' in bad.text and 'value="1幢"' in bad.text, "what was typed is kept"
        too_big = client.post(f"{site}/buildings", data={"csrf_token": csrf, "name": "1幢", "floors": "99",
                                                         "unit_areas": "50，900"})
        assert too_big.status_code == 422 and 'data-field="floors"' in too_big.text
        assert 'data-field="unit_areas"' in too_big.text and "第2项" in too_big.text
        client.post(f"{site}/buildings", data={"csrf_token": csrf, "name": "1幢", "floors": "2", "unit_areas": "50,50"})
        for household in households:
            client.post(f"{site}/households", data={"csrf_token": csrf, "household_id": str(household)})
        assert _count(db, RelocatedHousehold) == 4
        dry = client.post(f"{site}/lottery", data={"csrf_token": csrf, "seed": "s", "dry_run": "1"},
                          headers={"HX-Request": "true"})
        assert "lottery-dry-result" in dry.text
        unknown = client.post(f"{site}/lottery", data={"csrf_token": csrf, "seed": "s", "dry_run": "1",
                                                       "waiting": "999999"}, headers={"HX-Request": "true"})
        assert unknown.status_code == 200 and 'data-testid="lottery-error"' in unknown.text, "htmx swaps only 2xx"
        assert "999999" in unknown.text and "<html" not in unknown.text
        with db.session_factory() as session:
            assert session.scalar(select(func.count()).where(RelocatedHousehold.unit_id.is_not(None))) == 0
        refused = client.post(f"{site}/lottery", data={"csrf_token": csrf, "seed": "s", "dry_run": "0",
                                                       "waiting": "1, x"})
        assert refused.status_code == 422 and 'value="1, x"' in refused.text
        real = client.post(f"{site}/lottery", data={"csrf_token": csrf, "seed": "s", "dry_run": "0"},
                           follow_redirects=False)
        assert "/relocation/draws/" in real.headers["location"]
        again = client.post(f"{site}/lottery", data={"csrf_token": csrf, "seed": "s", "dry_run": "0"})
        assert again.status_code == 422 and "没有待分房的搬迁户" in again.text
        published = client.get(real.headers["location"].split("?")[0])
        assert "结果一致" in published.text
        client.post(f"{site}/grids", data={"csrf_token": csrf, "grid_size": "2"})
        assert _count(db, SiteGrid) == 2
        page = client.get(f"{site}/grids")
        assert page.status_code == 200 and "grid-map" in page.text
        assert client.get(f"{site}").status_code == 200
    assert _count(db, ResettlementSite) == 1


def test_a_user_of_another_county_gets_404_for_site_pages(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "malong", "county", "530321000000")
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "county_a")
        client.post("/relocation/sites", data={"csrf_token": csrf, "name": "北坎安置点", "area_code": "530326100200",
                                               "kind": "concentrated", "location": "county_town"})
    with db.session_factory() as session:
        site_id = session.scalar(select(ResettlementSite.id))
    with TestClient(create_app(db=db)) as client:
        _login(client, "malong")
        for path in (f"/relocation/sites/{site_id}", f"/relocation/sites/{site_id}/grids",
                     f"/relocation/sites/{site_id}/lottery"):
            assert client.get(path).status_code == 404
        assert "北坎安置点" not in client.get("/relocation").text
