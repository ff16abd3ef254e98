"""Use cases of industry; the only place that writes. Each opens its unit of work, asks the permission table
first (an entity clerk only for their own entity), holds the rows it checks (race-free on SQLite and PostgreSQL)
and writes its audit rows in the same transaction.

Links to other capabilities go through their queries and services: the leading Party organisation is looked up
with `orgs.queries.get_org`, households with `registry.queries`, dividends reach household income through
`registry.service.add_to_income`, jobs offered by an entity are employment openings (`employment.service`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select

from fupin.areas.queries import get_area
from fupin.core import errors as core_errors
from fupin.core import jobs
from fupin.core.areacodes import AreaLevel, level_of, validate_code
from fupin.core.audit import AuditAction
from fupin.core.db import utcnow
from fupin.core.errors import NotFound
from fupin.core.money import WHOLE
from fupin.core.periods import end_once
from fupin.core.rollup import area_key
from fupin.core.scoping import Scope, found_as
from fupin.core.uow import UnitOfWork
from fupin.core.validation import one_of
from fupin.employment import service as employment_service
from fupin.industry import errors, schemas
from fupin.industry.models import (
    CollectiveIncome,
    DistributionRun,
    IndustryEntity,
    LandContract,
    Membership,
    RentPayment,
    RunPart,
)
from fupin.industry.queries import active_membership
from fupin.industry.rules import (
    COLLECTIVE_SOURCES,
    ENTITY_KINDS,
    FIELD_LABELS,
    INCOME_FIELDS,
    INDUSTRIES,
    INSIDE_VILLAGE,
    LINK_KINDS,
    UNITS,
    VILLAGE_BASES,
    Distribution,
    HouseholdIn,
    RunConfig,
    VillageIn,
    amount,
    credit_code,
    distribute,
    land_problems,
    period_year,
)
from fupin.orgs.queries import get_org
from fupin.registry import service as registry_service
from fupin.registry.queries import ACTIVE_POOR_STATUSES, get_household, households_select

MAX_ID = 2**63 - 1
MAX_IMPORT_BYTES = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choice(value: Any, vocabulary: dict[str, str], field: str) -> str:
    return one_of(errors.INVALID_CHOICE, FIELD_LABELS, field, value, vocabulary)


def _valid(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) and 0 < key <= MAX_ID


def _locked(uow: UnitOfWork, model: type, key: Any, not_found: Any) -> Any:
    return uow.locked_in_scope(model, key, not_found)


def _entity(uow: UnitOfWork, action: str, entity_id: Any) -> IndustryEntity:
    """The permission first (a clerk only for their entity), then the entity held, in the caller's area."""
    uow.require(action, entity_id=entity_id if _valid(entity_id) else None)
    entity = _locked(uow, IndustryEntity, entity_id, errors.ENTITY_NOT_FOUND)
    uow.require(action, area_code=entity.area_code, entity_id=entity.id)
    return entity


def _entity_row(uow: UnitOfWork, action: str, model: type, key: Any, not_found: Any) -> Any:
    """A row of an entity (a membership, a land contract): the permission first (a clerk only for their own
    entity), then the row held, in the caller's area and of an entity the caller may act for."""
    uow.require(action, entity_id=uow.actor.entity_id)
    row = _locked(uow, model, key, not_found)
    uow.require(action, area_code=row.area_code, entity_id=row.entity_id)
    return row


def _area(uow: UnitOfWork, code: str, field: str = "area_code", village: bool = False) -> str:
    """A typed area code: valid (422), inside the caller's scope (403), existing (404 by field)."""
    code = validate_code(code)
    if not uow.scope.contains(code):
        raise core_errors.OUT_OF_SCOPE(field=field)
    try:
        area = get_area(uow.session, code, uow.scope)
    except NotFound:
        raise errors.VILLAGE_NOT_FOUND(field=field, code=code) from None
    if village and level_of(area.code) != AreaLevel.village:
        raise errors.COLLECTIVE_AREA(field=field)
    return area.code


