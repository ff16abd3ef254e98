"""Use cases of the indicators capability — the only place it writes: the rural registered population (the
denominator of incidence), the village/county exit procedure and the county's sample survey, and the report
jobs. Each opens the caller's unit of work and asks the permission table first.

Area exit follows the levels (DESIGN §1): the township proposes a village's exit, the county checks, publicises
and approves it; a county's exit is proposed by the county and checked, publicised and approved — and its sample
survey recorded — only above it (a county-role user whose scope contains the county and is larger), which the
permission table cannot say, so it is checked here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from fupin.areas.queries import get_area
from fupin.core import jobs
from fupin.core.areacodes import PREFIX_LENGTH, AreaLevel, level_of, validate_code
from fupin.core.audit import AuditAction
from fupin.core.errors import FupinError
from fupin.core.importing import ImportMode, ImportReport, RowError
from fupin.core.jobs import JobContext
from fupin.core.permissions import grant
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import engine, errors, queries, reports, rules
from fupin.indicators.models import AreaExit, AreaExitStep, AreaExitSurvey, RuralPopulation
from fupin.indicators.schemas import SURVEY_COUNTS, YEAR_MAX, YEAR_MIN

REPORT_JOB = "indicators.report"
STATUS_AFTER_STEP = {"proposal": "proposed", "checks": "checked", "publicity": "publicised", "approval": "exited"}
STEP_ACTIONS = {step: f"indicators.area_exit.{step}" for step in rules.STEP_NAMES}


# ---------------------------------------------------------------- rural population


def _population_row(uow: UnitOfWork, year: object, area_code: object, people: object) -> tuple[int, str, int]:
    text = str(year).strip()
    if not text.isdigit() or len(text) > 4 or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise errors.YEAR_NUMBER(field="year", value=year)
    code = validate_code(str(area_code))
    if level_of(code) == AreaLevel.group:
        raise errors.POPULATION_LEVEL(field="area_code")
    get_area(uow.session, code, uow.scope)  # NotFound outside the scope or when it does not exist
    count = str(people).strip()
    if not count.isdigit() or len(count) > 9:
        raise errors.POPULATION_NUMBER(field="rural_population", value=people)
    return int(text), code, int(count)


def set_population(uow: UnitOfWork, year: object, area_code: object, people: object) -> RuralPopulation:
    with uow:
        uow.require("indicators.population.set")
        year_value, code, people_value = _population_row(uow, year, area_code, people)
        row = uow.session.execute(uow.locked(select(RuralPopulation).where(
            RuralPopulation.year == year_value, RuralPopulation.area_code == code))).scalar_one_or_none()
        before = None if row is None else {"rural_population": row.rural_population}
        if row is None:
            row = RuralPopulation(year=year_value, area_code=code, rural_population=people_value)
            uow.session.add(row)
        else:
            row.rural_population = people_value
        uow.flush()
        uow.audit(AuditAction.create if before is None else AuditAction.update, "rural_population",
                  f"{year_value}:{code}", area_code=code, before=before, after={"rural_population": people_value})
        return row


def import_population(uow: UnitOfWork, lines: Iterable[tuple[int, str, str, str]],
                      mode: ImportMode = ImportMode.all_or_nothing) -> ImportReport:
    """Rows (line number, year, area code, rural population); all-or-nothing by default."""
    report = ImportReport(mode=mode)
    with uow:
        uow.require("indicators.population.set")
        valid: list[tuple[int, str, int]] = []
        for line, year, code, people in lines:
            report.total += 1
            try:
                valid.append(_population_row(uow, year, code, people))
            except FupinError as error:
                report.errors.append(RowError(line, error.field or "area_code", f"{year},{code},{people}",
                                              error.message))
        if report.errors and mode == ImportMode.all_or_nothing:
            return report
        codes = sorted({c for _, c, _ in valid}) or ["-"]
        existing = {(r.year, r.area_code): r for r in uow.session.scalars(
            uow.locked(select(RuralPopulation).where(RuralPopulation.area_code.in_(codes))))}
        for year_value, code, people_value in valid:
            row = existing.get((year_value, code))
            if row is None:
                row = RuralPopulation(year=year_value, area_code=code, rural_population=people_value)
                uow.session.add(row)
                existing[(year_value, code)] = row
                report.inserted += 1
            elif row.rural_population != people_value:
                row.rural_population = people_value
                report.updated += 1
            else:
                report.unchanged += 1
        uow.flush()
        uow.audit(AuditAction.imported, "rural_population", None,
                  detail={"inserted": report.inserted, "updated": report.updated, "errors": len(report.errors)})
        report.committed = True
        return report


# ---------------------------------------------------------------- area exit


def decides_above(scope: Scope, county_code: str) -> bool:
    """A county's exit is decided above the county: the scope contains it and is larger."""
    return len(scope.prefix) < PREFIX_LENGTH[AreaLevel.county] and scope.contains(county_code)


