"""The county dashboard and home page through the figure cache (issue 11): N users of one county open the
dashboard one after another, with FUPIN_FIGURE_CACHE_SECONDS=0 (the baseline: every request computes) and =60
(one computation per interval, shared), on the same demo database in the same run.

    python -m bench.bench_dashboard_cache --households 5000 --requests 20
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    import bench.common  # noqa: F401  (the bench's secret key)
    from fupin.accounts.demo import demo_password
    from fupin.areas.service import load_package_map
    from fupin.core.audit import Actor
    from fupin.core.cache import FIGURES
    from fupin.core.db import Database
    from fupin.core.demo import DemoContext, build_demo
    from fupin.core.migrations import upgrade
    from fupin.core.settings import get_settings
    from fupin.core.uow import UnitOfWork
    from fupin.web.app import create_app

    folder = tempfile.mkdtemp()
    db = Database(f"sqlite:///{folder}/bench.db")
    upgrade(db.engine)
    with UnitOfWork(db, Actor.system("bench")) as uow:
        load_package_map(uow)
    started = time.perf_counter()
    build_demo(DemoContext(db=db, seed=1, households=args.households))
    print(f"demo of {args.households} households in {time.perf_counter() - started:.1f} s")
    results = {}
    for seconds in ("0", "60"):
        os.environ["FUPIN_FIGURE_CACHE_SECONDS"] = seconds
        get_settings.cache_clear()
        FIGURES.clear()
        with TestClient(create_app(db=db, run_jobs=False)) as client:
            page = client.get("/login")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            client.post("/login", data={"username": "demo_county", "password": demo_password("county"),
                                        "csrf_token": csrf, "next": "/"})
            started = time.perf_counter()
            for _ in range(args.requests):
                assert client.get("/indicators?area=530326000000&year=2020").status_code == 200
                assert client.get("/?year=2020").status_code == 200
            results[seconds] = time.perf_counter() - started
        print(f"FUPIN_FIGURE_CACHE_SECONDS={seconds}: {args.requests} × (dashboard + home) in {results[seconds]:.2f} s "
              f"({results[seconds] / args.requests * 1000:.0f} ms per pair)")
    print(f"ratio cached / uncached: {results['60'] / results['0']:.2f}")


if __name__ == "__main__":
    main()