def _org(uow: UnitOfWork, org_id: int | None) -> int | None:
    if org_id is None:
        return None
    return found_as(errors.ORG_NOT_FOUND, "led_by_org_id", org_id, lambda key: get_org(uow.session, key, uow.scope)).id


def _household(uow: UnitOfWork, household_id: int) -> Any:
    return found_as(errors.HOUSEHOLD_NOT_FOUND, "household_id", household_id,
                    lambda key: get_household(uow.session, key, uow.scope))


def _upstream(uow: UnitOfWork, upstream_id: int | None, own_id: int | None) -> int | None:
    if upstream_id is None:
        return None
    if own_id is not None and upstream_id == own_id:
        raise errors.UPSTREAM_SELF(field="upstream_id")
    row = uow.session.get(IndustryEntity, upstream_id)
    if row is None or not uow.scope.contains(row.area_code):
        raise errors.ENTITY_NOT_FOUND(field="upstream_id", key=upstream_id)
    return row.id


def _credit_code_free(uow: UnitOfWork, code: str | None, own_id: int | None) -> None:
    if code is None:
        return
    holder = uow.session.execute(select(IndustryEntity.id, IndustryEntity.name)
                                 .where(IndustryEntity.credit_code == code)).first()
    if holder is not None and holder.id != own_id:
        raise errors.CREDIT_CODE_TAKEN(field="credit_code", code=code, name=holder.name)


def _snapshot(entity: IndustryEntity) -> dict[str, Any]:
    return {key: getattr(entity, key) for key in ("name", "kind", "industry", "area_code", "credit_code",
                                                  "led_by_org_id", "upstream_id", "founded_on", "note")}


# ---------------------------------------------------------------- entities


def create_entity(uow: UnitOfWork, data: schemas.EntityCreate) -> IndustryEntity:
    """A new entity (the unique credit code makes a concurrent duplicate a 409). An entity clerk cannot create
    entities (the permission names their own entity only)."""
    with uow:
        uow.require("industry.entity.manage")
        _choice(data.kind, ENTITY_KINDS, "kind")
        _choice(data.industry, INDUSTRIES, "industry")
        code = _area(uow, data.area_code)
        uow.require("industry.entity.manage", area_code=code)
        credit = credit_code(data.credit_code)
        _credit_code_free(uow, credit, None)
        entity = IndustryEntity(county_code=code[:6], area_code=code, name=data.name.strip()[:100], kind=data.kind,
                                industry=data.industry, credit_code=credit, led_by_org_id=_org(uow, data.led_by_org_id),
                                upstream_id=_upstream(uow, data.upstream_id, None), founded_on=data.founded_on,
                                note=(data.note or "").strip() or None)
        uow.session.add(entity)
        uow.flush()
        uow.audit(AuditAction.create, "industry_entity", entity.id, area_code=code, after=_snapshot(entity))
        return entity


def update_entity(uow: UnitOfWork, entity_id: int, data: schemas.EntityUpdate) -> IndustryEntity:
    with uow:
        entity = _entity(uow, "industry.entity.manage", entity_id)
        before = _snapshot(entity)
        if data.name is not None:
            entity.name = data.name.strip()[:100]
        if data.industry is not None:
            entity.industry = _choice(data.industry, INDUSTRIES, "industry")
        if data.credit_code is not None:
            credit = credit_code(data.credit_code)
            _credit_code_free(uow, credit, entity.id)
            entity.credit_code = credit
        if data.led_by_org_id is not None:
            entity.led_by_org_id = _org(uow, data.led_by_org_id)
        if data.upstream_id is not None:
            entity.upstream_id = _upstream(uow, data.upstream_id, entity.id)
        if data.note is not None:
            entity.note = data.note.strip() or None
        uow.flush()
        uow.audit(AuditAction.update, "industry_entity", entity.id, area_code=entity.area_code, before=before,
                  after=_snapshot(entity))
        return entity


# ---------------------------------------------------------------- jobs offered (employment openings)

