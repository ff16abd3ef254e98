"""Writes of the indicators capability: the rural registered population (the denominator of incidence)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from fupin.core.areacodes import AreaCodeError, level_of, validate_code
from fupin.core.audit import AuditAction
from fupin.core.errors import Invalid, NotFound
from fupin.core.importing import ImportMode, ImportReport, RowError
from fupin.core.uow import UnitOfWork
from fupin.indicators.models import RuralPopulation


def _checked(uow: UnitOfWork, year: object, area_code: object, people: object) -> tuple[int, str, int]:
    from fupin.areas.models import Area

    try:
        year_value = int(str(year).strip())
    except ValueError:
        raise Invalid(f"年度“{year}”应为整数", field="year") from None
    if not 2000 <= year_value <= 2100:
        raise Invalid(f"年度“{year_value}”应在2000至2100之间", field="year")
    code = validate_code(str(area_code))
    if level_of(code).value == "group":
        raise Invalid("农村户籍人口录入到村一级,不能录入组/屯", field="area_code")
    if not uow.scope.contains(code) or uow.session.get(Area, code) is None:
        raise NotFound("区划", code)
    try:
        people_value = int(str(people).strip())
    except ValueError:
        raise Invalid(f"人口数“{people}”应为整数", field="rural_population") from None
    if people_value < 0:
        raise Invalid("人口数不能为负数", field="rural_population")
    return year_value, code, people_value


def set_population(uow: UnitOfWork, year: object, area_code: object, people: object) -> RuralPopulation:
    year_value, code, people_value = _checked(uow, year, area_code, people)
    row = uow.session.get(RuralPopulation, (year_value, code))
    before = None if row is None else {"rural_population": row.rural_population}
    if row is None:
        row = RuralPopulation(year=year_value, area_code=code, rural_population=people_value)
        uow.session.add(row)
    else:
        row.rural_population = people_value
    uow.audit(AuditAction.create if before is None else AuditAction.update, "rural_population",
              f"{year_value}:{code}", area_code=code, before=before, after={"rural_population": people_value})
    return row


def import_population(uow: UnitOfWork, lines: Iterable[tuple[int, str, str, str]],
                      mode: ImportMode = ImportMode.all_or_nothing) -> ImportReport:
    """Rows (line number, year, area code, rural population); all-or-nothing by default."""
    report = ImportReport(mode=mode)
    valid: list[tuple[int, str, int]] = []
    for line, year, code, people in lines:
        report.total += 1
        try:
            valid.append(_checked(uow, year, code, people))
        except (Invalid, NotFound, AreaCodeError) as error:
            report.errors.append(RowError(line, "area_code", f"{year},{code},{people}", str(error)))
    if report.errors and mode == ImportMode.all_or_nothing:
        return report
    existing = {(r.year, r.area_code): r for r in uow.session.scalars(select(RuralPopulation).where(
        RuralPopulation.area_code.in_([c for _, c, _ in valid] or ["-"])))}
    for year_value, code, people_value in valid:
        row = existing.get((year_value, code))
        if row is None:
            uow.session.add(RuralPopulation(year=year_value, area_code=code, rural_population=people_value))
            report.inserted += 1
        elif row.rural_population != people_value:
            row.rural_population = people_value
            report.updated += 1
        else:
            report.unchanged += 1
    uow.audit(AuditAction.imported, "rural_population", None,
              detail={"inserted": report.inserted, "updated": report.updated, "errors": len(report.errors)})
    report.committed = True
    return report