def may_record_exit_step(role: str, scope: Scope, area_code: str, step: str) -> bool:
    """Whether this caller may record `step` of the area's exit (the pages offer only the forms one may use)."""
    if step not in STEP_ACTIONS or grant(role, STEP_ACTIONS[step]) is None:
        return False
    return level_of(area_code) != AreaLevel.county or step == "proposal" or decides_above(scope, area_code)


def may_record_exit_survey(role: str, scope: Scope, county_code: str) -> bool:
    return grant(role, "indicators.area_exit.survey") is not None and decides_above(scope, county_code)


def _decided_above(uow: UnitOfWork, county_code: str) -> None:
    if not decides_above(uow.scope, county_code):
        raise errors.COUNTY_EXIT_DECIDED_ABOVE(field="area")


def _exit_area(uow: UnitOfWork, area_code: str) -> tuple[str, str]:
    code = validate_code(area_code)
    level = queries.exit_level(code)
    get_area(uow.session, code, uow.scope)  # NotFound outside the caller's scope
    return code, level


def _not_in_future(day: dt.date, today: dt.date | None, field: str) -> None:
    if day > (today or dt.date.today()):
        raise errors.DATE_IN_FUTURE(field=field, day=day.isoformat())


def record_exit_step(uow: UnitOfWork, area_code: str, year: int, step: str, happened_on: dt.date,
                     note: str | None = None, *, today: dt.date | None = None) -> AreaExit:
    """Record one step of a village's or county's exit; each step re-evaluates the figures, and approval is
    refused while any reason fails. Exactly once under concurrent requests: the exit's row is held while its
    steps are checked, and a first proposal racing another loses on the (area, year) unique key."""
    if step not in rules.STEP_NAMES:
        raise errors.UNKNOWN_STEP(field="step", step=step)
    with uow:
        uow.require(STEP_ACTIONS[step])
        code, level = _exit_area(uow, area_code)
        if level == "county" and step != "proposal":
            _decided_above(uow, code)  # (a township never sees its county: proposing it is NotFound already)
        _not_in_future(happened_on, today, "happened_on")
        record = uow.session.execute(uow.locked(select(AreaExit).where(
            AreaExit.area_code == code, AreaExit.year == year))).scalar_one_or_none()
        done = [] if record is None else queries.steps_of(uow.session, record.id)
        evaluation = queries.evaluate_exit(uow.session, uow.scope, code, year)
        refusal = rules.step_refusal([s.step for s in done], step, evaluation.passed)
        if refusal is not None:
            raise _refused(refusal, evaluation)
        if done and happened_on < done[-1].happened_on:
            previous = done[-1]
            raise errors.DATE_BEFORE_PREVIOUS(field="happened_on", step=rules.STEP_NAMES[previous.step],
                                              day=previous.happened_on.isoformat())
        before = None if record is None else {"status": record.status}
        if record is None:
            record = AreaExit(area_code=code, level=level, year=year, status="proposed", passed=evaluation.passed,
                              figures="{}")
            uow.session.add(record)
        record.passed = evaluation.passed
        record.reasons = "\n".join(evaluation.reasons) or None
        record.figures = json.dumps(evaluation.figures, ensure_ascii=False)
        record.status = STATUS_AFTER_STEP[step]
        uow.flush()
        uow.session.add(AreaExitStep(area_exit_id=record.id, step=step, happened_on=happened_on,
                                     actor_name=uow.actor.name, note=note))
        uow.flush()
        uow.audit(AuditAction.update if before else AuditAction.create, "area_exit", record.id, area_code=code,
                  before=before, after={"status": record.status, "step": step},
                  detail={"passed": evaluation.passed, "reasons": evaluation.reasons})
        return record