SOURCE_OF_KIND = {"cooperative": "cooperative", "enterprise": "enterprise", "family_farm": "enterprise",
                  "base": "enterprise", "workshop": "workshop"}


def offer_job(uow: UnitOfWork, entity_id: int, data: schemas.JobOffer) -> Any:
    """A job in the entity becomes an employment opening (employment's service; its placements are the jobs the
    entity gives), with the entity's name as the employer."""
    with uow:
        entity = _entity(uow, "industry.entity.manage", entity_id)
        source = SOURCE_OF_KIND.get(entity.kind, "enterprise")
        return employment_service.create_opening(
            uow, title=data.title, area_code=entity.area_code, source=source, employer_name=entity.name,
            employer_kind=source, positions=data.positions, monthly_wage=data.monthly_wage, skill=data.skill)


# ---------------------------------------------------------------- members


def add_membership(uow: UnitOfWork, entity_id: int, data: schemas.MembershipCreate) -> Membership:
    """A household or a village collective joins. The entity's row is held, so two joins of the same household
    with the same link at the same moment: one joins, the other gets 409 `industry.member_exists`."""
    with uow:
        entity = _entity(uow, "industry.membership.manage", entity_id)
        _choice(data.link_kind, LINK_KINDS, "link_kind")
        if (data.household_id is None) == (data.collective_area_code is None):
            raise errors.MEMBER_TARGET(field="household_id")
        if data.household_id is not None:
            household = _household(uow, data.household_id)
            area_code, county_code, household_id = household.area_code, household.county_code, household.id
        else:
            area_code = _area(uow, data.collective_area_code or "", "collective_area_code", village=True)
            county_code, household_id = area_code[:6], None
        same = select(Membership.id).where(Membership.entity_id == entity.id, Membership.link_kind == data.link_kind,
                                           Membership.left_on.is_(None))
        same = same.where(Membership.household_id == household_id) if household_id is not None else same.where(
            Membership.household_id.is_(None), Membership.area_code == area_code)
        if uow.session.scalar(same) is not None:
            raise errors.MEMBER_EXISTS(field="household_id")
        membership = Membership(entity_id=entity.id, household_id=household_id, county_code=county_code,
                                area_code=area_code, link_kind=data.link_kind, shares=data.shares,
                                joined_on=data.joined_on)
        uow.session.add(membership)
        uow.flush()
        uow.audit(AuditAction.create, "industry_membership", membership.id, area_code=area_code,
                  after={"entity_id": entity.id, "household_id": household_id, "link_kind": data.link_kind,
                         "shares": data.shares, "joined_on": data.joined_on})
        return membership


def end_membership(uow: UnitOfWork, membership_id: int, left_on: dt.date) -> Membership:
    with uow:
        membership = _entity_row(uow, "industry.membership.manage", Membership, membership_id,
                                 errors.MEMBERSHIP_NOT_FOUND)
        end_once(membership, "joined_on", "left_on", left_on, ended=errors.MEMBERSHIP_ENDED,
                 before_start=errors.LEFT_BEFORE_JOINED)
        uow.flush()
        uow.audit(AuditAction.update, "industry_membership", membership.id, area_code=membership.area_code,
                  before={"left_on": None}, after={"left_on": left_on})
        return membership


# ---------------------------------------------------------------- land


def add_land_contract(uow: UnitOfWork, entity_id: int, data: schemas.LandContractCreate) -> LandContract:
    with uow:
        entity = _entity(uow, "industry.land.manage", entity_id)
        problems = land_problems(data.area_mu, data.starts_on, data.ends_on)
        if problems:
            raise problems[0]
        rent = amount(data.rent_per_mu, "rent_per_mu")
        household = _household(uow, data.household_id)
        contract = LandContract(entity_id=entity.id, household_id=household.id, county_code=household.county_code,
                                area_code=household.area_code, plots=(data.plots or "").strip() or None,
                                area_mu=data.area_mu, rent_per_mu=rent, starts_on=data.starts_on, ends_on=data.ends_on)
        uow.session.add(contract)
        uow.flush()
        uow.audit(AuditAction.create, "industry_land_contract", contract.id, area_code=contract.area_code,
                  after={"entity_id": entity.id, "household_id": household.id, "area_mu": data.area_mu,
                         "rent_per_mu": rent, "starts_on": data.starts_on, "ends_on": data.ends_on})
        return contract


