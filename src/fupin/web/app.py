"""FastAPI app factory: JSON API under /api/v1, pages, static assets, health checks, and the answers to errors.

Every error a request can meet is answered in words: a domain error with its code and status; a unique key lost
to a concurrent writer 409; a saturated process or pool, a locked SQLite file or an unreachable database 503
with Retry-After; a bad request 422 naming each field in Chinese. A 500 is a defect.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from fupin import __version__
from fupin.core import errors, i18n
from fupin.core.audit import VIEW_LOG
from fupin.core.capability import load_capabilities
from fupin.core.db import Database
from fupin.core.errors import FupinError, Unavailable
from fupin.core.jobs import Worker
from fupin.core.keys import ensure_key
from fupin.core.migrations import migration_status
from fupin.core.settings import Settings, get_settings
from fupin.core.uow import translate_database_error
from fupin.core.validation import describe
from fupin.web.deps import LOCALE_COOKIE, LoginRequired
from fupin.web.templating import render

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger("fupin.web")

PAGE_NOT_FOUND = errors.define("core.page_not_found", errors.NotFound, "页面不存在:{path}", "No such page: {path}")
METHOD_NOT_ALLOWED = errors.define("core.method_not_allowed", errors.Invalid, "不支持此操作方式", "Method not allowed")
INTERNAL = errors.define("core.internal", FupinError, "系统内部错误,已记录;请稍后重试或联系管理员",
                         "Internal error (logged); try again later or tell the administrator")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


class AdmissionControl:
    """At most `limit` requests in progress per worker process; a request that waits longer than `timeout`
    for its turn is answered 503 with Retry-After at once, so a saturated server stays quick and honest."""

    EXEMPT = ("/static/", "/healthz", "/readyz", "/favicon")

    def __init__(self, app: ASGIApp, limit: int, timeout: float) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout
        self._semaphore: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.EXEMPT):
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.limit)
        try:
            await asyncio.wait_for(self._semaphore.acquire(), timeout=self.timeout)
        except TimeoutError:
            await _busy_response(scope)(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._semaphore.release()


def _busy_response(scope: Scope) -> Response:
    seconds = Unavailable.retry_after_seconds
    error = errors.BUSY(seconds=seconds)
    headers = {"Retry-After": str(seconds)}
    path = scope.get("path", "")
    accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
    if path.startswith("/api/") or "application/json" in accept:
        return JSONResponse({"error": error.code, "message": error.message}, status_code=503, headers=headers)
    html = ("<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>系统繁忙</title>"
            f"<p>{error.message}</p><p>The system is busy; try again in {seconds} s.</p></html>")
    return Response(html, status_code=503, media_type="text/html", headers=headers)


def error_response(request: Request, error: FupinError) -> Response:
    headers = {"Retry-After": str(Unavailable.retry_after_seconds)} if isinstance(error, Unavailable) else None
    if _wants_json(request):
        body: dict[str, object] = {"error": error.code, "message": error.message}
        if error.field:
            body["field"] = error.field
        return JSONResponse(body, status_code=error.status_code, headers=headers)
    return render(request, "error.html", {"error": error}, status_code=error.status_code, headers=headers)


def create_app(settings: Settings | None = None, db: Database | None = None,
               run_jobs: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    db = db or Database.from_settings(settings)
    run_jobs = settings.embedded_worker if run_jobs is None else run_jobs

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Refuse to serve with a key that does not belong to this database (core.keys); never make a new one.
        ensure_key(db, settings)
        worker = Worker(db, stale_seconds=settings.job_stale_seconds) if run_jobs else None
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            VIEW_LOG.flush_quietly()

    app = FastAPI(
        lifespan=lifespan,
        title="fupin 扶贫",
        version=__version__,
        description="抓党建促脱贫攻坚与防止返贫动态监测管理系统 — JSON API",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.db = db
    app.state.settings = settings
    app.state.capabilities = load_capabilities()

    @app.middleware("http")
    async def locale_and_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        token = i18n.current_locale.set(i18n.pick_locale(request.cookies.get(LOCALE_COOKIE), None))
        try:
            response: Response = await call_next(request)
        finally:
            i18n.current_locale.reset(token)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.add_middleware(AdmissionControl, limit=settings.max_inflight, timeout=settings.queue_timeout)

    @app.exception_handler(FupinError)
    async def fupin_error(request: Request, error: FupinError) -> Response:
        return error_response(request, error)

    @app.exception_handler(sa_exc.SQLAlchemyError)
    async def database_error(request: Request, error: sa_exc.SQLAlchemyError) -> Response:
        translated = translate_database_error(error)
        if isinstance(translated, FupinError):
            return error_response(request, translated)
        log.exception("database error", exc_info=error)
        return error_response(request, INTERNAL())

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _error: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        details = describe(list(error.errors()), skip_prefix=1)
        message = ";".join(d.sentence() for d in details[:5]) or errors.INVALID_INPUT.render({})
        if _wants_json(request) or request.method != "GET":
            return JSONResponse({"error": errors.INVALID_INPUT.code, "message": message,
                                 "details": [d.as_dict() for d in details]}, status_code=422)
        return render(request, "error.html", {"error": errors.Invalid(message)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return error_response(request, PAGE_NOT_FOUND(path=request.url.path))
        if error.status_code == 405:
            return error_response(request, METHOD_NOT_ALLOWED())
        body = {"error": f"http.{error.status_code}", "message": str(error.detail)}
        return JSONResponse(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    health = APIRouter(tags=["health"])

    @health.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @health.get("/readyz")
    def readyz() -> Response:
        """Red while the database cannot be reached or the schema is behind the code; green again by itself."""
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            status = migration_status(db.engine)
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            return JSONResponse({"status": "unavailable", "reason": type(error).__name__}, status_code=503,
                                headers={"Retry-After": "5"})
        if not status.current:
            return JSONResponse({"status": "migrations_pending", **status.as_dict()}, status_code=503)
        return JSONResponse({"status": "ready", **status.as_dict()})

    @health.get("/api/docs", include_in_schema=False)
    def api_docs() -> Response:
        # FastAPI's default page loads Swagger UI from a CDN; intranets have none, so serve our own copy.
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="fupin API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"syntaxHighlight": False},
        )

    app.include_router(health)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    from fupin.web import jobs as job_routes
    from fupin.web import pages as shell_pages

    app.include_router(shell_pages.router)
    app.include_router(job_routes.pages_router)
    app.include_router(job_routes.api_router, prefix="/api/v1")
    for capability in app.state.capabilities:
        if capability.api_router is not None:
            app.include_router(capability.api_router, prefix="/api/v1")
        if capability.pages_router is not None:
            app.include_router(capability.pages_router)
    app.include_router(shell_pages.placeholder_router)
    return app
