"""ASGI entry point for uvicorn: `uvicorn fupin.web.main:app`."""

from fupin.web.app import create_app

app = create_app()
