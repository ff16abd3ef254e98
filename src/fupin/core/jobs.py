"""Background jobs: long work (imports, county exports, reports, pairing plans, quality runs) as persisted rows.

A job is a row in `jobs` (who, what, status, progress, result, error) with its files in `job_files` (the upload
it works on, the file it produces, the error report). Any worker process claims queued jobs — race-free on both
databases: SQLite serialises the claim with BEGIN IMMEDIATE, PostgreSQL takes the row with FOR UPDATE SKIP
LOCKED — and runs the handler a capability declared for the job's kind (`Capability.job_handlers`). Every web
process sees every job and its progress, also after a restart; a job whose worker stopped reporting is queued
again (its unit of work never committed, so running it again is safe).

Progress on PostgreSQL is written to the job's row over a connection of its own. On SQLite the job's own unit
of work may hold the database's single write lock for minutes (a county import), so progress goes to a small
file beside the database instead (`<database>-jobs/<id>.json`, replaced atomically), which every process on the
machine reads; the row gets the final state.

Why not a queue library: see docs/decisions.md, "Jobs: a small table, not a queue library".
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Mapped, mapped_column

from fupin.core import errors
from fupin.core.audit import AuditAction
from fupin.core.columns import AreaCode, Code, IntPk, Stamp
from fupin.core.db import Base, Database, begin_write, utcnow
from fupin.core.errors import FupinError
from fupin.core.identity import Actor
from fupin.core.uow import UnitOfWork

T = TypeVar("T")

log = logging.getLogger("fupin.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUS_NAMES = {QUEUED: "排队中", RUNNING: "进行中", DONE: "已完成", FAILED: "失败"}
MAX_ATTEMPTS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

JOB_NOT_FOUND = errors.define("jobs.not_found", errors.NotFound, "未找到后台任务:{key}", "No job {key}")
UNKNOWN_KIND = errors.define("jobs.unknown_kind", errors.Invalid, "未知的任务类型:{kind}", "Unknown job kind {kind}")
INTERRUPTED = errors.define("jobs.interrupted", errors.Conflict,
                            "任务多次中断(服务重启或进程退出),未写入任何数据,请重新提交",
                            "The job was interrupted repeatedly and wrote nothing; submit it again")
FAILED_UNEXPECTEDLY = errors.define("jobs.failed", FupinError, "任务失败,未写入任何数据({kind})",
                                    "The job failed and wrote nothing ({kind})")


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[Code] = mapped_column(default=QUEUED)
    owner_id: Mapped[int | None]
    actor: Mapped[dict[str, Any]] = mapped_column(JSON)
    area_code: Mapped[AreaCode | None]
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    phase: Mapped[str | None] = mapped_column(String(120))
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[Stamp]
    started_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index("ix_jobs_status_created", "status", "created_at"),
        Index("ix_jobs_owner_created", "owner_id", "created_at"),
    )


class JobFile(Base):
    __tablename__ = "job_files"

    id: Mapped[IntPk]
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    purpose: Mapped[Code]  # input / result / errors
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    personal: Mapped[bool] = mapped_column(default=False)  # downloads are audited as exports
    rows: Mapped[int | None]
    content: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_job_files_job", "job_id"),)


# ---------------------------------------------------------------- what callers see


@dataclass(frozen=True)
class FileInfo:
    id: int
    purpose: str
    name: str
    media_type: str
    size: int
    personal: bool


@dataclass
class JobView:
    id: str
    kind: str
    title: str
    status: str
    phase: str | None
    done: int
    total: int
    result: dict[str, Any] | None
    error: str | None
    error_code: str | None
    owner_id: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    files: list[FileInfo] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    @property
    def percent(self) -> int:
        return 100 if self.status == DONE else (int(self.done * 100 / self.total) if self.total else 0)

    def file(self, purpose: str) -> FileInfo | None:
        return next((f for f in self.files if f.purpose == purpose), None)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "status": self.status,
                "status_name": self.status_name, "phase": self.phase, "done": self.done, "total": self.total,
                "percent": self.percent, "result": self.result, "error": self.error, "error_code": self.error_code,
                "created_at": self.created_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                "files": [{"id": f.id, "purpose": f.purpose, "name": f.name, "size": f.size,
                           "url": f"/api/v1/jobs/{self.id}/files/{f.id}"} for f in self.files]}


def _actor_json(actor: Actor) -> dict[str, Any]:
    return {"user_id": actor.user_id, "name": actor.name, "role": actor.role, "scope_prefix": actor.scope_prefix,
            "entity_id": actor.entity_id, "shop_id": actor.shop_id, "pii_override": actor.pii_override}


def _actor_of(data: dict[str, Any]) -> Actor:
    return Actor(**{k: data.get(k) for k in ("user_id", "name", "role", "scope_prefix", "entity_id", "shop_id",
                                             "pii_override")})


# ---------------------------------------------------------------- progress beside an SQLite database


def progress_dir(db: Database) -> Path | None:
    """Where an SQLite database's running jobs report progress (None for PostgreSQL and in-memory SQLite)."""
    url = make_url(db.url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database + "-jobs")


