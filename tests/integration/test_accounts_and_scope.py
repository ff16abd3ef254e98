import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from fupin.accounts.models import User
from fupin.core.audit import AuditEntry
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user


@pytest.fixture
def client(db):
    add_areas(db)
    add_user(db, "village_a", "village", "530326100200")
    add_user(db, "township_a", "township", "530326100000")
    add_user(db, "auditor_a", "auditor", "530326000000")
    with TestClient(create_app(db=db)) as c:
        yield c


def _token(client, username):
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _audit_count(db, **filters):
    with db.session_factory() as s:
        stmt = select(func.count()).select_from(AuditEntry)
        for key, value in filters.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return s.scalar(stmt)


def test_village_user_reads_its_village_and_gets_404_elsewhere(client):
    headers = _token(client, "village_a")
    assert client.get("/api/v1/areas/530326100200", headers=headers).status_code == 200
    assert client.get("/api/v1/areas/530326100200001", headers=headers).status_code == 200
    for elsewhere in ("530326100201", "530321100200", "530326000000", "999999999999"):
        response = client.get(f"/api/v1/areas/{elsewhere}", headers=headers)
        assert response.status_code == 404, elsewhere
        assert response.json()["error"] == "core.not_found"
    codes = [a["code"] for a in client.get("/api/v1/areas", headers=headers).json()]
    assert codes == ["530326100200", "530326100200001"]


def test_township_user_sees_its_villages_only(client):
    headers = _token(client, "township_a")
    children = client.get("/api/v1/areas/530326100000/children", headers=headers).json()
    assert [c["code"] for c in children] == ["530326100200", "530326100201"]
    assert client.get("/api/v1/areas/530326101000", headers=headers).status_code == 404


def test_no_token_is_401_and_a_bad_password_is_counted_and_audited(client, db):
    assert client.get("/api/v1/me").status_code == 401
    response = client.post("/api/v1/auth/token", json={"username": "village_a", "password": "wrong-password-1"})
    assert response.status_code == 401
    assert _audit_count(db, action="login_failed") == 1
    with db.session_factory() as s:
        assert s.scalar(select(User.failed_logins).where(User.username == "village_a")) == 1


def test_lockout_after_repeated_failures_even_with_the_right_password(client):
    for _ in range(5):
        client.post("/api/v1/auth/token", json={"username": "village_a", "password": "wrong-password-1"})
    response = client.post("/api/v1/auth/token", json={"username": "village_a", "password": PASSWORD})
    assert response.status_code == 401
    assert "锁定" in response.json()["message"]


def test_every_write_leaves_an_audit_row_and_audit_is_scoped(client, db):
    admin_headers = None
    add_user(db, "county_a", "county", "530326000000")
    headers = _token(client, "county_a")
    before = _audit_count(db)
    response = client.post("/api/v1/users", headers=headers, json={
        "username": "new_village", "password": "another-pass-99", "role": "village", "area_code": "530326101200"})
    assert response.status_code == 201, response.text
    assert _audit_count(db) == before + 1
    row = client.get("/api/v1/audit?entity=users", headers=headers).json()[0]
    assert row["entity_id"] == str(response.json()["id"]) and row["actor_name"] == "county_a"
    assert row["changes"]["password_hash"]["after"] == "***"
    # Outside the county: refused, and nothing was written.
    response = client.post("/api/v1/users", headers=headers, json={
        "username": "intruder", "password": "another-pass-99", "role": "village", "area_code": "530321100200"})
    assert response.status_code == 403
    assert _audit_count(db, entity="users", entity_id="99") == 0
    with db.session_factory() as s:
        assert s.scalar(select(User.id).where(User.username == "intruder")) is None
    # A village user sees only audit rows of its village.
    village_rows = client.get("/api/v1/audit", headers=_token(client, "village_a")).json()
    assert village_rows and all((r["area_code"] or "").startswith("530326100200") for r in village_rows)
    assert admin_headers is None


def test_auditor_is_read_only(client):
    headers = _token(client, "auditor_a")
    assert client.get("/api/v1/audit", headers=headers).status_code == 200
    response = client.post("/api/v1/users", headers=headers, json={
        "username": "x_user", "password": "another-pass-99", "role": "village", "area_code": "530326101200"})
    assert response.status_code == 403


def test_audit_log_is_append_only_in_the_database(client, db):
    assert _audit_count(db) > 0
    for statement in ("UPDATE audit_log SET actor_name = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.actor_name == "forged")) == 0


def _login(client, username, password=PASSWORD):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf,
                                       "next": "/"}, follow_redirects=False)


def test_web_login_sets_a_safe_cookie_and_forms_need_the_csrf_token(client, db):
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    response = client.post("/login", data={"username": "village_a", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403, "a login form without its CSRF token is refused"
    response = _login(client, "village_a")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "fupin_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = client.get("/")
    assert home.status_code == 200 and "北坎村" in home.text
    assert client.post("/logout", follow_redirects=False).status_code == 403, "logout without CSRF is refused"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303
    assert _audit_count(db, action="logout") == 1


def test_every_capability_page_is_built_and_the_audit_log_answers(client):
    _login(client, "village_a")
    for path in ("/industry", "/incentives", "/services"):
        page = client.get(path)
        assert page.status_code == 200 and "尚未建成" not in page.text, path
    page = client.get("/audit")
    assert page.status_code == 200 and "审计日志" in page.text


def test_area_picker_never_leaves_the_scope(client):
    _login(client, "village_a")
    assert client.get("/areas/select?code=530321100200", follow_redirects=False).status_code == 404
    response = client.get("/areas/select?code=530326100200001&next=/", follow_redirects=False)
    assert response.status_code == 303
    assert "第1村民小组" in client.get("/").text
    results = client.get("/areas/picker?q=村").text
    assert "北坎村" in results and "石坝村" not in results
