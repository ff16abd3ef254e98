"""FastAPI app factory: JSON API under /api/v1, pages, static assets, health checks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from fupin import __version__
from fupin.core import i18n
from fupin.core.capability import load_capabilities
from fupin.core.db import Database
from fupin.core.errors import FupinError
from fupin.core.migrations import migration_status
from fupin.core.settings import Settings, get_settings
from fupin.web.deps import LOCALE_COOKIE, LoginRequired
from fupin.web.templating import render

STATIC_DIR = Path(__file__).parent / "static"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    db = db or Database(settings.database_url)
    app = FastAPI(
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

    @app.exception_handler(FupinError)
    async def fupin_error(request: Request, error: FupinError) -> Response:
        if _wants_json(request):
            body = {"error": error.code, "message": error.message}
            if error.field:
                body["field"] = error.field
            return JSONResponse(body, status_code=error.status_code)
        return render(request, "error.html", {"error": error}, status_code=error.status_code)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _error: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg", "")}
            for e in error.errors()
        ]
        return JSONResponse({"error": "invalid", "message": "请求参数有误", "details": details}, status_code=422)

    health = APIRouter(tags=["health"])

    @health.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @health.get("/readyz")
    def readyz() -> Response:
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            status = migration_status(db.engine)
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            return JSONResponse({"status": "unavailable", "reason": type(error).__name__}, status_code=503)
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

    from fupin.web import pages as shell_pages

    app.include_router(shell_pages.router)
    for capability in app.state.capabilities:
        if capability.api_router is not None:
            app.include_router(capability.api_router, prefix="/api/v1")
        if capability.pages_router is not None:
            app.include_router(capability.pages_router)
    app.include_router(shell_pages.placeholder_router)
    return app
