"""Industry through the pages: register an entity (a bad credit code comes back beside its field), members,
land, a run previewed then confirmed once, the household page's industry partial, the collective economy, and
the entity clerk who sees only their own entity."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from fupin.industry import schemas, service
from fupin.industry.models import DistributionRun, IndustryEntity
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_user
from tests.factories_industry import COUNTY, TOWNSHIP, VILLAGES, add_entity, add_township, system


def _login(client, username):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/industry").text).group(1)


def test_entity_members_land_and_a_run_through_the_pages(db):
    households = add_township(db)
    add_user(db, "county_a", "county", COUNTY)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "county_a")
        bad = client.post("/industry/entities", data={"csrf_token": csrf, "name": "天福菌业有限公司", "kind": "enterprise",
                                                      "industry": "fungus", "area_code": TOWNSHIP,
                                                      "credit_code": "91210423MA0U4K2X1J"})
        assert bad.status_code == 422 and 'data-field="credit_code"' in bad.text and "校验位不对" in bad.text
        assert 'value="天福菌业有限公司"' in bad.text
        made = client.post("/industry/entities", data={"csrf_token": csrf, "name": "天福菌业有限公司",
                                                       "kind": "enterprise", "industry": "fungus",
                                                       "area_code": TOWNSHIP, "credit_code": "91210423MA0U4K2X1H"},
                           follow_redirects=False)
        assert made.status_code == 303
        page_url = made.headers["location"].split("?")[0]
        household = households[VILLAGES[0]][0]
        joined = client.post(f"{page_url}/members", data={"csrf_token": csrf, "household_id": str(household),
                                                          "link_kind": "share", "shares": "2",
                                                          "joined_on": "2017-03-01"})
        assert joined.status_code == 200 and "户主1" in joined.text
        negative = client.post(f"{page_url}/land", data={"csrf_token": csrf, "household_id": str(household),
                                                         "area_mu": "-3", "rent_per_mu": "500",
                                                         "starts_on": "2017-03-01", "ends_on": "2029-12-31"})
        assert negative.status_code == 422 and 'data-field="area_mu"' in negative.text and "大于0亩" in negative.text
        backwards = client.post(f"{page_url}/land", data={"csrf_token": csrf, "household_id": str(household),
                                                          "area_mu": "3", "rent_per_mu": "500",
                                                          "starts_on": "2017-03-01", "ends_on": "2016-12-31"})
        assert backwards.status_code == 422 and 'data-field="ends_on"' in backwards.text
        job = client.post(f"{page_url}/jobs", data={"csrf_token": csrf, "title": "菌棒装袋工", "positions": "40",
                                                    "monthly_wage": "2200"})
        assert job.status_code == 200 and "菌棒装袋工" in job.text  # listed among the entity's jobs
        openings = client.get("/employment/openings")
        assert "菌棒装袋工" in openings.text and "天福菌业有限公司" in openings.text  # an employment opening
        page = client.get(page_url)
        assert page.status_code == 200 and 'data-testid="chain-diagram"' in page.text
        preview = client.post(f"{page_url}/runs", data={"csrf_token": csrf, "period": "2017秋", "total": "500000",
                                                         "unit": "yuan", "enterprise_percent": "40",
                                                         "village_basis": "registered_households",
                                                         "inside_village": "below_first", "household_cap": "1500",
                                                         "income_field": "property_income", "area_code": TOWNSHIP},
                              follow_redirects=False)
        assert preview.status_code == 303
        run_url = preview.headers["location"].split("?")[0]
        run_page = client.get(run_url)
        assert "200000.00" in run_page.text and "300000.00" in run_page.text and "37037.04" in run_page.text
        assert "大堡村" in run_page.text and 'data-testid="confirm-run"' in run_page.text
        client.post(f"{run_url}/confirm", data={"csrf_token": csrf})
        again = client.post(f"{run_url}/confirm", data={"csrf_token": csrf})
        assert again.status_code == 200 and "不能再更改" in again.text
        assert 'data-testid="confirm-run"' not in again.text
        partial = client.get(f"/industry/households/{household}")
        assert "天福菌业有限公司" in partial.text and "1500.00" in partial.text and "财产性收入" in partial.text
        registry_page = client.get(f"/registry/households/{household}")
        assert f'hx-get="/industry/households/{household}"' in registry_page.text
        collective = client.get("/industry/collective?year=2017")
        assert collective.status_code == 200 and "7,037.04" in collective.text
        def under_target(page: str) -> str:
            return page.split('data-testid="under-target-table"', 1)[1].split("</table>", 1)[0]

        assert "大堡村" in under_target(collective.text)  # 7,037.04 is under the 50,000 target …
        assert "大堡村" not in under_target(client.get("/industry/collective?year=2017&target=5000").text)  # … not 5,000
        wrong = client.post("/industry/collective", data={"csrf_token": csrf, "area_code": TOWNSHIP, "year": "2017",
                                                          "source": "operation", "amount": "100"})
        assert wrong.status_code == 422 and "村集体应为村级区划代码" in wrong.text
    with db.session_factory() as session:
        assert session.scalar(select(DistributionRun.status)) == "confirmed"


def test_the_entity_clerk_sees_only_their_entity(db):
    households = add_township(db)
    own = add_entity(db)
    other = add_entity(db, "绿森木椴木耳合作社", kind="cooperative", area_code=VILLAGES[0], credit_code=None)
    add_user(db, "clerk", "entity_clerk", COUNTY, entity_id=own)
    member = households[VILLAGES[0]][0]
    with system(db) as uow:
        service.add_membership(uow, other, schemas.MembershipCreate(household_id=member, link_kind="share",
                                                                    shares=Decimal(1), joined_on=dt.date(2017, 3, 1)))
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "clerk")
        listing = client.get("/industry")
        assert "天福菌业有限公司" in listing.text and "绿森木椴木耳合作社" not in listing.text
        assert client.get(f"/industry/entities/{own}").status_code == 200
        assert client.get(f"/industry/entities/{other}").status_code == 404
        refused = client.post(f"/industry/entities/{other}/members", data={
            "csrf_token": csrf, "collective_area_code": VILLAGES[0], "link_kind": "share", "joined_on": "2017-03-01"})
        assert refused.status_code == 403
        assert client.get(f"/api/v1/industry/entities/{other}").status_code in (401, 404)
        # the household page's industry part shows the clerk only what the household has with their entity
        partial = client.get(f"/industry/households/{member}")
        assert partial.status_code == 200 and "household-industry-empty" in partial.text
        assert "绿森木椴木耳合作社" not in partial.text
    with db.session_factory() as session:
        assert session.get(IndustryEntity, other) is not None