def record_rent(uow: UnitOfWork, contract_id: int, data: schemas.RentPaymentCreate) -> RentPayment:
    """Rent paid for a year is added to the year's row (created once: the contract's row is held)."""
    with uow:
        contract = _entity_row(uow, "industry.land.manage", LandContract, contract_id, errors.CONTRACT_NOT_FOUND)
        paid = amount(data.paid, "paid", positive=True)
        row = uow.session.execute(select(RentPayment).where(RentPayment.contract_id == contract.id,
                                                            RentPayment.year == data.year)
                                  .execution_options(populate_existing=True)).scalar_one_or_none()
        before = row.paid if row is not None else Decimal("0.00")
        if row is None:
            row = RentPayment(contract_id=contract.id, area_code=contract.area_code, year=data.year, paid=paid,
                              paid_on=data.paid_on)
            uow.session.add(row)
        else:
            row.paid, row.paid_on = before + paid, data.paid_on
        uow.flush()
        uow.audit(AuditAction.update, "industry_rent_payment", row.id, area_code=contract.area_code,
                  before={"paid": before}, after={"paid": row.paid}, detail={"year": data.year})
        return row


# ---------------------------------------------------------------- distribution runs


def _run_config(data: schemas.RunCreate) -> tuple[RunConfig, Decimal]:
    _choice(data.unit, UNITS, "unit")
    _choice(data.village_basis, VILLAGE_BASES, "village_basis")
    _choice(data.inside_village, INSIDE_VILLAGE, "inside_village")
    _choice(data.income_field, INCOME_FIELDS, "income_field")
    step = WHOLE if data.unit == "piece" else Decimal("0.01")
    total = amount(data.total, "total", positive=True, unit=step)
    if not Decimal(0) <= data.enterprise_percent <= Decimal(100):
        raise errors.PERCENT_RANGE(field="enterprise_percent")
    cap = None if data.household_cap is None else amount(data.household_cap, "household_cap", positive=True,
                                                         unit=step)
    return RunConfig(enterprise_percent=data.enterprise_percent, village_basis=data.village_basis,
                     inside_village=data.inside_village, household_cap=cap, unit=data.unit), total


def run_inputs(session: Any, scope: Scope, entity_id: int, area_code: str | None, day: dt.date,
               households_needed: bool = True) -> list[VillageIn]:
    """The villages a run shares among, with what each basis needs: all villages with registered households
    under `area_code`, or (none given) the villages of the entity's members on `day`. Registered households are
    counted per village in SQL; only the households below the standard are read (and only when the run pays
    households)."""
    members = session.execute(select(Membership.area_code, Membership.household_id, Membership.shares).where(
        Membership.entity_id == entity_id, active_membership(day), scope.condition(Membership.area_code))).all()
    member_households: dict[str, set[int]] = defaultdict(set)
    shares: dict[str, Decimal] = defaultdict(Decimal)
    for code, household_id, share in members:
        if household_id is not None:
            member_households[code[:12]].add(household_id)
        shares[code[:12]] += Decimal(share)
    where = scope.narrowed_to(area_code) if area_code else scope
    registered = households_select(where).subquery("registered")
    key = area_key(registered.c.area_code)
    counts = {code: int(n) for code, n in session.execute(select(key, func.count()).group_by(key))}
    below: dict[str, list[HouseholdIn]] = defaultdict(list)
    if households_needed:
        poor = households_select(where, statuses=ACTIVE_POOR_STATUSES).subquery("below")
        for row in session.execute(select(poor.c.id, poor.c.household_no, poor.c.area_code)):
            below[row.area_code[:12]].append(HouseholdIn(row.id, row.household_no, True))
    codes = set(counts) if area_code else {c for c in set(member_households) | set(shares) if where.contains(c)}
    return [VillageIn(code, registered_households=counts.get(code, 0),
                      member_households=len(member_households.get(code, ())), shares=shares.get(code, Decimal(0)),
                      households=tuple(below.get(code, ()))) for code in sorted(codes)]


