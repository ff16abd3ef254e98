"""Write routes of indicators (reports, area exit), one concrete request each, for the route × role test."""

from __future__ import annotations

import datetime as dt

from tests.route_examples import Call, Demo, Example

YEAR = 2020  # a year of the demo's rural population
DAY = dt.date(2020, 12, 1).isoformat()


def _report_api(demo: Demo) -> Call:
    return Call("/api/v1/indicators/reports", json={"area": demo.county_code, "year": YEAR, "format": "md"})


def _report_page(demo: Demo) -> Call:
    return Call("/indicators/report", data={"area": demo.county_code, "year": str(YEAR), "format": "md"})


def _step(demo: Demo) -> dict[str, str]:
    return {"area": demo.village_code, "year": str(YEAR), "step": "proposal", "happened_on": DAY, "note": "乡镇提出"}


def _step_api(demo: Demo) -> Call:
    return Call("/api/v1/indicators/area-exit/steps", json=_step(demo) | {"year": YEAR})


def _step_page(demo: Demo) -> Call:
    return Call("/indicators/area-exit/steps", data=_step(demo))


def _survey(demo: Demo) -> dict[str, str]:
    return {"area": demo.county_code, "year": str(YEAR), "sampled_exited": "100", "wrong_exits": "1",
            "sampled_households": "200", "missed_registrations": "2", "approval_asked": "100", "approval_yes": "95",
            "surveyed_on": DAY, "surveyor": "第三方评估组"}


def _survey_api(demo: Demo) -> Call:
    data = _survey(demo)
    return Call("/api/v1/indicators/area-exit/surveys",
                json={k: (v if k in ("area", "surveyed_on", "surveyor") else int(v)) for k, v in data.items()})


def _survey_page(demo: Demo) -> Call:
    return Call("/indicators/area-exit/surveys", data=_survey(demo))


EXAMPLES = [
    Example("POST", "/api/v1/indicators/reports", "indicators.report", _report_api),
    Example("POST", "/api/v1/indicators/area-exit/steps", "indicators.area_exit.proposal", _step_api),
    Example("POST", "/api/v1/indicators/area-exit/surveys", "indicators.area_exit.survey", _survey_api),
    Example("POST", "/indicators/report", "indicators.report", _report_page),
    Example("POST", "/indicators/area-exit/steps", "indicators.area_exit.proposal", _step_page),
    Example("POST", "/indicators/area-exit/surveys", "indicators.area_exit.survey", _survey_page),
]
