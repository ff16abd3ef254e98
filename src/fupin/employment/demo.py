"""Demo employment: the labour registry from the demo people, jobs of every source (labour export to 宁波,
珠海, 昆明 …), stations (one at the resettlement site), openings and courses; bulk-written."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditAction
from fupin.core.db import bulk_insert
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.sql import bump_sequences as bump_id_sequences
from fupin.core.uow import UnitOfWork
from fupin.employment import models
from fupin.employment.rules import classify, in_labour_registry
from fupin.registry.queries import persons_select

TODAY = dt.date(2024, 1, 1)
OUT_PROVINCE = ["浙江省宁波市", "广东省珠海市", "广东省东莞市", "江苏省苏州市", "福建省晋江市", "上海市"]
IN_PROVINCE = ["昆明市", "曲靖市麒麟区", "玉溪市"]
LOCAL_EMPLOYERS = {
    "workshop": ["会泽县爽身粉纺织扶贫车间", "以礼社区服装加工扶贫车间", "钟屏竹编扶贫车间"],
    "enterprise": ["会泽县铅锌矿业有限公司", "云南驰宏物流有限公司", "会泽县建筑工程公司"],
    "cooperative": ["会泽县中药材种植专业合作社", "娜姑镇养殖专业合作社", "迤车镇蔬菜种植专业合作社"],
    "public_welfare": ["护林员(公益性岗位)", "保洁员(公益性岗位)", "安置点楼栋管理员(公益性岗位)"],
    "self_employed": ["个体经营", "家庭养殖", "电商小店"],
}
EMPLOYER_KIND = {"workshop": "workshop", "enterprise": "enterprise", "cooperative": "cooperative",
                 "public_welfare": "government", "self_employed": "individual", "labour_export": "enterprise"}
SKILLS = ["钢筋工", "砌筑工", "育婴师", "烹饪", "拉面", "种养殖", "缝纫", "电工"]
WAGE = {"workshop": (1800, 2800), "enterprise": (2500, 4200), "cooperative": (1500, 2600),
        "public_welfare": (500, 800), "self_employed": (1500, 3500), "labour_export": (3500, 6500)}
COURSES = [("rebar", "钢筋工技能培训班", 80), ("masonry", "砌筑工技能培训班", 80), ("childcare", "育婴师培训班", 120),
           ("cooking", "中式烹饪培训班", 96), ("noodles", "兰州拉面技能培训班", 60), ("farming", "种养殖实用技术培训", 40)]
WORKER_COLUMNS = ["id", "person_id", "household_id", "county_code", "area_code", "name", "classification", "skills",
                  "wish", "created_at", "version"]
PLACEMENT_COLUMNS = ["id", "worker_id", "person_id", "household_id", "county_code", "area_code", "source",
                     "work_place", "destination", "employer_name", "employer_kind", "started_on", "ended_on",
                     "monthly_wage", "created_at", "version"]
BATCH = 20_000


def _next_id(session, model) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.max(model.id))) or 0) + 1


def _wage(rng, source: str) -> Decimal:  # type: ignore[no-untyped-def]
    low, high = WAGE[source]
    return Decimal(rng.randrange(low, high, 50)).quantize(Decimal("0.01"))


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("employment")
    county = ctx.county_code
    stamp = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    relocated = set(ctx.facts.get("relocated_household_ids", []))
    site_code = ctx.facts.get("site_code")
    advance = ctx.track("劳动力与就业", ctx.facts.get("persons", 0))
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        session = uow.session
        connection = session.connection()
        worker_id, placement_id = _next_id(session, models.Worker), _next_id(session, models.JobPlacement)
        employed_by_household: dict[int, int] = defaultdict(int)
        area_of_household: dict[int, str] = {}
        needs_training: list[tuple[int, str]] = []
        workers: list[tuple] = []
        placements: list[tuple] = []
        total_workers = total_placements = 0
        selected = persons_select(Scope.of_area(county)).subquery()
        # Read everything first: a write in the middle of a streamed read is not allowed on SQLite.
        people = session.execute(select(selected).order_by(selected.c.id)).all()
        for p in people:
            advance(1)
            if not in_labour_registry(p.birth_date, p.labour_capacity, p.schooling, TODAY):
                continue
            skills = rng.choice(SKILLS) if (p.labour_capacity == "skilled" or rng.random() < 0.15) else None
            classification = classify(p.labour_capacity, p.education, skills)
            wish = "elsewhere" if p.work_place in ("in_province", "out_province") else rng.choice(["local", "local",
                                                                                                    "elsewhere"])
            workers.append((worker_id, p.id, p.household_id, p.county_code, p.area_code, p.name, classification,
                            skills, wish, stamp, 1))
            if classification == "needs_training":
                needs_training.append((worker_id, p.area_code))
            place = p.work_place
            in_site = p.household_id in relocated
            if place == "none" and in_site and rng.random() < 0.5:
                place = "in_county"  # 楼上住人、楼下务工: the site's workshops take many of the newcomers
            if place != "none" or classification == "three_none" and rng.random() < 0.4:
                if place in ("in_province", "out_province"):
                    source = "labour_export"
                    destination = rng.choice(OUT_PROVINCE if place == "out_province" else IN_PROVINCE)
                    employer = f"{destination}{rng.choice(['电子厂', '建筑工地', '物流园', '制衣厂'])}"
                else:
                    place = "in_county"
                    if classification == "three_none":
                        source = "public_welfare"
                    elif in_site:
                        source = rng.choices(["workshop", "enterprise", "public_welfare", "self_employed"],
                                             weights=[50, 25, 10, 15])[0]
                    else:
                        source = rng.choices(["workshop", "enterprise", "cooperative", "public_welfare",
                                              "self_employed"], weights=[15, 25, 25, 10, 25])[0]
                    destination = None
                    employer = rng.choice(LOCAL_EMPLOYERS[source])
                started = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(300))
                ended = None
                if rng.random() < 0.06:
                    ended = started + dt.timedelta(days=rng.randrange(20, 60))
                else:
                    employed_by_household[p.household_id] += 1
                area_of_household[p.household_id] = p.area_code
                placements.append((placement_id, worker_id, p.id, p.household_id, p.county_code, p.area_code, source,
                                   place, destination, employer, EMPLOYER_KIND[source], started, ended,
                                   _wage(rng, source), stamp, 1))
                placement_id += 1
            worker_id += 1
            if len(workers) >= BATCH:
                total_workers += bulk_insert(connection, models.Worker.__table__, WORKER_COLUMNS, workers)
                total_placements += bulk_insert(connection, models.JobPlacement.__table__, PLACEMENT_COLUMNS, placements)
                workers, placements = [], []
        del people
        total_workers += bulk_insert(connection, models.Worker.__table__, WORKER_COLUMNS, workers)
        total_placements += bulk_insert(connection, models.JobPlacement.__table__, PLACEMENT_COLUMNS, placements)
        bulk_insert(connection, models.HouseholdEmployment.__table__,
                    ["household_id", "area_code", "employed_members", "updated_on"],
                    [(h, area_of_household[h], n, TODAY) for h, n in sorted(employed_by_household.items())])
        # Stations: one at the resettlement site, one in each of the first townships.
        station_id = _next_id(session, models.EmploymentStation)
        stations = []
        if site_code:
            stations.append((station_id, county[:6], site_code, "以礼社区就业创业服务站", ctx.facts.get("site_id"),
                             site_code))
            station_id += 1
        township = ctx.facts.get("first_township_code")
        if township:
            stations.append((station_id, county[:6], township, "钟屏街道就业服务站", None, township[:9]))
            station_id += 1
        bulk_insert(connection, models.EmploymentStation.__table__,
                    ["id", "county_code", "area_code", "name", "site_id", "serves"], stations)
        site_station = stations[0][0] if stations else None
        opening_id = _next_id(session, models.JobOpening)
        openings = [
            (opening_id, county[:6], site_code or county, "缝纫工", "workshop", "以礼社区服装加工扶贫车间", "workshop",
             "in_county", None, "缝纫", 30, Decimal("2400.00"), site_station, dt.date(2023, 11, 1), "open"),
            (opening_id + 1, county[:6], site_code or county, "电子厂普工", "labour_export", "宁波电子产业园",
             "enterprise", "out_province", "浙江省宁波市", None, 50, Decimal("5200.00"), site_station,
             dt.date(2023, 11, 15), "open"),
            (opening_id + 2, county[:6], township or county, "钢筋工", "enterprise", "会泽县建筑工程公司", "enterprise",
             "in_county", None, "钢筋工", 12, Decimal("4800.00"), None, dt.date(2023, 12, 1), "open"),
        ]
        bulk_insert(connection, models.JobOpening.__table__,
                    ["id", "county_code", "area_code", "title", "source", "employer_name", "employer_kind",
                     "work_place", "destination", "skill", "positions", "monthly_wage", "station_id", "posted_on",
                     "status"], openings)
        course_id = _next_id(session, models.TrainingCourse)
        course_rows, attendance_rows = [], []
        attendance_id = _next_id(session, models.TrainingAttendance)
        trainees = rng.sample(needs_training, k=min(len(needs_training), max(12, len(needs_training) // 20)))
        per_course = max(1, len(trainees) // len(COURSES) + 1)
        for i, (course_type, title, hours) in enumerate(COURSES):
            starts = dt.date(2022, 3 + i, 1)
            course_rows.append((course_id + i, county[:6], site_code or county, course_type, title, hours,
                                "会泽县职业技术培训中心", starts, starts + dt.timedelta(days=hours // 8 + 5),
                                site_station))
            for worker, area in trainees[i * per_course:(i + 1) * per_course]:
                done = rng.random() < 0.9
                attendance_rows.append((attendance_id, course_id + i, worker, area, done, done and rng.random() < 0.7))
                attendance_id += 1
        bulk_insert(connection, models.TrainingCourse.__table__,
                    ["id", "county_code", "area_code", "course_type", "title", "hours", "provider", "starts_on",
                     "ends_on", "station_id"], course_rows)
        bulk_insert(connection, models.TrainingAttendance.__table__,
                    ["id", "course_id", "worker_id", "area_code", "completed", "certified"], attendance_rows)
        bump_id_sequences(connection, ("workers", "job_placements", "employment_stations", "job_openings",
                                    "training_courses", "training_attendances"))
        uow.audit(AuditAction.imported, "workers", None, area_code=county,
                  detail={"source": "demo", "seed": ctx.seed, "workers": total_workers,
                          "placements": total_placements, "courses": len(course_rows)})
    ctx.facts["workers"] = total_workers
    ctx.summary.append(f"就业扶贫:劳动力{total_workers}人、就业记录{total_placements}条、服务站{len(stations)}个、"
                       f"培训班{len(course_rows)}期({len(attendance_rows)}人次)")

