"""Pages of accounts: log in and out, one's own account (password, tokens), users (admin and county), audit."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse

from fupin.accounts import service
from fupin.accounts.api import client_address
from fupin.accounts.schemas import PasswordChange, UserCreate, UserUpdate
from fupin.areas.queries import names_of
from fupin.core import i18n
from fupin.core.areacodes import LEVEL_NAMES_ZH
from fupin.core.audit import SENSITIVE_FIELDS
from fupin.core.capability import contributions
from fupin.core.errors import FupinError
from fupin.core.permissions import grant
from fupin.core.roles import ROLE_AREA_LEVELS, ROLE_NAMES_ZH, Role, role_name
from fupin.core.settings import get_settings
from fupin.core.validation import COMMON_LABELS
from fupin.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AnonymousUow,
    OptionalUserDep,
    PageUow,
    PageUser,
    SessionDep,
    verify_csrf,
)
from fupin.web.forms import FormResult, PageForm, redirect_back, submit
from fupin.web.templating import AREA_COOKIE, render

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]

ACTION_NAMES = {"create": "新建", "update": "修改", "delete": "删除", "login": "登录", "login_failed": "登录失败",
                "logout": "退出/吊销", "token_issued": "签发令牌", "import": "导入", "command": "命令",
                "export": "导出个人信息", "view": "查看个人信息", "denied": "被拒绝"}
ENTITY_NAMES = {"users": "用户", "auth_tokens": "登录令牌", "households": "贫困户", "persons": "家庭成员",
                "household_incomes": "收入", "household_checks": "两不愁三保障核查", "help_measures": "帮扶措施",
                "visits": "走访", "household_events": "户状态与退出程序", "poverty_lines": "扶贫标准", "areas": "区划",
                "jobs": "后台任务", "job_files": "任务文件", "login_throttles": "登录来源地址", "party_orgs": "党组织",
                "party_members": "党员", "cadres": "帮扶干部", "pairs": "结对", "org_pairs": "党组织结对",
                "monitored_households": "监测户", "area_exits": "贫困村/县退出",
                # every other table the use cases write (their audit entity names)
                "area_exit": "贫困村/县退出", "area_exit_survey": "退出抽样调查", "cadre": "帮扶干部",
                "coverage": "覆盖规则", "employment_station": "就业服务站", "job_opening": "岗位",
                "job_placement": "就业记录", "key_fingerprints": "密钥指纹", "lottery_draw": "摇号分房",
                "monitoring_steps": "监测认定步骤", "monitoring_thresholds": "监测标准", "org_pair": "党组织结对",
                "org_pair_help": "党组织结对帮扶", "pair": "结对", "pairing_plan": "结对方案", "party_member": "党员",
                "party_org": "党组织", "relocated_household": "搬迁户", "relocated_households": "搬迁户",
                "relocation_checklist": "三地三保三就清单", "resettlement_site": "安置点",
                "rural_population": "农村户籍人口", "site_building": "安置楼栋", "site_grid": "网格",
                "site_grids": "网格", "training_attendance": "培训参训", "training_course": "培训班",
                "worker": "劳动力", "workers": "劳动力"}
# Field names of audit changes beyond the common form labels (core.validation.COMMON_LABELS).
AUDIT_LABELS = {"password_hash": "密码", "site_id": "安置点", "grid_size": "每网格户数", "moved_in": "已入住户数",
                "allocated": "已分房户数", "result_digest": "结果校验码", "level": "层级", "status": "状态",
                "display_name": "显示名", "locked": "锁定", "active": "启用", "scope": "管辖范围",
                "area_name": "区划名称", "households": "户数", "seed": "随机种子", "count": "数量",
                "entity_id": "单位", "shop_id": "超市", "planned_households": "计划搬迁户数",
                "planned_people": "计划搬迁人数", "identified_on": "认定日期", "cleared_on": "风险消除日期",
                "step": "步骤", "passed": "是否达标", "reasons": "原因", "file": "文件", "rows": "行数",
                "kind": "类型", "province_code": "省份", "monitor_type": "监测对象类型",
                "fields": "字段", "step_name": "步骤", "risk_types": "风险类型", "out_of_village": "是否外出",
                "monitored_id": "监测对象", "department_alert": "部门预警", "clue_on": "发现线索日期",
                "address_locked": "地址已锁定", "account_locked": "账号已锁定"}
LEVEL_WORDS = {level.value: name for level, name in LEVEL_NAMES_ZH.items()}


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else "/"


def _login_page(request: Request, next_url: str, error: str | None = None, username: str = "", status: int = 200):
    token = secrets.token_urlsafe(24)
    request.state.login_csrf = token
    response = render(request, "accounts/login.html", {"next": next_url, "error": error, "username": username},
                      status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", max_age=3600,
                        secure=get_settings().cookie_secure)
    return response


@router.get("/login")
def login_form(request: Request, user: OptionalUserDep, next: Annotated[str, Query(max_length=500)] = "/"):
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, _safe_next(next))


@router.post("/login")
def login(request: Request, uow: AnonymousUow, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=256)], next: Annotated[str, Form(max_length=500)] = "/"):
    outcome = service.login(uow, username, password, kind="session", address=client_address(request))
    try:
        token, _record = outcome.token_or_raise()
    except FupinError as error:
        return _login_page(request, _safe_next(next), error.message, username, status=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    settings = get_settings()
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure,
                        max_age=int(dt.timedelta(hours=settings.session_hours).total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(uow: PageUow, user: PageUser):
    service.logout(uow, user.token_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(AREA_COOKIE)
    return response


# ---------------------------------------------------------------- one's own account


def _account(request: Request, session, user, form: FormResult | None, ok: str | None,  # type: ignore[no-untyped-def]
             status: int = 200):
    return render(request, "accounts/account.html", {
        "tokens": service.list_tokens(session, user.id), "form": form, "ok": ok,
        "role_title": role_name(user.role, i18n.current_locale.get())},
        status_code=status)


@router.get("/account")
def account_page(request: Request, session: SessionDep, user: PageUser,
                 ok: Annotated[str | None, Query(max_length=40)] = None):
    return _account(request, session, user, None, ok)


@router.post("/account/password")
def change_password(request: Request, session: SessionDep, uow: PageUow, user: PageUser,
                    form: PageForm[PasswordChange]):
    def again(status: int):
        form.values.pop("current_password", None)
        form.values.pop("new_password", None)
        return _account(request, session, user, form, None, status=status)

    return submit(form, lambda data: service.change_own_password(uow, data.current_password, data.new_password),
                  lambda _: redirect_back("/account", ok="密码已修改"), again, FormResult.add_error)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: UserId, uow: PageUow):
    service.revoke_token(uow, token_id)
    return redirect_back("/account", ok="已吊销")


@router.post("/account/tokens/revoke-all")
def revoke_all(uow: PageUow):
    service.revoke_all_tokens(uow)
    return RedirectResponse("/login", status_code=303)


# ---------------------------------------------------------------- users (admin and county)


def _role_options(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.value: ROLE_NAMES_ZH[r] for r in Role if r != Role.admin or user.role == Role.admin}


@router.get("/users")
def users_page(request: Request, uow: PageUow, user: PageUser):
    users = service.users_in_scope(uow)
    now = dt.datetime.now(dt.UTC)
    return render(request, "accounts/users.html", {"users": users, "roles": ROLE_NAMES_ZH, "now": now})


def _user_form(request: Request, user, form: FormResult | None, status: int = 200,  # type: ignore[no-untyped-def]
               edited=None):  # type: ignore[no-untyped-def]
    return render(request, "accounts/user_form.html", {
        "form": form, "edited": edited, "role_options": _role_options(user),
        "levels": {r.value: sorted(level.value for level in (ROLE_AREA_LEVELS[r] or ())) for r in Role}},
        status_code=status)


@router.get("/users/new")
def new_user_page(request: Request, user: PageUser):
    if grant(user.role, "accounts.user.manage") is None:
        from fupin.core.errors import FORBIDDEN_ACTION

        raise FORBIDDEN_ACTION(action="管理用户")
    return _user_form(request, user, None)


@router.post("/users/new")
def create_user(request: Request, uow: PageUow, user: PageUser, form: PageForm[UserCreate]):
    def again(status: int):
        form.values.pop("password", None)
        return _user_form(request, user, form, status=status)

    return submit(form, lambda d: service.create_user(uow, username=d.username, password=d.password, role=d.role,
                                                      area_code=d.area_code, display_name=d.display_name,
                                                      entity_id=d.entity_id, shop_id=d.shop_id),
                  lambda created: redirect_back(f"/users/{created.id}", ok="已创建用户"), again, FormResult.add_error)


@router.get("/users/{user_id}")
def user_page(request: Request, user_id: UserId, uow: PageUow, user: PageUser,
              ok: Annotated[str | None, Query(max_length=60)] = None,
              password: Annotated[str | None, Query(max_length=60)] = None):
    edited = next((u for u in service.users_in_scope(uow) if u.id == user_id), None)
    if edited is None:
        from fupin.accounts.errors import USER_NOT_FOUND

        raise USER_NOT_FOUND(key=user_id)
    return render(request, "accounts/user.html", {
        "edited": edited, "ok": ok, "roles": ROLE_NAMES_ZH, "role_options": _role_options(user), "form": None,
        "locked": edited.locked_until is not None and edited.locked_until > dt.datetime.now(dt.UTC)})


@router.post("/users/{user_id}")
def update_user(request: Request, user_id: UserId, uow: PageUow, user: PageUser, form: PageForm[UserUpdate]):
    def again(status: int):
        edited = next((u for u in service.users_in_scope(uow) if u.id == user_id), None)
        return render(request, "accounts/user.html", {"edited": edited, "roles": ROLE_NAMES_ZH, "form": form,
                                                      "role_options": _role_options(user), "ok": None,
                                                      "locked": False}, status_code=status)

    return submit(form, lambda data: service.update_user(uow, user_id, **data.model_dump(exclude_unset=True)),
                  lambda _: redirect_back(f"/users/{user_id}", ok="已保存"), again, FormResult.add_error)


@router.post("/users/{user_id}/disable")
def disable_user(user_id: UserId, uow: PageUow):
    service.set_active(uow, user_id, False)
    return redirect_back(f"/users/{user_id}", ok="已停用")


@router.post("/users/{user_id}/enable")
def enable_user(user_id: UserId, uow: PageUow):
    service.set_active(uow, user_id, True)
    return redirect_back(f"/users/{user_id}", ok="已启用")


@router.post("/users/{user_id}/unlock")
def unlock_user(user_id: UserId, uow: PageUow):
    service.unlock(uow, user_id)
    return redirect_back(f"/users/{user_id}", ok="已解锁")


@router.post("/users/{user_id}/reset-password")
def reset_password(request: Request, user_id: UserId, uow: PageUow, user: PageUser):
    password = service.reset_password(uow, user_id)
    edited = next((u for u in service.users_in_scope(uow) if u.id == user_id), None)
    # The new password is shown once, in this answer only (never in a URL or a log).
    return render(request, "accounts/user.html", {"edited": edited, "roles": ROLE_NAMES_ZH, "form": None,
                                                  "role_options": _role_options(user), "ok": "已重置密码",
                                                  "new_password": password, "locked": False})


# ---------------------------------------------------------------- audit log


@lru_cache
def _contributed() -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, dict[str, dict[str, str]]]]:
    """(entity names, field labels per entity, value words per entity and field) the capabilities contribute
    (`audit_words`), merged; field labels under "" are every capability's, for an entity none names."""
    entities: dict[str, str] = {}
    fields: dict[str, dict[str, str]] = {"": {}}
    values: dict[str, dict[str, dict[str, str]]] = {}
    for _owner, words in contributions("audit_words"):
        entities.update(words.entities)
        for entity in words.entities:
            fields.setdefault(entity, {}).update(words.fields)
        for name, label in words.fields.items():
            fields[""].setdefault(name, label)
        for entity, by_field in words.values.items():
            values.setdefault(entity, {}).update(by_field)
    return entities, fields, values


