"""Issue 17 item 5: thresholds and poverty lines by year and province, set from a page by the county (or admin);
a year without a threshold is flagged on the monitoring pages, never given an earlier year's value."""

import datetime as dt
import re
from decimal import Decimal

from fastapi.testclient import TestClient

from fupin.core.scoping import Scope
from fupin.monitoring import queries
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_monitoring import exited_household, healthy_pair, income


def _login(client, username) -> str:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/monitoring/thresholds").text).group(1)


def test_thresholds_are_flagged_and_set_from_the_page(db):
    add_areas(db)
    add_user(db, "yunnan", "county", "530000000000")  # a province's office: the county role over the province
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "village_a", "village", "530326100200")
    household = exited_household(db, members=healthy_pair())
    income(db, household, 2023, 6500, threshold=False)  # above 2021's 6,000 — and below 2023's threshold once it is set
    this_year = dt.date.today().year
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "yunnan")
        page = client.get("/monitoring/thresholds")
        assert page.status_code == 200
        assert 'data-testid="threshold-missing-2023"' in page.text and "未设定,不沿用往年" in page.text
        assert "2021" in page.text and "6000.00" in page.text
        monitoring = client.get("/monitoring").text
        flagged = re.search(r'data-testid="threshold-missing">(.*?)</div>', monitoring, re.S).group(1)
        assert "2022、2023" in flagged and str(this_year) in flagged
        assert 'data-testid="threshold-missing"' in client.get("/monitoring/warnings").text
        # 2023 has no threshold: its income raises no warning (not judged against 2021's 6,000 either way)
        with db.session_factory() as session:
            assert queries.threshold_for(session, 2023, "53") is None
            before = queries.warnings(session, Scope.of_area("530326"), as_of=dt.date(2024, 1, 1))
            assert all("low_income" not in p.reasons for p in before)
        # A mistyped amount comes back beside its field, nothing written
        bad = client.post("/monitoring/thresholds", data={"csrf_token": csrf, "year": "2023", "province_code": "53",
                                                          "amount": "abc"})
        assert bad.status_code == 422 and 'data-testid="threshold-form"' in bad.text and "abc" in bad.text
        saved = client.post("/monitoring/thresholds", data={"csrf_token": csrf, "year": "2023", "province_code": "53",
                                                            "amount": "7000", "note": "云南省文件"},
                            follow_redirects=False)
        assert saved.status_code == 303, saved.text
        page = client.get(saved.headers["location"]).text
        assert "已设置2023年监测标准" in page and 'data-testid="threshold-missing-2023"' not in page
        with db.session_factory() as session:
            assert queries.threshold_for(session, 2023, "53") == Decimal("7000.00")
            assert queries.threshold_for(session, 2024, "53") is None, "2024 is still flagged, not 2023's"
            after = queries.warnings(session, Scope.of_area("530326"), as_of=dt.date(2024, 1, 1))
            assert any("low_income" in p.reasons for p in after), "6,500 is below 2023's own 7,000"
        # The national threshold is the country's: outside a province office's scope
        national = client.post("/monitoring/thresholds", data={"csrf_token": csrf, "year": "2024",
                                                               "province_code": "00", "amount": "7100"})
        assert national.status_code == 403
        # The poverty line of a year, from the same page
        line = client.post("/monitoring/poverty-lines", data={"csrf_token": csrf, "year": "2020",
                                                              "province_code": "53", "amount": "4300"},
                           follow_redirects=False)
        assert line.status_code == 303, line.text
        assert "4300.00" in client.get("/monitoring/thresholds").text
    with TestClient(create_app(db=db)) as client:
        _login(client, "village_a")
        page = client.get("/monitoring/thresholds").text
        assert 'data-testid="thresholds-table"' in page and 'data-testid="threshold-form"' not in page, \
            "a village reads the standards, cannot set them"
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        refused = client.post("/monitoring/thresholds", data={"csrf_token": csrf, "year": "2024",
                                                              "province_code": "53", "amount": "9000"})
        assert refused.status_code == 403
        with db.session_factory() as session:
            assert (2024, "53") not in queries.thresholds(session), "nothing written"
