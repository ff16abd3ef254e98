"""Logging of the served process: access lines carry the path, never the query string.

A search for an ID number, a name or a phone travels in `?q=…`; it must not reach a log file. uvicorn starts its
worker processes afresh, so the filter is given as logging configuration (by dotted name), not added in this
process only.
"""

from __future__ import annotations

import copy
import logging
from typing import Any


class DropQueryString(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record: (client address, method, full path, HTTP version, status)
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            args = list(record.args)
            args[2] = args[2].split("?", 1)[0]
            record.args = tuple(args)
        return True


def uvicorn_log_config() -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["drop_query_string"] = {"()": "fupin.web.logconfig.DropQueryString"}
    config["handlers"]["access"]["filters"] = ["drop_query_string"]
    return config