def entity_names() -> dict[str, str]:
    return {**ENTITY_NAMES, **_contributed()[0]}


def describe_changes(changes: dict | None, entity: str = "") -> list[str]:
    """Audit changes in words: "住址:旧 → 新"; sensitive values stay hidden; a capability's coded values (a
    status, a kind) in its words."""
    if not changes:
        return []
    lines = []
    for name, change in changes.items():
        label = _label(name, entity)
        if name == "detail" and isinstance(change, dict):
            lines.extend(f"{_label(k, entity)}:{_shown(k, v, entity)}" for k, v in change.items())
        elif isinstance(change, dict) and set(change) <= {"before", "after"}:
            lines.append(f"{label}:{_shown(name, change.get('before'), entity)} → "
                         f"{_shown(name, change.get('after'), entity)}")
        else:
            lines.append(f"{label}:{_shown(name, change, entity)}")
    return lines


def _label(name: str, entity: str = "") -> str:
    """The entity's own capability's label first (a scorecard item's `name` is 名称, not a person's 姓名)."""
    fields = _contributed()[1]
    if name in fields.get(entity, {}):
        return fields[entity][name]
    if name in COMMON_LABELS:
        return COMMON_LABELS[name][0]
    return AUDIT_LABELS.get(name) or fields[""].get(name, name)


