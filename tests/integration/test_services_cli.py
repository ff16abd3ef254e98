import datetime as dt
import json

from typer.testing import CliRunner

from fupin.cli import app
from fupin.core.uow import UnitOfWork
from fupin.services import service
from fupin.services.models import ServiceCategory, ServiceRequest
from tests.factories import add_areas
from tests.factories_orgs import add_household
from tests.factories_services import TOWNSHIP, VILLAGE, admin, at

runner = CliRunner()


def test_the_overdue_report_escalates_and_categories_are_set_from_the_command_line(db):
    add_areas(db)
    url = db.engine.url.render_as_string(hide_password=False)
    late = service.file_request(UnitOfWork(db, admin()), add_household(db, VILLAGE), category="documents",
                                description="补办户口本", now=at(dt.date(2024, 3, 1))).id  # due 03-04
    service.file_request(UnitOfWork(db, admin()), add_household(db, VILLAGE), category="housing",
                         description="修屋顶", now=at(dt.date(2024, 3, 1)))  # due 03-11
    outside = service.file_request(UnitOfWork(db, admin()), add_household(db, "530321100200"),
                                   category="documents", description="补办", now=at(dt.date(2024, 3, 1))).id
    report = runner.invoke(app, ["services", "overdue", "--area", TOWNSHIP, "--db", url, "--json",
                                 "--as-of", "2024-03-06", "--escalate"])
    assert report.exit_code == 0, report.output
    rows = json.loads(report.output)
    assert [(r["id"], r["days_overdue"], r["escalation_level"], r["escalated_to"]) for r in rows] == [
        (late, 2, 1, TOWNSHIP)]
    with db.session_factory() as session:
        assert session.get(ServiceRequest, outside).escalation_level == 0, "only the area asked for"
    table = runner.invoke(app, ["services", "overdue", "--area", TOWNSHIP, "--db", url, "--as-of", "2024-03-12"])
    assert table.exit_code == 0 and "逾期未办结2件" in table.output
    bad = runner.invoke(app, ["services", "overdue", "--area", TOWNSHIP, "--db", url, "--as-of", "2024-13-01"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
    assert runner.invoke(app, ["services", "category", "documents", "证照办理", "5", "--db", url]).exit_code == 0
    refused = runner.invoke(app, ["services", "category", "documents", "证照办理", "500", "--db", url])
    assert refused.exit_code == 1 and "办理时限" in refused.output
    assert runner.invoke(app, ["services", "claim-limit", "0", "--db", url]).exit_code == 1
    with db.session_factory() as session:
        assert session.get(ServiceCategory, "documents").deadline_days == 5


def test_the_job_worker_escalates_overdue_requests_once_per_interval(db, monkeypatch):
    """The worker does what the daily cron did (FUPIN_ESCALATION_EVERY_MINUTES), as the system, audited."""
    from fupin.core import jobs
    from fupin.core.settings import get_settings
    from fupin.services import schedule

    add_areas(db)
    late = service.file_request(UnitOfWork(db, admin()), add_household(db, VILLAGE), category="documents",
                                description="补办户口本", now=at(dt.date.today() - dt.timedelta(days=5))).id
    schedule._last_run.clear()
    assert jobs.run_background(db) is False, "off in the tests (0 minutes): nothing moves"
    monkeypatch.setenv("FUPIN_ESCALATION_EVERY_MINUTES", "60")
    get_settings.cache_clear()
    try:
        assert jobs.run_background(db) is True
        with db.session_factory() as session:
            assert session.get(ServiceRequest, late).escalation_level == 1
        assert jobs.run_background(db) is False, "not again within the hour"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        schedule._last_run.clear()
