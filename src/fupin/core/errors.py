"""Errors shared by every capability; the API and the pages map them to HTTP answers."""

from __future__ import annotations


class FupinError(Exception):
    status_code = 400
    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(FupinError):
    status_code = 404
    code = "not_found"

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"未找到{entity}:{key}")
        self.entity = entity
        self.key = key


class Invalid(FupinError):
    status_code = 422
    code = "invalid"


class Conflict(FupinError):
    status_code = 409
    code = "conflict"


class Forbidden(FupinError):
    status_code = 403
    code = "forbidden"


class Unauthenticated(FupinError):
    status_code = 401
    code = "unauthenticated"
