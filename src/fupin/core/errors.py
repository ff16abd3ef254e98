"""Errors with stable codes, mapped once to an HTTP status and to Chinese and English messages.

Every capability declares its codes in its own `errors.py` with `define(...)`; a raise site says which code and
which values fill the message: `raise errors.ID_CHECK_DIGIT(field="id_number")`. The API answers
`{"error": code, "message": …, "field": …}`; tests assert codes, never message text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

_CATALOGUE: dict[str, ErrorCode] = {}


class FupinError(Exception):
    """A domain error: a code (stable), the field it concerns, and the values its message names."""

    status_code: ClassVar[int] = 400
    generic_code: ClassVar[str] = "core.error"

    def __init_subclass__(cls, *, status_code: int | None = None, generic_code: str | None = None,
                          **kwargs: Any) -> None:
        """A kind of error names its HTTP status and its generic code in its class line; a subclass inherits them."""
        super().__init_subclass__(**kwargs)
        if status_code is not None:
            cls.status_code = status_code
        if generic_code is not None:
            cls.generic_code = generic_code

    def __init__(self, code: ErrorCode | str, /, *, field: str | None = None, **params: Any) -> None:
        if isinstance(code, str):
            # A message written at the raise site (older code, or text composed elsewhere): it keeps the class's
            # generic code. New raise sites use a declared ErrorCode.
            self.error_code: ErrorCode | None = None
            self._text = code
        else:
            self.error_code = code
            self._text = None
        self.field = field
        self.params = params
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return self.error_code.code if self.error_code is not None else self.generic_code

    @property
    def message(self) -> str:
        if self.error_code is None:
            return self._text or ""
        return self.error_code.render(self.params)

    def message_in(self, locale: str) -> str:
        if self.error_code is None:
            return self._text or ""
        return self.error_code.render(self.params, locale)

    def __str__(self) -> str:
        return self.message


class Invalid(FupinError, status_code=422, generic_code="core.invalid"):
    """The input breaks a rule."""


class Conflict(FupinError, status_code=409, generic_code="core.conflict"):
    """The data as it stands does not allow it (taken, already done, changed meanwhile)."""


class Forbidden(FupinError, status_code=403, generic_code="core.forbidden"):
    """The caller's role or area does not allow it."""


class Unauthenticated(FupinError, status_code=401, generic_code="core.unauthenticated"):
    """Nobody is logged in, or the session or token is no longer valid."""


class Unavailable(FupinError, status_code=503, generic_code="core.unavailable"):
    """The system is saturated or the database is out of reach for a moment: try again shortly (503)."""

    retry_after_seconds = 2


@dataclass(frozen=True)
class ErrorCode:
    code: str
    kind: type[FupinError]
    zh: str
    en: str

    def __call__(self, *, field: str | None = None, **params: Any) -> FupinError:
        return self.kind(self, field=field, **params)

    def render(self, params: dict[str, Any], locale: str | None = None) -> str:
        if locale is None:
            from fupin.core.i18n import current_locale

            locale = current_locale.get()
        template = self.en if locale == "en" else self.zh
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template

    @property
    def status_code(self) -> int:
        return self.kind.status_code


def define(code: str, kind: type[FupinError], zh: str, en: str) -> ErrorCode:
    """Declare an error code once; a second declaration of the same code is a programming error."""
    if code in _CATALOGUE and _CATALOGUE[code] != ErrorCode(code, kind, zh, en):
        raise ValueError(f"error code {code} declared twice")
    declared = ErrorCode(code, kind, zh, en)
    _CATALOGUE[code] = declared
    return declared


def catalogue() -> dict[str, ErrorCode]:
    return dict(_CATALOGUE)


class NotFound(FupinError, status_code=404, generic_code="core.not_found"):

    def __init__(self, entity: str | ErrorCode, key: object = None, /, *, field: str | None = None,
                 **params: Any) -> None:
        if isinstance(entity, ErrorCode):
            super().__init__(entity, field=field, **({"key": key} if key is not None else {}), **params)
        else:
            super().__init__(NOT_FOUND, field=field, entity=entity, key=key)
        self.entity = entity
        self.key = key


# Codes every capability shares.
NOT_FOUND = define("core.not_found", NotFound, "未找到{entity}:{key}", "{entity} {key} not found")
INVALID_INPUT = define("core.invalid_input", Invalid, "填写的内容有误", "Some values are not valid")
FORBIDDEN_ACTION = define("core.forbidden_action", Forbidden, "您的角色不能进行此操作:{action}", "Your role may not do this: {action}")
OUT_OF_SCOPE = define("core.out_of_scope", Forbidden, "不能操作管辖范围以外的数据", "Outside your area")
NOT_YOUR_ENTITY = define("core.not_your_entity", Forbidden, "只能操作本单位的数据", "Only your own entity's records")
NOT_YOUR_SHOP = define("core.not_your_shop", Forbidden, "只能操作本超市的数据", "Only your own shop's records")
UNAUTHENTICATED = define("core.unauthenticated", Unauthenticated, "需要登录或有效的访问令牌", "Log in or send a valid token")
STALE_VERSION = define("core.stale_version", Conflict, "记录已被他人修改(版本{sent},当前版本{current}),请刷新后重新填写;您的修改未保存", "Changed by someone else (version {sent}, now {current}); reload and try again")
CONCURRENT_WRITE = define("core.concurrent_write", Conflict, "同一记录正被他人同时修改或已经存在,本次操作未保存,请刷新后查看", "Someone changed or created the same record at the same moment; nothing was saved")
CONSTRAINT = define("core.constraint", Invalid, "数据不符合约束,本次操作未保存", "A database rule refused the data")
BUSY = define("core.busy", Unavailable, "系统繁忙,请稍后再试({seconds}秒后)", "The system is busy; try again in {seconds} s")
DATABASE_DOWN = define("core.database_unavailable", Unavailable, "数据库暂时无法连接,请稍后再试", "The database cannot be reached right now; try again shortly")
