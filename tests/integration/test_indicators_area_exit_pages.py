"""The village/county exit page: evaluation with every reason, the steps as a timeline, the forms, scope, roles."""

import datetime as dt
import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.uow import UnitOfWork
from fupin.indicators import service
from fupin.indicators.models import AreaExit, AreaExitStep, AreaExitSurvey
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_indicators import YEAR, household, population

COUNTY, TOWNSHIP, V1, V2 = "530326000000", "530326100000", "530326100200", "530326100201"
DAY = dt.date(2019, 12, 1)


def _county(db) -> None:
    """北坎村 2 poor of 100 (2 % < 3 %, western: passes), 石坝村 5 of 100 (fails), the county 7 of 700 = 1 %."""
    add_areas(db)
    household(db, V1, members=2)
    household(db, V2, members=5)
    population(db, V1, 100)
    population(db, V2, 100)
    population(db, "530326101200", 500)


def _login(client, username) -> str:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    home = client.get("/")
    return re.search(r'hx-headers=\'\{"X-CSRF-Token": "([^"]+)"\}\'', home.text).group(1)


def _written(db) -> tuple[int, int, int, int]:
    with db.session_factory() as session:
        return (session.scalar(select(func.count()).select_from(AreaExit)),
                session.scalar(select(func.count()).select_from(AreaExitStep)),
                session.scalar(select(func.count()).select_from(AreaExitSurvey)),
                session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity.like("area_exit%"))))


