"""Read side of the indicators capability beyond the roll-up engine: the default year, the area-exit evaluation,
record, steps and survey, and the exit status of every village below an area. Every function takes the caller's
session and scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin.core.areacodes import AreaLevel, level_of
from fupin.core.scoping import Scope
from fupin.indicators import engine, errors, rules
from fupin.indicators.models import AreaExit, AreaExitStep, AreaExitSurvey, RuralPopulation


def default_year(session: Session, scope: Scope) -> int:
    """The latest year with a rural population entered for the scope (else last year)."""
    latest = session.scalar(select(func.max(RuralPopulation.year)).where(scope.condition(RuralPopulation.area_code)))
    return int(latest) if latest else dt.date.today().year - 1


def exit_level(code: str) -> str:
    """"village" or "county"; any other level does not exit."""
    level = level_of(code)
    if level == AreaLevel.village:
        return "village"
    if level == AreaLevel.county:
        return "county"
    raise errors.EXIT_LEVEL(field="area")


def survey_of(session: Session, code: str, year: int) -> AreaExitSurvey | None:
    return session.scalar(select(AreaExitSurvey).where(AreaExitSurvey.area_code == code, AreaExitSurvey.year == year))


def exit_record(session: Session, code: str, year: int) -> AreaExit | None:
    return session.scalar(select(AreaExit).where(AreaExit.area_code == code, AreaExit.year == year))


def steps_of(session: Session, area_exit_id: int) -> list[AreaExitStep]:
    return list(session.scalars(select(AreaExitStep).where(AreaExitStep.area_exit_id == area_exit_id)
                                .order_by(AreaExitStep.id)))


def evaluate_exit(session: Session, scope: Scope, code: str, year: int) -> rules.AreaExitEvaluation:
    """The exit evaluation of a village or county from its figures (and, for a county, its survey)."""
    level = exit_level(code)
    table = engine.compute(session, scope, code, year, level_of(code), ["poverty_incidence"])
    incidence = table.root().values["poverty_incidence"].exact
    survey = None
    if level == "county":
        row = survey_of(session, code, year)
        if row is not None:
            survey = rules.SurveyFigures(row.sampled_exited, row.wrong_exits, row.sampled_households,
                                         row.missed_registrations, row.approval_asked, row.approval_yes)
    return rules.evaluate_area_exit(code, level, incidence, survey)


def villages_exit_status(session: Session, scope: Scope, area: str, year: int) -> list[dict[str, Any]]:
    """Every village below `area` with its evaluation and recorded status: one roll-up call and one query."""
    table = engine.compute(session, scope, area, year, AreaLevel.village, ["poverty_incidence"])
    recorded = dict(session.execute(select(AreaExit.area_code, AreaExit.status).where(
        Scope.of_area(area).condition(AreaExit.area_code), AreaExit.year == year,
        AreaExit.level == "village")).all())
    out = []
    for row in table.at_level(AreaLevel.village):
        value = row.values["poverty_incidence"]
        evaluation = rules.evaluate_area_exit(row.code, "village", value.exact)
        out.append({"code": row.code, "name": row.name, "incidence": evaluation.figures["incidence"],
                    "limit": rules.incidence_limit(row.code), "passed": evaluation.passed,
                    "reasons": evaluation.reasons, "status": recorded.get(row.code)})
    return out
