"""Accounts under attack and in daily use: lockout races, no user enumeration, tokens, user management."""

from __future__ import annotations

import re
import statistics
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fupin.accounts.models import AuthToken, User
from fupin.core.audit import AuditEntry
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.served import race


@pytest.fixture
def people(db):
    add_areas(db)
    add_user(db, "county_a", "county", "530326000000")
    add_user(db, "county_b", "county", "530321000000")
    add_user(db, "village_a", "village", "530326100200")
    add_user(db, "auditor_a", "auditor", "530326000000")
    return db


def _failed(db, username: str) -> tuple[int, bool]:
    with db.session_factory() as s:
        user = s.scalar(select(User).where(User.username == username))
        return user.failed_logins, user.locked_until is not None


def test_twenty_parallel_wrong_passwords_lock_the_account_with_no_5xx(people, served):
    base = served(people)
    answers = race(20, lambda: httpx.post(f"{base}/api/v1/auth/token", timeout=60,
                                          json={"username": "village_a", "password": "wrong-password-1"}))
    assert {a.status_code for a in answers} == {401}, [a.text for a in answers if a.status_code != 401]
    assert {a.json()["error"] for a in answers} == {"accounts.login_failed"}
    failures, locked = _failed(people, "village_a")
    assert locked, "5 of the 20 failures must have locked the account"
    right = httpx.post(f"{base}/api/v1/auth/token", json={"username": "village_a", "password": PASSWORD}, timeout=30)
    assert right.status_code == 401, "the right password does not open a locked account"
    with people.session_factory() as s:
        counted = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "login_failed"))
    assert counted == 21, "every failure was counted, none lost to a race"


def test_unknown_user_wrong_password_and_locked_account_answer_the_same(people):
    with TestClient(create_app(db=people)) as client:
        def attempt(username: str, password: str) -> tuple[int, dict, float]:
            started = time.perf_counter()
            response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
            return response.status_code, response.json(), time.perf_counter() - started

        unknown = [attempt("nobody_here", "wrong-password-1") for _ in range(3)]
        wrong = [attempt("county_a", "wrong-password-1") for _ in range(3)]
        for _ in range(5):
            attempt("county_b", "wrong-password-1")
        locked = [attempt("county_b", PASSWORD) for _ in range(3)]
    answers = {(status, body["error"], body["message"]) for status, body, _t in unknown + wrong + locked}
    assert len(answers) == 1 and next(iter(answers))[0] == 401
    # About the same time: each path does one argon2 verification (no early return for unknown users).
    medians = [statistics.median(t for *_x, t in group) for group in (unknown, wrong, locked)]
    assert max(medians) < 4 * min(medians), medians


def test_one_address_guessing_many_accounts_is_stopped(people, monkeypatch):
    monkeypatch.setenv("FUPIN_LOGIN_MAX_FAILURES_PER_ADDRESS", "6")
    from fupin.core.settings import get_settings

    get_settings.cache_clear()
    try:
        with TestClient(create_app(db=people)) as client:
            for name in ["u1", "u2", "u3", "u4", "u5", "u6"]:
                client.post("/api/v1/auth/token", json={"username": name, "password": "wrong-password-1"})
            response = client.post("/api/v1/auth/token", json={"username": "county_a", "password": PASSWORD})
            assert response.status_code == 401, "the address is throttled, even with a right password"
            assert _failed(people, "county_a") == (0, False), "a throttled address cannot lock accounts"
    finally:
        get_settings.cache_clear()