def _progress_file(db: Database, job_id: str) -> Path | None:
    folder = progress_dir(db)
    return None if folder is None else folder / f"{job_id}.json"


def _read_progress_file(db: Database, job_id: str) -> dict[str, Any] | None:
    path = _progress_file(db, job_id)
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- submitting and reading


def submit(uow: UnitOfWork, kind: str, title: str, params: dict[str, Any] | None = None, *,
           area_code: str | None = None, input_file: tuple[str, str, bytes] | None = None) -> str:
    """Queue a job for the unit of work's actor (inside the caller's transaction); returns its id."""
    handlers = job_handlers()
    if kind not in handlers:
        raise UNKNOWN_KIND(kind=kind)
    job_id = uuid.uuid4().hex
    with uow:
        uow.session.add(Job(id=job_id, kind=kind, title=title[:200], status=QUEUED, owner_id=uow.actor.user_id,
                            actor=_actor_json(uow.actor), area_code=area_code, params=params or {}, done=0, total=0,
                            attempts=0, created_at=utcnow()))
        uow.session.flush()
        if input_file is not None:
            name, media_type, content = input_file
            uow.session.add(JobFile(job_id=job_id, purpose="input", name=name[:255], media_type=media_type,
                                    size=len(content), personal=True, content=content))
        uow.audit(AuditAction.create, "jobs", job_id, area_code=area_code, after={"kind": kind, "title": title})
    return job_id


def _view(db: Database, job: Job, files: list[FileInfo]) -> JobView:
    view = JobView(job.id, job.kind, job.title, job.status, job.phase, job.done, job.total, job.result, job.error,
                   job.error_code, job.owner_id, job.created_at, job.finished_at, files)
    if job.status == RUNNING:
        live = _read_progress_file(db, job.id)
        if live is not None:
            view.phase, view.done, view.total = live.get("phase"), live.get("done", 0), live.get("total", 0)
    return view


def get(uow: UnitOfWork, job_id: str) -> JobView:
    """The job, for its owner (or an administrator); anyone else gets NotFound, so ids never leak."""
    with uow.reading():
        job = uow.session.get(Job, job_id) if len(job_id) <= 32 else None
        if job is None or (job.owner_id != uow.actor.user_id and not uow.may("jobs.read_all")):
            raise JOB_NOT_FOUND(key=job_id)
        files = [FileInfo(f.id, f.purpose, f.name, f.media_type, f.size, f.personal) for f in uow.session.execute(
            select(JobFile.id, JobFile.purpose, JobFile.name, JobFile.media_type, JobFile.size, JobFile.personal)
            .where(JobFile.job_id == job.id, JobFile.purpose != "input").order_by(JobFile.id))]
        return _view(uow.db, job, files)


def list_own(uow: UnitOfWork, limit: int = 20) -> list[JobView]:
    with uow.reading():
        jobs = uow.session.scalars(select(Job).where(Job.owner_id == uow.actor.user_id)
                                   .order_by(Job.created_at.desc()).limit(limit)).all()
        return [_view(uow.db, j, []) for j in jobs]


def read_file(uow: UnitOfWork, job_id: str, file_id: int) -> tuple[str, str, bytes]:
    """A job's result or error file for its owner; personal data downloads leave an audit row."""
    view = get(uow, job_id)
    with uow:
        row = uow.session.get(JobFile, file_id)
        if row is None or row.job_id != view.id or row.purpose == "input":
            raise JOB_NOT_FOUND(key=f"{job_id}/{file_id}")
        if row.personal:
            uow.audit(AuditAction.exported, "job_files", row.id,
                      detail={"job": job_id, "name": row.name, "rows": row.rows, "kind": view.kind})
        return row.name, row.media_type, row.content


# ---------------------------------------------------------------- running


