"""Issue 18 through the pages: the web import recognises a national sheet (the job panel names the layout and the
columns not held), the list offers the national export, the reconcile page runs a job."""

import io

from openpyxl import load_workbook

from tests import national_workbooks as nw
from tests.integration.test_registry_service_api import _csrf, _job_result, _login, client  # noqa: F401


def test_national_import_export_and_reconcile_pages(client):  # noqa: F811
    _login(client, "county_a")
    csrf = _csrf(client)
    data = nw.member_workbook(nw.good_member_rows() + nw.bad_member_rows())
    started = client.post("/registry/import", data={"csrf_token": csrf, "mode": "skip-invalid"},
                          files={"file": ("监测对象信息.xlsx", data, "application/octet-stream")})
    job = _job_result(client, started)
    assert job["status"] == "done", job
    result = job["result"]
    assert result["committed"] and result["inserted"] == 3 and result["invalid"] == 3
    assert result["national"]["layout"] == "monitoring_members" and result["national"]["monitoring_started"] == 2
    assert result["codes"] == ["registry.area_name_unknown", "registry.national_bad_value",
                               "registry.national_risk_required"]
    panel = client.get(f"/jobs/{job['id']}?panel=registry/_import_job.html").text
    assert "识别为全国系统格式" in panel and "监测对象信息" in panel and "享受特困供养政策情况" in panel
    assert "第2村民小组(530326100201001)" in panel

    listing = client.get("/registry").text
    assert "/registry/export?layout=national" in listing and "/registry/reconcile" in listing
    exported = client.get("/registry/export?layout=national")
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content), read_only=True)
    assert book.sheetnames == ["监测对象信息", "户信息"]

    page = client.get("/registry/reconcile")
    assert page.status_code == 200 and 'data-testid="reconcile-form"' in page.text
    started = client.post("/registry/reconcile", data={"csrf_token": _csrf(client, "/registry/reconcile")},
                          files={"file": ("n.xlsx", nw.member_workbook(nw.good_member_rows()[:3]), "application/x")})
    job = _job_result(client, started)
    assert job["status"] == "done", job
    assert (job["result"]["compared"], job["result"]["only_fupin"], job["result"]["differences"]) == (3, 2, 0)
    panel = client.get(f"/jobs/{job['id']}?panel=registry/_reconcile_job.html").text
    assert "比对完成" in panel and "仅本系统有" in panel