def _refused(refusal: rules.StepRefusal, evaluation: rules.AreaExitEvaluation) -> FupinError:
    reasons = ";".join(evaluation.reasons)
    if refusal.kind == "completed":
        return errors.EXIT_COMPLETED(field="step")
    if refusal.kind == "recorded":
        return errors.STEP_RECORDED(field="step", step=rules.STEP_NAMES[refusal.step])
    if refusal.kind == "not_passed":
        return errors.EXIT_NOT_PASSED(field="step", reasons=reasons)
    # Out of order; when approval was asked while failing, the reasons come along.
    suffix = ":" + reasons if refusal.step == "approval" and not evaluation.passed and reasons else ""
    return errors.STEP_OUT_OF_ORDER(field="step", expected=rules.STEP_NAMES[refusal.expected or ""],
                                    step=rules.STEP_NAMES[refusal.step], reasons=suffix)


def record_exit_survey(uow: UnitOfWork, area_code: str, year: int, *, sampled_exited: int, wrong_exits: int,
                       sampled_households: int, missed_registrations: int, approval_asked: int, approval_yes: int,
                       surveyed_on: dt.date, surveyor: str, today: dt.date | None = None) -> AreaExitSurvey:
    """The county's sample survey (wrong exits, missed registrations, approval) for a year, once."""
    with uow:
        uow.require("indicators.area_exit.survey")
        code, level = _exit_area(uow, area_code)
        if level != "county":
            raise errors.SURVEY_COUNTY_ONLY(field="area")
        _decided_above(uow, code)
        counts = dict(zip(SURVEY_COUNTS, (sampled_exited, wrong_exits, sampled_households, missed_registrations,
                                          approval_asked, approval_yes), strict=True))
        for part, whole in (("wrong_exits", "sampled_exited"), ("missed_registrations", "sampled_households"),
                            ("approval_yes", "approval_asked")):
            if counts[part] > counts[whole]:
                raise errors.SURVEY_PART_EXCEEDS(field=part)
        if not (surveyor or "").strip():
            raise errors.SURVEYOR_REQUIRED(field="surveyor")
        _not_in_future(surveyed_on, today, "surveyed_on")
        if queries.survey_of(uow.session, code, year) is not None:
            raise errors.SURVEY_EXISTS(field="year", year=year)
        survey = AreaExitSurvey(area_code=code, year=year, surveyed_on=surveyed_on, surveyor=surveyor.strip(),
                                **counts)
        uow.session.add(survey)
        uow.flush()  # a concurrent survey of the same county and year loses here (unique key): 409
        uow.audit(AuditAction.create, "area_exit_survey", survey.id, area_code=code, after=counts)
        return survey


# ---------------------------------------------------------------- reports (background jobs)


def request_report(uow: UnitOfWork, area_code: str, year: int, fmt: str) -> str:
    """Queue the report of an area for a year (.md/.docx narrative, .xlsx workbook of every level); the id of
    the job, whose page shows its progress and offers the file."""
    if fmt not in reports.MEDIA_TYPES:
        raise errors.REPORT_FORMAT(field="format")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise errors.YEAR_RANGE(field="year")
    with uow:
        uow.require("indicators.report")
        code = validate_code(area_code)
        area = get_area(uow.session, code, uow.scope)
        engine.levels_below(code, None)
        kind = "指标报表" if fmt == "xlsx" else "工作总结"
        return jobs.submit(uow, REPORT_JOB, f"{area.name}{year}年{kind}({fmt})",
                           {"area": code, "year": year, "format": fmt}, area_code=code)


def run_report(ctx: JobContext) -> dict[str, Any]:
    """The report job: the figures (progress per indicator group), then the file."""
    code, year, fmt = str(ctx.params["area"]), int(ctx.params["year"]), str(ctx.params["format"])
    uow = ctx.uow()
    with uow.reading():
        name, media_type, content, rows = reports.build(
            uow.session, uow.scope, code, year, fmt,
            progress=lambda done, total: ctx.progress("计算指标", done, total))
    ctx.progress("生成文件", 1, 1, force=True)
    ctx.add_file("result", name, media_type, content, personal=False, rows=rows)
    return {"area": code, "year": year, "format": fmt, "areas": rows}