class JobContext:
    """What a handler gets: the job's actor and database, its input, progress reporting and result files."""

    def __init__(self, db: Database, job_id: str, actor: Actor, params: dict[str, Any], worker: str) -> None:
        self.db = db
        self.job_id = job_id
        self.actor = actor
        self.params = params
        self.worker = worker
        self._files: list[tuple[str, str, str, bytes, bool, int | None]] = []
        self._last_report = 0.0
        self._sqlite_progress = _progress_file(db, job_id)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.actor)

    def input_file(self) -> tuple[str, bytes]:
        with self.db.session_factory() as session:
            row = session.execute(select(JobFile.name, JobFile.content)
                                  .where(JobFile.job_id == self.job_id, JobFile.purpose == "input")).first()
        if row is None:
            raise JOB_NOT_FOUND(key=f"{self.job_id}/input")
        return row.name, row.content

    def progress(self, phase: str, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_report < 0.5 and done < total:
            return
        self._last_report = now
        report_progress(self.db, self.job_id, phase, done, total, progress_file=self._sqlite_progress)

    def counted(self, rows: Iterable[T], total: int, phase: str = "写入文件") -> Iterator[T]:
        """`rows` passed through, the job's progress moving with them (a long export shows how far it is)."""
        for done, row in enumerate(rows, start=1):
            self.progress(phase, done, total)
            yield row

    def add_file(self, purpose: str, name: str, media_type: str, content: bytes, *, personal: bool = False,
                 rows: int | None = None) -> None:
        self._files.append((purpose, name, media_type, content, personal, rows))

    def deliver_personal_workbook(self, uow: UnitOfWork, entity: str, key: Any, area_code: str | None, name: str,
                                  content: bytes, rows: int) -> dict[str, Any]:
        """A workbook of personal data as the job's result: the export audited in the caller's name (rows, masked
        or not, this job) and the file kept as personal. Returns what the job reports."""
        masked = uow.viewer.masked
        with uow:
            uow.audit(AuditAction.exported, entity, key, area_code=area_code,
                      detail={"rows": rows, "format": "xlsx", "masked": masked, "job": self.job_id})
        self.add_file("result", name, XLSX, content, personal=True, rows=rows)
        return {"rows": rows, "masked": masked}


def report_progress(db: Database, job_id: str, phase: str, done: int, total: int, *,
                    progress_file: Path | None = None) -> None:
    if progress_file is None:
        progress_file = _progress_file(db, job_id)
    if progress_file is not None:
        progress_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = progress_file.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps({"phase": phase, "done": done, "total": total,
                                         "at": utcnow().isoformat()}), encoding="utf-8")
        os.replace(temporary, progress_file)
        return
    with db.engine.connect() as connection:
        connection.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING)
                           .values(phase=phase[:120], done=done, total=total, heartbeat_at=utcnow()))
        connection.commit()


def job_handlers() -> dict[str, Callable[[JobContext], dict[str, Any] | None]]:
    from fupin.core.capability import contributions

    return dict(item for _name, item in contributions("job_handlers"))


def background_tasks() -> list[tuple[str, Callable[[Database], bool]]]:
    from fupin.core.capability import contributions

    return [item for _name, item in contributions("background_tasks")]


def run_background(db: Database) -> bool:
    """One round of the capabilities' background tasks (between jobs); True when any of them did something. A task
    that fails is logged and the others still run: the figures of one area must not stop the worker."""
    busy = False
    for name, task in background_tasks():
        try:
            busy = bool(task(db)) or busy
        except Exception:  # noqa: BLE001
            log.warning("background task %s: %s", name, traceback.format_exc(limit=3))
    return busy


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim_next(db: Database, worker: str) -> tuple[str, str, Actor, dict[str, Any]] | None:
    """Take the oldest queued job, or None. Two workers never take the same job (see the module's docstring)."""
    with db.session_factory() as session:
        begin_write(session)
        candidate = session.execute(
            select(Job.id).where(Job.status == QUEUED).order_by(Job.created_at).limit(1)
            .with_for_update(skip_locked=True)).scalar_one_or_none()
        if candidate is None:
            session.rollback()
            return None
        now = utcnow()
        taken = session.execute(update(Job).where(Job.id == candidate, Job.status == QUEUED).values(
            status=RUNNING, worker=worker[:120], started_at=now, heartbeat_at=now, attempts=Job.attempts + 1,
            phase="开始", done=0, total=0))
        if taken.rowcount != 1:
            session.rollback()
            return None
        job = session.get(Job, candidate)
        claimed = (job.id, job.kind, _actor_of(job.actor), dict(job.params or {}))
        session.commit()
        return claimed


