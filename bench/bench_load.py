"""A county at once: fupin served the production way under closed-loop clients, against a hello-world ceiling.

    python -m bench.bench_load [--db sqlite|postgresql|both] [--seconds 30] [--clients 5,50,200]
                               [--workers 2] [--pg-households 280000] [--reuse]

For each database: build the demo county (SQLite: the 2,000-household demo; PostgreSQL: about 1,000,000 people,
built once and kept with --reuse), serve it with `fupin serve --workers N` (the production way: jobs in a
`fupin worker` beside the web processes), and run closed-loop clients — each sends its next request as soon as
the last answered — for a fixed time at each client count. The mix: home page, household list, household page,
dashboard, the matching API reads, and visit writes. In the same run, a FastAPI hello-world served by uvicorn
with the same workers is loaded through the same client: the ceiling of this machine and this client (they share
the cores). Prints req/s, p50/p95/p99/max, 5xx/other errors, 503s, and the ratio to hello-world.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.common import OUT, PG_URL, machine

ROOT = Path(__file__).resolve().parent.parent
HELLO_APP = "bench.hello_app:app"
KEY = os.environ.setdefault("FUPIN_SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
MIX = [  # (weight, kind)
    (10, "home"), (14, "household_list"), (18, "household_page"), (8, "dashboard"),
    (14, "api_households"), (16, "api_household"), (8, "api_ledger"), (12, "visit_write"),
]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, kind: str, status: int, seconds: float) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.by_kind.setdefault(kind, []).append(seconds)

    def summary(self, elapsed: float) -> dict[str, float | int]:
        ordered = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(len(ordered) * p))]

        server_errors = sum(n for s, n in self.statuses.items() if s >= 500 and s != 503)
        other_errors = sum(n for s, n in self.statuses.items() if 400 <= s < 500) + len(self.failures)
        return {"requests": len(self.latencies), "rps": len(self.latencies) / elapsed, "p50": pct(0.50),
                "p95": pct(0.95), "p99": pct(0.99), "max": ordered[-1], "errors_5xx": server_errors,
                "unavailable_503": self.statuses.get(503, 0), "errors_4xx_or_io": other_errors,
                "over_10s": sum(1 for t in ordered if t > 10), "over_3s": sum(1 for t in ordered if t > 3)}


def wait_ready(base: str, process: subprocess.Popen, seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server not ready")


def serve_fupin(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = os.environ.copy()
    env.update({"FUPIN_DATABASE_URL": url, "FUPIN_SECRET_KEY": KEY})
    return subprocess.Popen([sys.executable, "-m", "fupin", "serve", "--workers", str(workers), "--port", str(port),
                             "--host", "127.0.0.1"], cwd=ROOT, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def serve_hello(port: int, workers: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "uvicorn", HELLO_APP, "--workers", str(workers), "--port",
                             str(port), "--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"],
                            cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class Session:
    cookie: str
    csrf: str
    token: str
    households: list[int]
    area: str


async def login(base: str) -> Session:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/api/v1/auth/token",
                             json={"username": "demo_county", "password": "demo-county-2026"}) as r:
            token = (await r.json())["access_token"]
        async with http.get(f"{base}/login") as r:
            page = await r.text()
            login_csrf = r.cookies["fupin_login_csrf"].value
        csrf_form = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        async with http.post(f"{base}/login", data={"username": "demo_county", "password": "demo-county-2026",
                                                     "csrf_token": csrf_form, "next": "/"},
                             cookies={"fupin_login_csrf": login_csrf}, allow_redirects=False) as r:
            cookie = r.cookies["fupin_session"].value
        async with http.get(f"{base}/registry", cookies={"fupin_session": cookie}) as r:
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', await r.text()).group(1)
        households: list[int] = []
        cursor = None
        headers = {"Authorization": f"Bearer {token}"}
        while len(households) < 600:
            params = {"limit": "200"} | ({"cursor": cursor} if cursor else {})
            async with http.get(f"{base}/api/v1/registry/households", headers=headers, params=params) as r:
                body = await r.json()
            households += [h["id"] for h in body["items"]]
            cursor = body.get("next_cursor")
            if not cursor:
                break
    return Session(cookie, csrf, token, households, "530326000000")


def _request(kind: str, session: Session, rng: random.Random) -> tuple[str, str, dict]:
    household = rng.choice(session.households) if session.households else 1
    page = {"cookies": {"fupin_session": session.cookie}}
    api = {"headers": {"Authorization": f"Bearer {session.token}"}}
    if kind == "home":
        return "GET", "/", page
    if kind == "household_list":
        return "GET", "/registry", page
    if kind == "household_page":
        return "GET", f"/registry/households/{household}", page
    if kind == "dashboard":
        return "GET", "/indicators", page
    if kind == "api_households":
        return "GET", "/api/v1/registry/households?limit=30", api
    if kind == "api_household":
        return "GET", f"/api/v1/registry/households/{household}", api
    if kind == "api_ledger":
        return "GET", f"/api/v1/registry/households/{household}/visits", api
    return "POST", f"/api/v1/registry/households/{household}/visits", api | {"json": {
        "visited_on": time.strftime("%Y-%m-%d"), "found": "压力测试走访:家中无异常", "done": "宣讲政策"}}


async def closed_loop(base: str, clients: int, seconds: float, session: Session | None, hello: bool) -> Stats:
    stats = Stats()
    kinds = [k for w, k in MIX for _ in range(w)]
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        async def client(index: int) -> None:
            rng = random.Random(index)
            while time.monotonic() < deadline:
                kind = "hello" if hello else rng.choice(kinds)
                method, path, options = ("GET", "/", {}) if hello else _request(kind, session, rng)  # type: ignore[arg-type]
                started = time.perf_counter()
                try:
                    async with http.request(method, base + path, allow_redirects=False, **options) as response:
                        await response.read()
                        stats.add(kind, response.status, time.perf_counter() - started)
                except (TimeoutError, aiohttp.ClientError) as error:
                    stats.failures.append(f"{kind}: {type(error).__name__}")
                    stats.add(kind, 599, time.perf_counter() - started)

        await asyncio.gather(*(client(i) for i in range(clients)))
    return stats


def run_level(base: str, clients: int, seconds: float, session: Session | None, hello: bool) -> dict:
    started = time.perf_counter()
    stats = asyncio.run(closed_loop(base, clients, seconds, session, hello))
    summary = stats.summary(time.perf_counter() - started)
    if not hello:
        summary["by_kind_p95"] = {k: sorted(v)[int(len(v) * 0.95)] for k, v in stats.by_kind.items() if v}
        summary["statuses"] = {str(k): v for k, v in sorted(stats.statuses.items())}
    return summary


def prepare(kind: str, households: int, reuse: bool) -> str:
    from sqlalchemy.engine import make_url

    if kind == "sqlite":
        OUT.mkdir(exist_ok=True)
        path = OUT / "load.db"
        url = f"sqlite:///{path}"
        if reuse and path.exists():
            return url
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        count = 2000
    else:
        url = make_url(PG_URL).set(database="bench_load").render_as_string(hide_password=False)
        if reuse:
            return url
        from sqlalchemy import create_engine, text

        admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "bench_load" WITH (FORCE)'))
            conn.execute(text('CREATE DATABASE "bench_load"'))
        admin.dispose()
        count = households
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fupin", "demo", "--db", url, "--households", str(count)], cwd=ROOT,
                   env=os.environ | {"FUPIN_SECRET_KEY": KEY}, check=True, stdout=subprocess.DEVNULL)
    if kind == "postgresql":
        from sqlalchemy import create_engine, text

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
            people = conn.execute(text("SELECT count(*) FROM persons")).scalar_one()
        engine.dispose()
        print(f"[postgresql] demo county built: {people:,} people in {time.perf_counter() - started:.0f} s",
              flush=True)
    return url


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", default="5,50,200")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--pg-households", type=int, default=280_000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    OUT.mkdir(exist_ok=True)
    print(machine(), flush=True)
    print(f"workers {args.workers}, {args.seconds:.0f} s per level, clients {levels}", flush=True)

    results: dict[str, dict] = {"hello": {}}
    hello = serve_hello(8811, args.workers, OUT / "hello.log")
    try:
        wait_ready_hello("http://127.0.0.1:8811", hello)
        for clients in levels:
            results["hello"][clients] = run_level("http://127.0.0.1:8811", clients, args.seconds, None, True)
            r = results["hello"][clients]
            print(f"[hello-world] {clients:>3} clients: {r['rps']:8.1f} req/s  p50 {r['p50'] * 1000:6.1f} ms  "
                  f"p99 {r['p99'] * 1000:7.1f} ms", flush=True)
    finally:
        stop(hello)

    for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        url = prepare(kind, args.pg_households, args.reuse)
        server = serve_fupin(url, 8812, args.workers, OUT / f"load-{kind}.log")
        results[kind] = {}
        try:
            wait_ready("http://127.0.0.1:8812", server)
            session = asyncio.run(login("http://127.0.0.1:8812"))
            run_level("http://127.0.0.1:8812", 5, min(5.0, args.seconds), session, False)  # warm-up
            for clients in levels:
                r = run_level("http://127.0.0.1:8812", clients, args.seconds, session, False)
                results[kind][clients] = r
                ratio = r["rps"] / results["hello"][clients]["rps"]
                print(f"[{kind}] {clients:>3} clients: {r['rps']:7.1f} req/s  p50 {r['p50'] * 1000:6.0f} ms  "
                      f"p95 {r['p95'] * 1000:6.0f} ms  p99 {r['p99'] * 1000:6.0f} ms  max {r['max']:5.1f} s  "
                      f"5xx {r['errors_5xx']}  503 {r['unavailable_503']}  4xx/io {r['errors_4xx_or_io']}  "
                      f">10s {r['over_10s']}  ratio to hello-world {ratio:.2f}", flush=True)
            base = results[kind][levels[0]]["rps"]
            for clients in levels[1:]:
                print(f"[{kind}] throughput at {clients} clients = "
                      f"{results[kind][clients]['rps'] / base * 100:.0f} % of {levels[0]} clients", flush=True)
        finally:
            stop(server)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"load-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    print(f"details: bench/out/load-{stamp}.json")
    return 0


def wait_ready_hello(base: str, process: subprocess.Popen) -> None:
    import httpx

    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError("hello-world exited")
        try:
            if httpx.get(base, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("hello-world not ready")


if __name__ == "__main__":
    sys.exit(main())
