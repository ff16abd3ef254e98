"""Area exit (贫困村/贫困县退出): evaluate from the figures, record the survey, record each step with audit."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy import select

from fupin.core.areacodes import AreaLevel, level_of, validate_code
from fupin.core.audit import AuditAction
from fupin.core.errors import Conflict, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import engine, rules
from fupin.indicators.models import AreaExit, AreaExitStep, AreaExitSurvey

STATUS_AFTER_STEP = {"proposal": "proposed", "checks": "checked", "publicity": "publicised", "approval": "exited"}


def _exit_level(code: str) -> str:
    level = level_of(code)
    if level == AreaLevel.village:
        return "village"
    if level == AreaLevel.county:
        return "county"
    raise Invalid("只有村和县可以退出评估", field="area_code")


def record_survey(uow: UnitOfWork, area_code: str, year: int, *, sampled_exited: int, wrong_exits: int,
                  sampled_households: int, missed_registrations: int, approval_asked: int, approval_yes: int,
                  surveyed_on: dt.date, surveyor: str, today: dt.date | None = None) -> AreaExitSurvey:
    code = validate_code(area_code)
    if _exit_level(code) != "county":
        raise Invalid("抽样调查记录针对县", field="area_code")
    if not uow.scope.contains(code):
        raise NotFound("区划", code)
    counts = {"sampled_exited": sampled_exited, "wrong_exits": wrong_exits, "sampled_households": sampled_households,
              "missed_registrations": missed_registrations, "approval_asked": approval_asked,
              "approval_yes": approval_yes}
    for name, value in counts.items():
        if value < 0:
            raise Invalid("抽样数字不能为负数", field=name)
    for part, whole in (("wrong_exits", "sampled_exited"), ("missed_registrations", "sampled_households"),
                        ("approval_yes", "approval_asked")):
        if counts[part] > counts[whole]:
            raise Invalid("部分不能大于样本数", field=part)
    if not (surveyor or "").strip():
        raise Invalid("请填写调查单位", field="surveyor")
    if surveyed_on > (today or dt.date.today()):
        raise Invalid(f"调查日期{surveyed_on.isoformat()}晚于今天", field="surveyed_on")
    survey = uow.session.scalar(select(AreaExitSurvey).where(AreaExitSurvey.area_code == code,
                                                             AreaExitSurvey.year == year))
    if survey is not None:
        raise Conflict(f"{year}年该县已有抽样调查记录")
    survey = AreaExitSurvey(area_code=code, year=year, surveyed_on=surveyed_on, surveyor=surveyor.strip(), **counts)
    uow.session.add(survey)
    uow.session.flush()
    uow.audit(AuditAction.create, "area_exit_survey", survey.id, area_code=code, after=counts)
    return survey


def evaluate(session, scope: Scope, area_code: str, year: int) -> rules.AreaExitEvaluation:  # type: ignore[no-untyped-def]
    code = validate_code(area_code)
    level = _exit_level(code)
    table = engine.compute(session, scope, code, year, level_of(code), ["poverty_incidence"])
    incidence = table.root().values["poverty_incidence"].value
    survey = None
    if level == "county":
        row = session.scalar(select(AreaExitSurvey).where(AreaExitSurvey.area_code == code,
                                                          AreaExitSurvey.year == year))
        if row is not None:
            survey = rules.SurveyFigures(row.sampled_exited, row.wrong_exits, row.sampled_households,
                                         row.missed_registrations, row.approval_asked, row.approval_yes)
    return rules.evaluate_area_exit(code, level, incidence if isinstance(incidence, Decimal) else None, survey)


def _steps(session, exit_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AreaExitStep.step).where(AreaExitStep.area_exit_id == exit_id)
                                .order_by(AreaExitStep.id)))


def record_step(uow: UnitOfWork, area_code: str, year: int, step: str, happened_on: dt.date,
                note: str | None = None, *, today: dt.date | None = None) -> AreaExit:
    """Record one step; each step re-evaluates the figures, and approval is refused while any reason fails."""
    code = validate_code(area_code)
    level = _exit_level(code)
    evaluation = evaluate(uow.session, uow.scope, code, year)
    record = uow.session.scalar(select(AreaExit).where(AreaExit.area_code == code, AreaExit.year == year))
    done = [] if record is None else _steps(uow.session, record.id)
    if happened_on > (today or dt.date.today()):
        raise Invalid(f"日期{happened_on.isoformat()}晚于今天,不能登记未发生的事", field="happened_on")
    previous = None if record is None else uow.session.scalar(
        select(AreaExitStep).where(AreaExitStep.area_exit_id == record.id).order_by(AreaExitStep.id.desc()).limit(1))
    if previous is not None and step in rules.STEP_NAMES and happened_on < previous.happened_on:
        raise Invalid(f"日期不能早于上一步“{rules.STEP_NAMES.get(previous.step, previous.step)}”的日期"
                      f"{previous.happened_on.isoformat()}", field="happened_on")
    refusal = rules.step_refusal(done, step, evaluation.passed)
    if refusal is not None:
        detail = refusal if step != "approval" or evaluation.passed else refusal + ":" + ";".join(evaluation.reasons)
        raise Conflict(detail)
    before = None if record is None else {"status": record.status}
    if record is None:
        record = AreaExit(area_code=code, level=level, year=year, status="proposed", passed=evaluation.passed,
                          figures="{}")
        uow.session.add(record)
    record.passed = evaluation.passed
    record.reasons = "\n".join(evaluation.reasons) or None
    record.figures = json.dumps(evaluation.figures, ensure_ascii=False)
    record.status = STATUS_AFTER_STEP[step]
    uow.session.flush()
    uow.session.add(AreaExitStep(area_exit_id=record.id, step=step, happened_on=happened_on,
                                 actor_name=uow.actor.name, note=note))
    uow.audit(AuditAction.update if before else AuditAction.create, "area_exit", record.id, area_code=code,
              before=before, after={"status": record.status, "step": step},
              detail={"passed": evaluation.passed, "reasons": evaluation.reasons})
    return record


def steps_of(session, area_exit_id: int) -> list[AreaExitStep]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AreaExitStep).where(AreaExitStep.area_exit_id == area_exit_id)
                                .order_by(AreaExitStep.id)))
