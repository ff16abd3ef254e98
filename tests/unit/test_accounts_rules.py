import datetime as dt

from fupin.accounts.rules import (
    Role,
    after_failed_login,
    is_locked,
    may_view_pii,
    may_write,
    password_error,
    role_scope_error,
    username_error,
)
from fupin.core.areacodes import AreaLevel
from fupin.core.audit import REDACTED, changed_fields

NOW = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)


def test_lockout_after_the_fifth_failure_only():
    failures, locked = 0, None
    for _ in range(4):
        failures, locked = after_failed_login(failures, NOW, 5, dt.timedelta(minutes=15))
        assert locked is None
    failures, locked = after_failed_login(failures, NOW, 5, dt.timedelta(minutes=15))
    assert locked == NOW + dt.timedelta(minutes=15)
    assert failures == 0
    assert is_locked(locked, NOW + dt.timedelta(minutes=14))
    assert not is_locked(locked, NOW + dt.timedelta(minutes=15))


def test_roles_fit_their_area_level():
    assert role_scope_error(Role.village, AreaLevel.village) is None
    assert "不能管辖" in role_scope_error(Role.village, AreaLevel.county)
    assert "必须指定" in role_scope_error(Role.township, None)
    assert role_scope_error(Role.admin, None) is None


def test_pii_and_write_permissions():
    assert may_view_pii("village", None)
    assert not may_view_pii("auditor", None)
    assert not may_view_pii("grid", None)
    assert may_view_pii("grid", True)
    assert not may_view_pii("county", False)
    assert not may_write("auditor") and may_write("village")


def test_password_and_username_rules():
    assert password_error("short1") is not None
    assert password_error("onlyletterslong") is not None
    assert password_error("demo-village-2026") is None
    assert username_error("a b") is not None
    assert username_error("demo_village") is None


def test_audit_changes_redact_secrets_and_keep_only_differences():
    changes = changed_fields({"name": "甲", "id_number": "530326199001011234", "x": 1},
                             {"name": "乙", "id_number": "53032619900101123X", "x": 1})
    assert changes == {"name": {"before": "甲", "after": "乙"},
                       "id_number": {"before": REDACTED, "after": REDACTED}}
