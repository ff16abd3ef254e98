"""Issue 17 item 2: 就业率 (employed ÷ labour force) beside 转移就业率, from records, reproducing the seed's
arithmetic (昭通: 已就业 83.3万 ÷ 劳动力 100.61万 = 82.8 %) at a hundredth of its size."""

import datetime as dt
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import insert

from fupin.core.scoping import Scope
from fupin.employment import queries
from fupin.employment.models import JobPlacement, Worker
from fupin.indicators import engine, reports
from fupin.registry.models import Household, Person
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user

VILLAGES = ("530326100200", "530326100201")
LABOUR, EMPLOYED, TRANSFER = 10_061, 8_330, 5_330  # the seed's 1,006,100 / 833,000, scaled by 1/100


def _records(db) -> None:  # type: ignore[no-untyped-def]
    """10,061 labour-force members in households of five over two villages; 8,330 of them employed in 2023
    (5,330 by labour export out of the province, 3,000 self-employed at home, which is not transfer)."""
    base = 1_000_000
    households, persons, workers, placements = [], [], [], []
    for i in range(LABOUR):
        hid = base + i // 5  # five members a household, households alternating between the villages
        area = VILLAGES[(i // 5) % 2]
        if i % 5 == 0:
            households.append({"id": hid, "county_code": area[:6], "area_code": area, "household_no": f"R{hid}",
                               "head_name": "户主", "poverty_attribute": "general", "main_cause": "no_skill",
                               "registration_year": 2014, "status": "helped", "member_count": 5})
        pid = base + i
        persons.append({"id": pid, "household_id": hid, "county_code": area[:6], "area_code": area,
                        "id_number": f"530326199001{i:06d}"[:18], "id_hash": f"h{pid}", "name": f"成员{i}", "sex": "M",
                        "birth_date": dt.date(1990, 1, 1), "relation": "head" if i % 5 == 0 else "son",
                        "education": "junior", "schooling": "not_in_school", "labour_capacity": "normal"})
        workers.append({"id": pid, "person_id": pid, "household_id": hid, "county_code": area[:6], "area_code": area,
                        "name": f"成员{i}", "classification": "independent", "wish": "local"})
        if i < EMPLOYED:
            transfer = i < TRANSFER
            placements.append({"worker_id": pid, "person_id": pid, "household_id": hid, "county_code": area[:6],
                               "area_code": area, "source": "labour_export" if transfer else "self_employed",
                               "work_place": "out_province" if transfer else "in_county",
                               "destination": "浙江省宁波市" if transfer else None,
                               "started_on": dt.date(2023, 3, 1)})
    with db.engine.begin() as conn:
        for table, rows in ((Household, households), (Person, persons), (Worker, workers),
                            (JobPlacement, placements)):
            for start in range(0, len(rows), 2000):
                conn.execute(insert(table), rows[start:start + 2000])


def test_employment_rate_reproduces_the_seed_82_8_percent_from_records(db):
    add_areas(db)
    _records(db)
    with db.session_factory() as session:
        figures = queries.figures_for_area(session, Scope.everything(), "530326000000", 2023)
        assert (figures.labour_force, figures.employed, figures.transfer_employed) == (LABOUR, EMPLOYED, TRANSFER)
        assert figures.employment_rate == Decimal("82.8")
        assert figures.transfer_rate == Decimal("53.0"), "5,330 ÷ 10,061, the other rate, beside it"
        assert figures.as_dict()["employment_rate"] == "82.8"

        table = engine.compute(session, Scope.everything(), "530326000000", 2023,
                               codes=["employment_rate", "transfer_rate", "employed", "labour_force"])
        county = table.root().values
        assert (county["employment_rate"].numerator, county["employment_rate"].denominator) == (EMPLOYED, LABOUR)
        assert county["employment_rate"].value == Decimal("82.79")  # 82.7949…, shown to two places
        assert county["transfer_rate"].value == Decimal("52.98")
        villages = {row.code: row.values["employment_rate"] for row in table.rows[1:] if row.code in VILLAGES}
        assert sum(v.numerator for v in villages.values()) == EMPLOYED, "every level recomputed from the counts"
        assert sum(v.denominator for v in villages.values()) == LABOUR
        assert county["employment_rate"].opens, "the employed behind the rate can be listed (drill-down)"

        report = reports.to_markdown(engine.compute(session, Scope.everything(), "530326000000", 2023,
                                                    level=None))
        assert "就业率82.79%[^" in report and "已就业人数÷劳动力人数" in report and "[employment_rate]" not in report
        assert "| 就业率 | 82.79%(8330÷10061) | 已就业人数 ÷ 劳动力人数 | employment_rate | /indicators/records?indicator=employment_rate&area=530326000000&year=2023 |" in report


def test_employment_rate_is_on_the_pages_with_both_formulas(db):
    add_areas(db)
    _records(db)
    add_user(db, "county_a", "county", "530326000000")
    with TestClient(create_app(db=db)) as client:
        page = client.get("/login")
        import re
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "county_a", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
        employment = client.get("/employment?area=530326000000&year=2023").text
        assert 'data-testid="fig-employment-rate">82.8%' in employment
        assert "已就业 ÷ 劳动力" in employment and "转移就业 ÷ 劳动力" in employment
        dashboard = client.get("/indicators?area=530326000000&year=2023").text
        assert "82.79%" in dashboard and "已就业人数 ÷ 劳动力人数" in dashboard and "转移就业人数 ÷ 劳动力人数" in dashboard
        drill = client.get("/indicators/records?indicator=employment_rate&area=530326000000&year=2023")
        assert drill.status_code == 200