def requeue_stale(db: Database, stale_seconds: int) -> int:
    """Jobs whose worker stopped reporting go back to the queue (or fail after MAX_ATTEMPTS)."""
    limit = utcnow() - dt.timedelta(seconds=stale_seconds)
    moved = 0
    with db.session_factory() as session:
        begin_write(session)
        running = session.execute(select(Job.id, Job.heartbeat_at, Job.attempts, Job.worker)
                                  .where(Job.status == RUNNING)).all()
        for job_id, heartbeat, attempts, worker in running:
            live = _read_progress_file(db, job_id)
            last = heartbeat
            if live and live.get("at"):
                last = max(last or limit, dt.datetime.fromisoformat(live["at"]))
            if last is not None and last >= limit and not _worker_gone(worker):
                continue
            if attempts >= MAX_ATTEMPTS:
                error = INTERRUPTED()
                session.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING).values(
                    status=FAILED, error=error.message, error_code=error.code, finished_at=utcnow()))
            else:
                session.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING).values(
                    status=QUEUED, worker=None, phase="排队(上次中断)"))
            moved += 1
        session.commit()
    return moved


def _worker_gone(worker: str | None) -> bool:
    """A worker on this machine whose process no longer exists (a restart): its jobs need not wait to go stale."""
    if not worker:
        return True
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _finish(db: Database, job_id: str, *, status: str, result: dict[str, Any] | None = None,
            error: FupinError | None = None, files: list[tuple[str, str, str, bytes, bool, int | None]] = ()) -> None:
    with db.session_factory() as session:
        begin_write(session)
        for purpose, name, media_type, content, personal, rows in files:
            session.add(JobFile(job_id=job_id, purpose=purpose, name=name[:255], media_type=media_type,
                                size=len(content), personal=personal, rows=rows, content=content))
        values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "result": result}
        if error is not None:
            values |= {"error": error.message[:2000], "error_code": error.code}
        job = session.get(Job, job_id)
        if job is not None and status == DONE:
            values |= {"done": max(job.done, job.total), "phase": "完成"}
        session.execute(update(Job).where(Job.id == job_id).values(**values))
        session.commit()
    path = _progress_file(db, job_id)
    if path is not None:
        path.unlink(missing_ok=True)


def run_one(db: Database, worker: str | None = None) -> bool:
    """Claim and run one queued job; False when the queue is empty."""
    worker = worker or worker_name()
    claimed = claim_next(db, worker)
    if claimed is None:
        return False
    job_id, kind, actor, params = claimed
    context = JobContext(db, job_id, actor, params, worker)
    handler = job_handlers().get(kind)
    try:
        if handler is None:
            raise UNKNOWN_KIND(kind=kind)
        result = handler(context)
    except FupinError as error:
        _finish(db, job_id, status=FAILED, error=error, files=context._files)
    except Exception:  # noqa: BLE001 - the job fails in words; its unit of work rolled back
        log.error("job %s (%s) failed:\n%s", job_id, kind, traceback.format_exc())
        _finish(db, job_id, status=FAILED, error=FAILED_UNEXPECTEDLY(kind=kind), files=context._files)
    else:
        _finish(db, job_id, status=DONE, result=result or {}, files=context._files)
    return True


def run_pending(db: Database) -> int:
    """Run every queued job in this thread (tests and the command line)."""
    count = 0
    while run_one(db):
        count += 1
    return count


class Worker:
    """A loop that runs jobs until stopped: a thread inside `fupin serve` (single process), or `fupin worker`."""

    def __init__(self, db: Database, *, poll_seconds: float = 0.5, stale_seconds: int = 90) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self.stale_seconds = stale_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_forever(self) -> None:
        name = worker_name()
        last_sweep = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() - last_sweep > max(5.0, self.stale_seconds / 3):
                    requeue_stale(self.db, self.stale_seconds)
                    last_sweep = time.monotonic()
                if not run_one(self.db, name) and not run_background(self.db):
                    self._stop.wait(self.poll_seconds)
            except Exception:  # noqa: BLE001 - the database may be away for a moment; keep the loop alive
                log.warning("job worker: %s", traceback.format_exc(limit=3))
                self._stop.wait(min(5.0, self.poll_seconds * 4))

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="fupin-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