def _part_rows(run_id: int, dist: Distribution, entity_area: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"run_id": run_id, "kind": "enterprise", "area_code": entity_area,
                                   "household_id": None, "weight": Decimal(0), "amount": dist.enterprise}]
    for village in dist.villages:
        rows.append({"run_id": run_id, "kind": "village", "area_code": village.code, "household_id": None,
                     "weight": village.weight, "amount": village.amount})
        rows.extend({"run_id": run_id, "kind": "household", "area_code": village.code, "household_id": h.id,
                     "weight": Decimal(1), "amount": h.amount} for h in village.households)
        rows.append({"run_id": run_id, "kind": "collective", "area_code": village.code, "household_id": None,
                     "weight": Decimal(0), "amount": village.collective})
    return rows


def preview_run(uow: UnitOfWork, entity_id: int, data: schemas.RunCreate,
                today: dt.date | None = None) -> tuple[DistributionRun, Distribution]:
    """Compute a run and keep it as a preview (nothing is paid): the parts are stored as computed now, so what is
    confirmed later is exactly what was previewed."""
    today = today or dt.date.today()
    with uow:
        entity = _entity(uow, "industry.distribution.preview", entity_id)
        year = period_year(data.period)
        config, total = _run_config(data)
        area_code = None
        if data.area_code:
            area_code = _area(uow, data.area_code)
        corrects = None
        if data.corrects_id is not None:
            corrected = _locked(uow, DistributionRun, data.corrects_id, errors.RUN_NOT_FOUND)
            if corrected.entity_id != entity.id:
                raise errors.RUN_NOT_FOUND(field="corrects_id", key=data.corrects_id)
            corrects = corrected.id
        villages = run_inputs(uow.session, uow.scope, entity.id, area_code, today,
                              households_needed=config.inside_village == "below_first")
        dist = distribute(total, config, villages)
        run = DistributionRun(entity_id=entity.id, county_code=entity.county_code, area_code=entity.area_code,
                              period=data.period.strip(), year=year, unit=data.unit, total=total,
                              enterprise_percent=data.enterprise_percent, village_basis=data.village_basis,
                              inside_village=data.inside_village, household_cap=config.household_cap,
                              income_field=data.income_field, villages=",".join(v.code for v in villages)[:4000],
                              status="preview", corrects_id=corrects, created_by=uow.actor.name[:60])
        uow.session.add(run)
        uow.flush()
        rows = _part_rows(run.id, dist, entity.area_code)
        for start in range(0, len(rows), 5000):
            uow.session.execute(insert(RunPart), rows[start:start + 5000])
        uow.audit(AuditAction.create, "industry_run", run.id, area_code=entity.area_code,
                  after={"entity_id": entity.id, "period": run.period, "total": total, "unit": data.unit,
                         "enterprise_percent": data.enterprise_percent, "village_basis": data.village_basis,
                         "inside_village": data.inside_village, "household_cap": config.household_cap},
                  detail={"villages": len(dist.villages), "households": dist.household_count()})
        return run, dist


def _held_run(uow: UnitOfWork, run_id: int) -> DistributionRun:
    run = _locked(uow, DistributionRun, run_id, errors.RUN_NOT_FOUND)
    if run.status == "confirmed":
        raise errors.RUN_CONFIRMED(confirmed_at=run.confirmed_at.strftime("%Y-%m-%d %H:%M") if run.confirmed_at
                                   else "")
    if run.status == "discarded":
        raise errors.RUN_DISCARDED()
    return run


