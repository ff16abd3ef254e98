"""Incentives through the API, the pages, the command line and the indicator engine, on both databases: every
page renders for the roles that use it, a rejected form comes back with what was typed and the message beside
its field, a shop clerk's reads are limited to her shop, results export to .xlsx, bulk awards are all or
nothing with a row-by-row report, and points issued / redeemed are live figures with drill-down."""

import datetime as dt
import io
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from fupin.cli import app as cli_app
from fupin.core.scoping import Scope
from fupin.incentives import schemas, service
from fupin.indicators import drilldown, engine
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_incentives import award, goods, redeem, rule, scorecard, shop, uow
from tests.factories_registry import add_household


def _headers(client, username):
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _login(client, username) -> str:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)


def test_pages_render_and_a_rejected_form_keeps_what_was_typed(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    household = add_household(db)
    r = rule(db, 30)
    award(db, household, r)
    s = shop(db)
    oil = goods(db, s, price=10, stock=3)
    card = scorecard(db)
    with TestClient(create_app(db=db, run_jobs=False)) as client:
        csrf = _login(client, "county_a")
        for path in ("/incentives", f"/incentives/households/{household}", "/incentives/households?q=张",
                     f"/incentives/shops/{s}", f"/incentives/shops/{s}/redeem?q=5303",
                     f"/incentives/shops/{s}/redeem?household_id={household}", f"/incentives/scorecards/{card}",
                     "/incentives/results"):
            page = client.get(path)
            assert page.status_code == 200, (path, page.text[:300])
        assert "张大山" in client.get("/incentives/households?q=张").text
        bad = client.post(f"/incentives/households/{household}/correct",
                          data={"csrf_token": csrf, "points": "-50", "occurred_on": "2024-06-01", "note": "多扣了"})
        assert bad.status_code == 422
        assert 'value="多扣了"' in bad.text and "积分不足" in bad.text
        preview = client.post(f"/incentives/shops/{s}/redeem",
                              data={"csrf_token": csrf, "household_id": str(household), "lines.0.goods_id": str(oil),
                                    "lines.0.quantity": "2"})
        assert preview.status_code == 200 and 'data-testid="total">20<' in preview.text
        done = client.post(f"/incentives/shops/{s}/redeem", follow_redirects=False,
                           data={"csrf_token": csrf, "household_id": str(household), "lines.0.goods_id": str(oil),
                                 "lines.0.quantity": "2", "confirmed": "1"})
        assert done.status_code == 303 and "/incentives/redemptions/" in done.headers["location"]
        receipt = client.get(done.headers["location"])
        assert 'data-testid="receipt-balance">10<' in receipt.text
        short = client.post(f"/incentives/shops/{s}/redeem",
                            data={"csrf_token": csrf, "household_id": str(household), "lines.0.goods_id": str(oil),
                                  "lines.0.quantity": "2", "confirmed": "1"})
        assert short.status_code == 422 and "库存不足" in short.text  # one left
        assert 'data-testid="balance">10<' in short.text


def test_a_shop_clerk_reads_only_her_shop(db):
    add_areas(db)
    mine, other = shop(db), shop(db, name="娜姑爱心超市")
    add_user(db, "clerk", "shop_clerk", "530326100000", shop_id=mine)
    with TestClient(create_app(db=db, run_jobs=False)) as client:
        headers = _headers(client, "clerk")
        assert [s["id"] for s in client.get("/api/v1/incentives/shops", headers=headers).json()] == [mine]
        assert client.get(f"/api/v1/incentives/shops/{mine}/goods", headers=headers).status_code == 200
        refused = client.get(f"/api/v1/incentives/shops/{other}/goods", headers=headers)
        assert refused.status_code == 404 and refused.json()["error"] == "incentives.shop_not_found"
        written = client.post(f"/api/v1/incentives/shops/{other}/goods", headers=headers,
                              json={"name": "香皂", "price_points": 3, "stock": 5})
        assert written.status_code == 403 and written.json()["error"] == "core.not_your_shop"
        _login(client, "clerk")
        assert client.get(f"/incentives/shops/{other}").status_code == 404
        assert client.get(f"/incentives/shops/{mine}").status_code == 200


def test_results_with_history_export_to_xlsx(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    card = scorecard(db, pool="100.00")
    for name, code in (("北坎村", "530326100200"), ("石坝村", "530326100201")):
        service.add_subject(uow(db), card, schemas.SubjectCreate(name=name, area_code=code))
    service.close_period(uow(db), card, dt.date(2024, 12, 31))
    with TestClient(create_app(db=db, run_jobs=False)) as client:
        answer = client.get("/api/v1/incentives/results.xlsx", headers=_headers(client, "county_a"))
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:4] == ["名次", "考核对象", "区划代码", "得分"]
    assert [(r[0], r[1], r[7]) for r in rows[2:]] == [(1, "北坎村", "0.00"), (1, "石坝村", "0.00")]


def test_points_issued_and_redeemed_in_the_indicator_engine_with_drill_down(db):
    add_areas(db)
    household = add_household(db)
    award(db, household, rule(db, 40))
    s = shop(db)
    redeem(db, s, household, {goods(db, s, price=15): 2})
    with db.session_factory() as session:
        table = engine.compute(session, Scope.everything(), "530326000000", 2024, day=dt.date(2024, 12, 31),
                               codes=["points_issued", "points_redeemed"])
        values = table.root().values
        assert (values["points_issued"].value, values["points_redeemed"].value) == (Decimal(40), Decimal(30))
        behind = drilldown.records(session, Scope.everything(), "points_redeemed", "530326000000", 2024,
                                   day=dt.date(2024, 12, 31))
    assert [r["household_id"] for r in behind] == [household]


def test_bulk_awards_from_a_file_are_all_or_nothing_and_the_period_closes(db, tmp_path):
    add_areas(db)
    household = add_household(db)
    r = rule(db, 5)
    card = scorecard(db)
    service.add_subject(uow(db), card, schemas.SubjectCreate(name="北坎村", area_code="530326100200"))
    from fupin.registry.models import Household

    with db.session_factory() as session:
        number = session.get(Household, household).household_no
    url = db.engine.url.render_as_string(hide_password=False)
    db.engine.dispose()
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"户编号,规则编号,日期,佐证\n{number},{r},2024-06-01,照片1\n999,{r},2024-13-01,\n", "utf-8")
    refused = runner.invoke(cli_app, ["incentives", "award-file", str(bad), "--db", url])
    assert refused.exit_code == 1
    assert "3" in refused.output and "未找到户" in refused.output and "全部未写入" in refused.output
    good = tmp_path / "good.csv"
    good.write_text(f"户编号,规则编号,日期,佐证\n{number},{r},2024-06-01,照片1\n{number},{r},2024-06-02,照片2\n",
                    "utf-8")
    accepted = runner.invoke(cli_app, ["incentives", "award-file", str(good), "--db", url])
    assert accepted.exit_code == 0, accepted.output
    assert "已奖励2笔积分" in accepted.output
    closed = runner.invoke(cli_app, ["incentives", "close-period", "--scorecard", str(card), "--date", "2024-12-31",
                                     "--db", url])
    assert closed.exit_code == 0, closed.output
    assert "北坎村" in closed.output
    assert runner.invoke(cli_app, ["incentives", "check", "--db", url]).exit_code == 0
    again = runner.invoke(cli_app, ["incentives", "close-period", "--scorecard", str(card), "--db", url])
    assert again.exit_code == 1 and "已结账" in again.output
    with db.session_factory() as session:
        from fupin.incentives import queries

        assert queries.account(session, household, Scope.everything()).balance == 10