def _token(client, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD,
                                                        "label": "测试脚本"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_tokens_are_listed_revoked_and_end_with_logout(people):
    with TestClient(create_app(db=people)) as client:
        first, second = _token(client, "village_a"), _token(client, "village_a")
        listed = client.get("/api/v1/me/tokens", headers=first).json()
        assert len(listed) == 2 and {t["label"] for t in listed} == {"测试脚本"}
        other_id = next(t["id"] for t in listed if t["id"] != max(t["id"] for t in listed))
        assert client.delete(f"/api/v1/me/tokens/{other_id}", headers=second).status_code == 204
        assert client.get("/api/v1/me", headers=first).status_code == 401, "the revoked token is dead"
        assert client.post("/api/v1/auth/logout", headers=second).status_code == 204
        assert client.get("/api/v1/me", headers=second).status_code == 401, "logout revokes the token it came with"
        third = _token(client, "village_a")
        foreign = _token(client, "county_a")
        mine = client.get("/api/v1/me/tokens", headers=third).json()[0]["id"]
        assert client.delete(f"/api/v1/me/tokens/{mine}", headers=foreign).status_code == 404
        assert client.post("/api/v1/me/tokens/revoke-all", headers=third).json() == {"revoked": 1}
        assert client.get("/api/v1/me", headers=third).status_code == 401


def test_weak_password_is_refused_for_an_admin(people):
    with TestClient(create_app(db=people)) as client:
        admin_id = add_user(people, "root_admin", "admin", None)
        assert admin_id
        headers = _token(client, "root_admin")
        answer = client.post("/api/v1/users", headers=headers, json={
            "username": "second_admin", "password": "password12", "role": "admin"})
        assert answer.status_code == 422 and answer.json()["error"] == "accounts.password_too_weak"


def test_county_manages_its_users_and_nobody_elses(people):
    with TestClient(create_app(db=people)) as client:
        county = _token(client, "county_a")
        with people.session_factory() as s:
            village_id = s.scalar(select(User.id).where(User.username == "village_a"))
            other_county_id = s.scalar(select(User.id).where(User.username == "county_b"))
        for _ in range(5):
            client.post("/api/v1/auth/token", json={"username": "village_a", "password": "wrong-password-1"})
        assert _failed(people, "village_a")[1]
        assert client.post(f"/api/v1/users/{village_id}/unlock", headers=county).status_code == 200
        assert _failed(people, "village_a") == (0, False)
        reset = client.post(f"/api/v1/users/{village_id}/reset-password", headers=county, json={})
        assert reset.status_code == 200 and len(reset.json()["password"]) >= 10
        assert client.post("/api/v1/auth/token", json={"username": "village_a", "password": PASSWORD}
                           ).status_code == 401, "the old password is gone"
        new_token = client.post("/api/v1/auth/token", json={"username": "village_a",
                                                            "password": reset.json()["password"]})
        assert new_token.status_code == 200
        assert client.post(f"/api/v1/users/{village_id}/disable", headers=county).status_code == 200
        assert client.get("/api/v1/me", headers={
            "Authorization": f"Bearer {new_token.json()['access_token']}"}).status_code == 401
        for path in ("unlock", "disable", "reset-password"):
            answer = client.post(f"/api/v1/users/{other_county_id}/{path}", headers=county, json={})
            assert answer.status_code == 404, (path, answer.text)
        auditor = _token(client, "auditor_a")
        answer = client.post(f"/api/v1/users/{village_id}/enable", headers=auditor)
        assert answer.status_code == 403 and answer.json()["error"] == "core.forbidden_action"
        with people.session_factory() as s:
            assert s.scalar(select(User.is_active).where(User.id == village_id)) is False
            assert s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.entity == "users", AuditEntry.entity_id == str(village_id))) >= 4


def test_user_pages_create_a_user_and_keep_a_bad_form(people):
    with TestClient(create_app(db=people)) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"username": "county_a", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
        form = client.get("/users/new")
        assert form.status_code == 200
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        bad = client.post("/users/new", data={"csrf_token": csrf, "username": "x y", "display_name": "王小二",
                                              "role": "village", "area_code": "530326100200",
                                              "password": "password12"})
        assert bad.status_code == 422
        assert 'value="王小二"' in bad.text and "password12" not in bad.text, "typed values kept, never the password"
        assert "field-error" in bad.text
        good = client.post("/users/new", data={"csrf_token": csrf, "username": "wang_xiaoer", "display_name": "王小二",
                                               "role": "village", "area_code": "530326100200",
                                               "password": "zhongping-Village-77"}, follow_redirects=False)
        assert good.status_code == 303, good.text
        listing = client.get("/users")
        assert "wang_xiaoer" in listing.text and "村干部" in listing.text
        with people.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(AuthToken)) >= 1