def _shown(name: str, value: object, entity: str = "") -> str:
    if value is None or value == "":
        return "(空)"
    words = _contributed()[2].get(entity, {}).get(name)
    if words is not None and isinstance(value, str) and value in words:
        return words[value]
    if name == "fields" and isinstance(value, list | tuple):
        return "、".join(_label(str(v), entity) for v in value)
    if isinstance(value, dict):  # a line of a list (a scorecard's item) or goods → quantity
        return "(" + ",".join(f"{_label(str(k), entity)}:{_shown(str(k), v, entity)}" for k, v in value.items()) + ")"
    if name == "role" and isinstance(value, str) and value in set(Role):
        return ROLE_NAMES_ZH[Role(value)]
    if name == "level" and isinstance(value, str) and value in LEVEL_WORDS:
        return LEVEL_WORDS[value]
    if name in SENSITIVE_FIELDS and value not in ("set", "reset", "changed"):
        return "***"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list | tuple):
        return "、".join(_shown(name, v, entity) for v in value)
    return str(value)


@router.get("/audit")
def audit_page(
    request: Request,
    uow: PageUow,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    date_from: Annotated[dt.date | None, Query()] = None,
    date_to: Annotated[dt.date | None, Query()] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
):
    rows = service.read_audit(uow, entity=entity or None, date_from=date_from, date_to=date_to,
                              before_id=before_id, limit=50)
    return render(request, "accounts/audit.html", {
        "rows": rows, "entity": entity or "", "date_from": date_from, "date_to": date_to,
        "next_before": rows[-1].id if len(rows) == 50 else None, "action_names": ACTION_NAMES,
        "entity_names": entity_names(), "describe": describe_changes, "role_names": ROLE_NAMES_ZH,
        "area_names": names_of(uow.session, [r.area_code for r in rows if r.area_code]),
    })
