import subprocess
import sys
from pathlib import Path

from fupin.core import i18n
from fupin.core.capability import load_capabilities

ROOT = Path(__file__).resolve().parents[2]
DESIGN_PACKAGES = {"areas", "registry", "orgs", "pairing", "industry", "employment", "relocation", "incentives",
                   "services", "monitoring", "indicators", "accounts"}


def test_every_capability_of_the_design_is_a_package_with_a_plugin():
    capabilities = load_capabilities()
    assert {c.name for c in capabilities} == DESIGN_PACKAGES
    for capability in capabilities:
        assert (ROOT / "src" / "fupin" / capability.name / "plugin.py").exists()
        assert capability.title_zh and capability.title_en and capability.summary_zh


def test_every_user_facing_string_has_an_english_translation():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout


def test_english_catalog_is_used_and_chinese_is_the_source():
    token = i18n.current_locale.set("en")
    try:
        assert i18n.gettext("首页") == "Home"
    finally:
        i18n.current_locale.reset(token)
    assert i18n.gettext("首页") == "首页"


def test_every_web_asset_is_local():
    templates = list((ROOT / "src" / "fupin").rglob("templates/**/*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for marker in ("http://", "https://", "//cdn", "googleapis"):
            assert marker not in text, f"{template} refers to an outside asset ({marker})"
    vendor = ROOT / "src" / "fupin" / "web" / "static" / "vendor"
    assert (vendor / "htmx.min.js").stat().st_size > 10_000
    assert (vendor / "echarts.min.js").stat().st_size > 500_000


def test_api_docs_page_uses_local_swagger_assets(tmp_path):
    from fastapi.testclient import TestClient

    from fupin.core.db import Database
    from fupin.web.app import create_app

    with TestClient(create_app(db=Database(f"sqlite:///{tmp_path / 'x.db'}"), run_jobs=False)) as client:
        page = client.get("/api/docs").text
        assert "/static/vendor/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
        assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200
        assert "/api/v1/auth/token" in client.get("/api/v1/openapi.json").json()["paths"]