class _Text(HTMLParser):
    """The text of the element carrying data-testid=`testid` (whitespace collapsed, markup dropped)."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr"})

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid, self.depth, self.parts, self.found = testid, 0, [], False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in self.VOID
        elif dict(attrs).get("data-testid") == self.testid and not self.found:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def _field_error(html: str, name: str) -> str:
    """The message shown beside the input `name` (web/templates/_forms.html)."""
    found = re.search(rf'<span class="field-error"[^>]*data-field="{re.escape(name)}">([^<]*)</span>', html)
    assert found, f"no error beside {name}"
    return found.group(1)


def _testid(html: str, testid: str) -> str:
    parser = _Text(testid)
    parser.feed(html)
    assert parser.found, f"no {testid} in the page"
    return " ".join(" ".join(parser.parts).split())


def test_village_page_lists_every_reason_and_a_step_recorded_by_the_form_reaches_the_timeline_and_the_audit(db):
    _county(db)
    add_user(db, "county_a", "county", COUNTY)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "county_a")
        page = client.get(f"/indicators/area-exit?area={V2}&year={YEAR}")
        assert page.status_code == 200
        assert _testid(page.text, "exit-badge") == "未达到退出标准"
        assert _testid(page.text, "exit-reasons") == "未达标原因 贫困发生率5.00%,未低于3%"
        assert _testid(page.text, "check-incidence") == "贫困发生率 5.00% < 3% 未达标"
        assert _testid(page.text, "exit-timeline") == "尚未登记退出程序"
        assert 'data-testid="step-form"' in page.text and 'name="step" value="proposal"' in page.text
        assert 'data-testid="survey-form"' not in page.text, "a village has no sample survey"

        answer = client.post("/indicators/area-exit/steps", data={
            "csrf_token": csrf, "area": V2, "year": str(YEAR), "step": "proposal", "happened_on": "2019-12-01",
            "note": "乡镇党委提出"}, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/indicators/area-exit?area={V2}&year={YEAR}&saved=step#steps"
        page = client.get(answer.headers["location"])
        assert _testid(page.text, "saved") == "已登记退出步骤"
        timeline = re.search(r'data-testid="exit-timeline">(.*?)</ul>', page.text, re.S).group(1)
        assert re.findall(r"<li[^>]*>(.*?)</li>", timeline) == ["<b>2019-12-01</b> 提出退出 · county_a · 乡镇党委提出"]
        assert _testid(page.text, "exit-status") == "已提出退出"
        assert 'name="step" value="checks"' in page.text, "the form now offers the next step"
    with db.session_factory() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "area_exit")).one()
        assert (audit.actor_name, audit.area_code, audit.action) == ("county_a", V2, "create")
        assert audit.changes["detail"]["reasons"] == ["贫困发生率5.00%,未低于3%"]
        step = session.scalars(select(AreaExitStep)).one()
        assert (step.step, step.happened_on, step.note) == ("proposal", DAY, "乡镇党委提出")


def test_bad_input_shows_a_chinese_error_at_its_field_and_writes_nothing(db):
    _county(db)
    add_user(db, "prov_a", "county", "530000000000")
    for step in ("proposal", "checks"):
        service.record_exit_step(UnitOfWork(db, Actor.system("test")), V2, YEAR, step, DAY)
    before = _written(db)
    assert before == (1, 2, 0, 2)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "prov_a")

        def post_step(**values):
            return client.post("/indicators/area-exit/steps", data={"csrf_token": csrf, "area": V2,
                                                                     "year": str(YEAR), **values})

        forged = client.post("/indicators/area-exit/steps", data={"area": V2, "year": str(YEAR), "step": "publicity",
                                                                   "happened_on": "2019-12-02"})
        assert forged.status_code == 403 and "CSRF" in forged.text
        future = post_step(step="publicity", happened_on=tomorrow, note="公示7天")
        assert future.status_code == 422
        assert _field_error(future.text, "happened_on") == f"日期{tomorrow}晚于今天,不能登记未发生的事"
        assert 'value="公示7天"' in future.text, "what was typed is kept"
        garbled = post_step(step="publicity", happened_on="2019-13-45")
        assert garbled.status_code == 422
        assert _field_error(garbled.text, "happened_on") == "步骤日期:日期格式应为 2024-01-31"
        assert 'value="2019-13-45"' in garbled.text
        earlier = post_step(step="publicity", happened_on="2019-11-30")
        assert _field_error(earlier.text, "happened_on") == "日期不能早于上一步“核查”的日期2019-12-01"
        out_of_order = post_step(step="approval", happened_on="2019-12-05")
        assert out_of_order.status_code == 422
        assert _testid(out_of_order.text, "form-error") == \
            "请修改以下内容后再提交: 应先完成“公示”,再进行“审批退出”:贫困发生率5.00%,未低于3%"
        assert post_step(step="publicity", happened_on="2019-12-02").status_code == 200  # followed the 303
        before = _written(db)
        refused = post_step(step="approval", happened_on="2019-12-10")
        assert refused.status_code == 422
        assert "评估未通过,不能审批退出:贫困发生率5.00%,未低于3%" in _testid(refused.text, "form-error")
        assert "贫困发生率5.00%,未低于3%" in _testid(refused.text, "exit-reasons")

        survey = {"csrf_token": csrf, "area": COUNTY, "year": str(YEAR), "sampled_exited": "10", "wrong_exits": "11",
                  "sampled_households": "100", "missed_registrations": "1", "approval_asked": "50",
                  "approval_yes": "49", "surveyed_on": "2019-12-01", "surveyor": "第三方评估组"}
        too_many = client.post("/indicators/area-exit/surveys", data=survey)
        assert too_many.status_code == 422 and _field_error(too_many.text, "wrong_exits") == "部分不能大于样本数"
        assert 'value="11"' in too_many.text, "what was typed is kept"
        blank = client.post("/indicators/area-exit/surveys", data=survey | {"wrong_exits": "0", "approval_asked": ""})
        assert _field_error(blank.text, "approval_asked") == "认可度调查户数:必填"
        negative = client.post("/indicators/area-exit/surveys", data=survey | {"wrong_exits": "-1"})
        assert _field_error(negative.text, "wrong_exits") == "其中错退户数:应不小于0"
        future = client.post("/indicators/area-exit/surveys", data=survey | {"wrong_exits": "0",
                                                                            "surveyed_on": tomorrow})
        assert _field_error(future.text, "surveyed_on") == f"日期{tomorrow}晚于今天,不能登记未发生的事"
        nobody = client.post("/indicators/area-exit/surveys", data=survey | {"wrong_exits": "0", "surveyor": " "})
        assert _field_error(nobody.text, "surveyor") == "调查单位:必填"
    assert _written(db) == before, "a refused form writes nothing, not even an audit entry"
    with db.session_factory() as session:
        assert session.scalar(select(AreaExit.status).where(AreaExit.area_code == V2)) == "publicised"


def test_county_survey_form_fills_the_rates_and_the_county_passes(db):
    _county(db)
    add_user(db, "prov_a", "county", "530000000000")
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "prov_a")
        page = client.get(f"/indicators/area-exit?area={COUNTY}&year={YEAR}")
        assert _testid(page.text, "exit-reasons") == "未达标原因 缺少抽样调查记录(错退率、漏评率、群众认可度)"
        assert 'data-testid="survey-form"' in page.text
        villages = _testid(page.text, "villages-table")
        assert "北坎村 2.00% (< 3%) 达标" in villages and "石坝村 5.00% (< 3%) 未达标" in villages
        assert _testid(page.text, "villages-summary") == "达到退出标准的村:2 / 3"
        answer = client.post("/indicators/area-exit/surveys", data={
            "csrf_token": csrf, "area": COUNTY, "year": str(YEAR), "sampled_exited": "100", "wrong_exits": "1",
            "sampled_households": "200", "missed_registrations": "3", "approval_asked": "50", "approval_yes": "46",
            "surveyed_on": "2019-12-01", "surveyor": "第三方评估组"}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].endswith("&saved=survey#survey")
        page = client.get(answer.headers["location"])
        assert _testid(page.text, "exit-badge") == "达到退出标准"
        assert _testid(page.text, "check-wrong_exit_rate") == "错退率 1.00% < 2% 达标"
        assert _testid(page.text, "check-missed_rate") == "漏评率 1.50% < 2% 达标"
        assert _testid(page.text, "check-approval_rate") == "群众认可度 92.00% ≥ 90% 达标"
        assert "100 / 1" in _testid(page.text, "survey") and 'data-testid="survey-form"' not in page.text
        again = client.post("/indicators/area-exit/surveys", data={
            "csrf_token": csrf, "area": COUNTY, "year": str(YEAR), "sampled_exited": "1", "wrong_exits": "0",
            "sampled_households": "1", "missed_registrations": "0", "approval_asked": "1", "approval_yes": "1",
            "surveyed_on": "2019-12-02", "surveyor": "x"})
        assert again.status_code == 422
        assert "2019年该县已有抽样调查记录" in _testid(again.text, "form-error")
    assert _written(db)[2:] == (1, 1)


def test_a_village_user_cannot_open_or_write_another_village(db):
    _county(db)
    add_user(db, "village_a", "village", V1)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "village_a")
        assert client.get(f"/indicators/area-exit?area={V2}&year={YEAR}").status_code == 404
        assert client.get(f"/indicators/area-exit?area={COUNTY}&year={YEAR}").status_code == 404
        denied = client.post("/indicators/area-exit/steps", headers={"Accept": "application/json"}, data={
            "csrf_token": csrf, "area": V2, "year": str(YEAR), "step": "proposal", "happened_on": "2019-12-01"})
        assert denied.status_code == 403 and denied.json()["error"] == "core.forbidden_action", \
            "the township proposes a village's exit"
        own = client.get(f"/indicators/area-exit?year={YEAR}")
        assert own.status_code == 200 and "北坎村 · 2019 · 贫困村退出" in _testid(own.text, "exit-title")
        assert _testid(own.text, "exit-badge") == "达到退出标准"
        assert 'data-testid="step-form"' not in own.text
    assert _written(db) == (0, 0, 0, 0)


def test_the_read_only_role_sees_the_page_without_forms_and_cannot_post(db):
    _county(db)
    add_user(db, "auditor_a", "auditor", COUNTY)
    service.record_exit_step(UnitOfWork(db, Actor.system("test")), V1, YEAR, "proposal", DAY, "提出")
    before = _written(db)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "auditor_a")
        page = client.get(f"/indicators/area-exit?area={V1}&year={YEAR}")
        assert page.status_code == 200 and "2019-12-01</b> 提出退出 · test · 提出" in page.text
        assert 'data-testid="step-form"' not in page.text and "/indicators/area-exit/steps" not in page.text
        county = client.get(f"/indicators/area-exit?area={COUNTY}&year={YEAR}")
        assert county.status_code == 200 and 'data-testid="survey-form"' not in county.text
        denied = client.post("/indicators/area-exit/steps", data={
            "csrf_token": csrf, "area": V1, "year": str(YEAR), "step": "checks", "happened_on": "2019-12-02"})
        assert denied.status_code == 403 and "不能进行此操作" in denied.text
    assert _written(db) == before


def test_the_dashboard_links_to_the_exit_page_and_a_township_lists_its_villages(db):
    _county(db)
    add_user(db, "county_a", "county", COUNTY)
    service.record_exit_step(UnitOfWork(db, Actor.system("test")), V1, YEAR, "proposal", DAY)
    with TestClient(create_app(db=db)) as client:
        _login(client, "county_a")
        links = {}
        for area in (COUNTY, TOWNSHIP, V1):
            page = client.get(f"/indicators?area={area}&year={YEAR}")
            link = re.search(r'data-testid="area-exit-link" href="([^"]+)">([^<]+)<', page.text)
            links[area] = (link.group(1).replace("&amp;", "&"), link.group(2))
        assert links == {COUNTY: (f"/indicators/area-exit?area={COUNTY}&year={YEAR}", "贫困县摘帽评估"),
                         TOWNSHIP: (f"/indicators/area-exit?area={TOWNSHIP}&year={YEAR}", "各村退出评估"),
                         V1: (f"/indicators/area-exit?area={V1}&year={YEAR}", "贫困村退出评估")}
        assert 'data-testid="area-exit-link"' not in client.get(f"/indicators?area=530000000000&year={YEAR}").text
        township = client.get(links[TOWNSHIP][0])
        assert township.status_code == 200 and 'data-testid="exit-badge"' not in township.text
        assert _testid(township.text, "villages-table").split(" 退出程序 ")[1] == \
            "北坎村 2.00% (< 3%) 达标 已提出退出 石坝村 5.00% (< 3%) 未达标 —"
        group = client.get(f"/indicators/area-exit?area=530326100200001&year={YEAR}")
        assert group.status_code == 422 and "只有村和县可以退出评估(乡镇可查看所辖各村)" in group.text
        assert client.get(f"/indicators/area-exit?area=530300000000&year={YEAR}").status_code == 404, "out of scope"


def test_the_page_in_english(db):
    _county(db)
    add_user(db, "prov_a", "county", "530000000000")
    with TestClient(create_app(db=db)) as client:
        _login(client, "prov_a")
        client.get("/lang/en?next=/")
        page = client.get(f"/indicators/area-exit?area={COUNTY}&year={YEAR}")
        assert _testid(page.text, "exit-badge") == "Exit criteria not met"
        assert "public approval at least 90%; failing any one blocks the exit." in page.text
        assert "Record the sample survey" in page.text and "Record this step" in page.text