def confirm_run(uow: UnitOfWork, run_id: int, today: dt.date | None = None) -> DistributionRun:
    """Confirm a preview: from now on it cannot change (corrections are new runs). The run's row is held, so of two
    confirmations at the same moment one confirms and the other gets 409 `industry.run_confirmed`. Money runs pay
    the households' parts into their income of the run's year (registry's service) and the collectives' parts
    into the villages' collective income."""
    today = today or dt.date.today()
    with uow:
        uow.require("industry.distribution.confirm")
        run = _held_run(uow, run_id)
        uow.require("industry.distribution.confirm", area_code=run.area_code)
        run.status, run.confirmed_by, run.confirmed_at = "confirmed", uow.actor.name[:60], utcnow()
        uow.flush()
        parts = list(uow.session.execute(select(RunPart.kind, RunPart.area_code, RunPart.household_id, RunPart.amount)
                                         .where(RunPart.run_id == run.id, RunPart.amount > 0)))
        credited = 0
        if run.unit == "yuan":
            amounts = {p.household_id: Decimal(p.amount) for p in parts if p.kind == "household"}
            if amounts:
                credited = registry_service.add_to_income(uow, run.year, run.income_field, amounts,
                                                          note=f"产业分红:分配{run.id}({run.period})")
            collective = [{"county_code": p.area_code[:6], "area_code": p.area_code, "year": run.year,
                           "source": "dividend", "amount": Decimal(p.amount), "run_id": run.id,
                           "note": f"分配{run.id}({run.period})", "recorded_on": today}
                          for p in parts if p.kind == "collective"]
            if collective:
                uow.session.execute(insert(CollectiveIncome), collective)
        uow.audit(AuditAction.update, "industry_run", run.id, area_code=run.area_code,
                  before={"status": "preview"}, after={"status": "confirmed"},
                  detail={"households_credited": credited, "income_field": run.income_field})
        return run


def discard_run(uow: UnitOfWork, run_id: int) -> DistributionRun:
    with uow:
        uow.require("industry.distribution.preview", entity_id=uow.actor.entity_id)
        run = _held_run(uow, run_id)
        uow.require("industry.distribution.preview", area_code=run.area_code, entity_id=run.entity_id)
        run.status = "discarded"
        uow.flush()
        uow.audit(AuditAction.update, "industry_run", run.id, area_code=run.area_code, before={"status": "preview"},
                  after={"status": "discarded"})
        return run


# ---------------------------------------------------------------- collective economy


def record_collective_income(uow: UnitOfWork, data: schemas.CollectiveIncomeCreate,
                             today: dt.date | None = None) -> CollectiveIncome:
    with uow:
        uow.require("industry.collective_income.record")
        _choice(data.source, COLLECTIVE_SOURCES, "source")
        code = _area(uow, data.area_code, village=True)
        value = amount(data.amount, "amount", positive=True)
        row = CollectiveIncome(county_code=code[:6], area_code=code, year=data.year, source=data.source, amount=value,
                               note=(data.note or "").strip() or None, recorded_on=today or dt.date.today())
        uow.session.add(row)
        uow.flush()
        uow.audit(AuditAction.create, "industry_collective_income", row.id, area_code=code,
                  after={"year": data.year, "source": data.source, "amount": value})
        return row


# ---------------------------------------------------------------- import (a job)


def start_import(uow: UnitOfWork, filename: str, data: bytes) -> str:
    """Queue the import of an .xlsx of entities, members and land contracts; the job leaves a row report."""
    with uow:
        uow.require("industry.import", entity_id=uow.actor.entity_id)
        if not data:
            raise errors.FILE_EMPTY(field="file")
        if len(data) > MAX_IMPORT_BYTES:
            raise errors.FILE_TOO_LARGE(field="file", mb=MAX_IMPORT_BYTES // 1024 // 1024)
        name = "".join(c for c in filename if c.isprintable())[-120:] or "upload.xlsx"
        return jobs.submit(uow, "industry.import", f"导入经营主体、成员、土地合同:{name}", {},
                           area_code=uow.scope.prefix.ljust(12, "0") if uow.scope.prefix else None,
                           input_file=(name, XLSX, data))
