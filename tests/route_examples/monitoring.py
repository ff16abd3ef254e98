"""Write routes of monitoring (防返贫监测), one concrete request each, for the route × role permission test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from fupin.monitoring.models import MonitoredHousehold, MonitoringStep
from fupin.monitoring.rules import STEPS
from tests.route_examples import Call, Demo, Example

TODAY = dt.date.today().isoformat()


def _record(demo: Demo, status: str) -> MonitoredHousehold:
    """A record of the demo with `status`, as near the demo village as there is one."""
    for prefix in (demo.village_code, demo.township_code[:9], demo.county_code[:6]):
        found = demo.session.scalar(select(MonitoredHousehold).where(
            MonitoredHousehold.area_code.startswith(prefix), MonitoredHousehold.status == status)
            .order_by(MonitoredHousehold.id).limit(1))
        if found is not None:
            return found
    raise LookupError(f"the demo has no monitoring record in status {status}")


def _exited_household(demo: Demo) -> int:
    from fupin.registry.models import Household

    for prefix in (demo.village_code, demo.township_code[:9], demo.county_code[:6]):
        found = demo.session.scalar(select(Household.id).where(
            Household.area_code.startswith(prefix), Household.status == "exited",
            ~select(MonitoredHousehold.id).where(MonitoredHousehold.household_id == Household.id,
                                                 MonitoredHousehold.status.in_(("identifying", "monitored")))
            .exists()).order_by(Household.id).limit(1))
        if found is not None:
            return found
    raise LookupError("the demo has no exited household")


def _next_step(demo: Demo) -> tuple[int, str]:
    record = _record(demo, "identifying")
    done = set(demo.session.scalars(select(MonitoringStep.step).where(MonitoringStep.monitored_id == record.id)))
    return record.id, next(step for step, _name in STEPS if step not in done)


def _start(demo: Demo) -> dict[str, Any]:
    return {"household_id": _exited_household(demo), "monitor_type": "sudden", "risk_types": ["disaster"],
            "channel": "cadre_check", "clue_on": TODAY}


def _start_api(demo: Demo) -> Call:
    return Call("/api/v1/monitoring/households", json=_start(demo))


def _start_page(demo: Demo) -> Call:
    data = _start(demo)
    return Call("/monitoring", data={**data, "household_id": str(data["household_id"]), "risk_types": "disaster"})


def _step_api(demo: Demo) -> Call:
    record, step = _next_step(demo)
    return Call(f"/api/v1/monitoring/households/{record}/steps", json={"step": step, "happened_on": TODAY},
                action=f"monitoring.step.{step}")


def _step_page(demo: Demo) -> Call:
    record, step = _next_step(demo)
    return Call(f"/monitoring/{record}/steps", data={"step": step, "happened_on": TODAY},
                action=f"monitoring.step.{step}")


def _measure(demo: Demo) -> dict[str, Any]:
    return {"measure_type": "health", "delivered_on": TODAY, "amount": "300.00", "description": "医疗救助"}


def _measure_api(demo: Demo) -> Call:
    return Call(f"/api/v1/monitoring/households/{_record(demo, 'monitored').id}/measures", json=_measure(demo))


def _measure_page(demo: Demo) -> Call:
    return Call(f"/monitoring/{_record(demo, 'monitored').id}/measures", data=_measure(demo))


def _clear_api(demo: Demo) -> Call:
    return Call(f"/api/v1/monitoring/households/{_record(demo, 'monitored').id}/clear", json={"cleared_on": TODAY})


def _clear_page(demo: Demo) -> Call:
    return Call(f"/monitoring/{_record(demo, 'monitored').id}/clear", data={"cleared_on": TODAY})


def _threshold(demo: Demo) -> Call:
    return Call("/api/v1/monitoring/thresholds/2025", json={"amount": "7000.00", "province_code": demo.county_code[:2]})


def _threshold_page(demo: Demo) -> Call:
    return Call("/monitoring/thresholds", data={"year": "2025", "amount": "7000.00",
                                                "province_code": demo.county_code[:2]})


def _poverty_line_page(demo: Demo) -> Call:
    return Call("/monitoring/poverty-lines", data={"year": "2020", "amount": "4100.00",
                                                   "province_code": demo.county_code[:2]})


EXAMPLES = [
    Example("POST", "/api/v1/monitoring/households", "monitoring.start", _start_api),
    Example("POST", "/api/v1/monitoring/households/{monitored_id}/steps", None, _step_api),
    Example("POST", "/api/v1/monitoring/households/{monitored_id}/measures", "monitoring.measure.add", _measure_api),
    Example("POST", "/api/v1/monitoring/households/{monitored_id}/clear", "monitoring.risk.clear", _clear_api),
    Example("PUT", "/api/v1/monitoring/thresholds/{year}", "monitoring.threshold.set", _threshold),
    Example("POST", "/monitoring", "monitoring.start", _start_page),
    Example("POST", "/monitoring/{monitored_id}/steps", None, _step_page),
    Example("POST", "/monitoring/{monitored_id}/measures", "monitoring.measure.add", _measure_page),
    Example("POST", "/monitoring/{monitored_id}/clear", "monitoring.risk.clear", _clear_page),
    Example("POST", "/monitoring/thresholds", "monitoring.threshold.set", _threshold_page),
    Example("POST", "/monitoring/poverty-lines", "registry.poverty_line.set", _poverty_line_page),
]
