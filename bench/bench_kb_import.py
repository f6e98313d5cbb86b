"""`kb_import` of new articles: rows per second on SQLite and on PostgreSQL, row by row beside batched.

BENCHMARKS.md target: >= 50 new articles/s on both databases, with the same result as row by row. Each round
starts from a copy of one prepared database (migrate + demo content) and imports the same generated file of
KB_IMPORT_BENCH_ROWS new articles (default 1,000: half Chinese, half their English translations, over the demo
categories, with tags, related links to rows further down, Markdown with steps, tables and notices). The
import runs in a child process (Django set up before the clock starts); the two ways alternate round by
round and the medians are printed. "row by row" is today's per-row path (batch size 1), "batched" the default.

PostgreSQL: databases bench_kbimport_tpl (prepared once, then kept) and bench_kbimport_run
(KB_IMPORT_BENCH_DATABASE renames them) on the server of KB_IMPORT_BENCH_POSTGRES (an URL to any database
there; default: what scripts/postgres.sh prints). SQLite starts from var/portal.sqlite3 when it is there
(`make bench` prepares it; KB_IMPORT_BENCH_SQLITE names another), else from a database prepared here.
Run: `.venv/bin/python -m bench.bench_kb_import` (KB_IMPORT_BENCH_ROUNDS=3, KB_IMPORT_BENCH_BACKENDS=sqlite,postgresql).
"""

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT
from bench.kb_import_10k import article

TARGET = 50.0
ROWS = int(os.environ.get("KB_IMPORT_BENCH_ROWS", "1000"))
ROUNDS = int(os.environ.get("KB_IMPORT_BENCH_ROUNDS", "3"))
BACKENDS = os.environ.get("KB_IMPORT_BENCH_BACKENDS", "sqlite,postgresql").split(",")
DATABASE = os.environ.get("KB_IMPORT_BENCH_DATABASE", "bench_kbimport")
WAYS = (("row by row", 1), ("batched", None))


def write_rows(path, count):
    rng = random.Random(42)
    with path.open("w", encoding="utf-8") as stream:
        for n in range(count // 2):
            for locale in ("zh-hans", "en"):
                row = article(n, locale, rng)
                row["slug"] = f"bench-import-{n}"
                row["related"] = [f"bench-import-{(n + k) % (count // 2)}" for k in (1, 2, 3)]
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env):
    for step in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["demo_content", "--quiet-users"]):
        manage(env, *step)


class SQLite:
    name = "SQLite"

    def __init__(self, tmp):
        # `make bench` has just prepared var/portal.sqlite3 (the demo): a copy of it is enough.
        prepared = Path(os.environ.get("KB_IMPORT_BENCH_SQLITE") or ROOT / "var" / "portal.sqlite3")
        self.template = Path(tmp) / "template"
        self.run_dir = Path(tmp) / "run"
        self.template.mkdir()
        if prepared.exists():
            shutil.copy(prepared, self.template / "bench.sqlite3")  # the file bench.settings reads in its var dir
        else:
            prepare(self.env(self.template))

    def env(self, var_dir):
        return {**os.environ, "PORTAL_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.settings"}

    def fresh(self):
        shutil.rmtree(self.run_dir, ignore_errors=True)
        self.run_dir.mkdir()
        shutil.copy(self.template / "bench.sqlite3", self.run_dir / "bench.sqlite3")
        return self.env(self.run_dir)


class PostgreSQL:
    name = "PostgreSQL"

    def __init__(self, tmp):
        import psycopg

        url = (
            os.environ.get("KB_IMPORT_BENCH_POSTGRES")
            or (
                subprocess.run(["bash", "scripts/postgres.sh"], cwd=ROOT, capture_output=True, text=True, check=True)
                .stdout.strip()
                .splitlines()[-1]
            )
        )
        self.base = url.rpartition("/")[0]
        self.admin = psycopg.connect(f"{self.base}/postgres", autocommit=True)
        self.template, self.run = f"{DATABASE}_tpl", f"{DATABASE}_run"
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.run}"')
        # The prepared template is kept between runs (preparing takes minutes); migrate brings it up to date.
        if self.admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template]).fetchone():
            manage(self.env(self.template), "migrate", "--noinput", "-v0")
        else:
            self.admin.execute(f'CREATE DATABASE "{self.template}"')
            prepare(self.env(self.template))

    def env(self, name):
        return {**os.environ, "DATABASE_URL": f"{self.base}/{name}", "DJANGO_SETTINGS_MODULE": "bench.settings_pg"}

    def fresh(self):
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.run}"')
        self.admin.execute(f'CREATE DATABASE "{self.run}" TEMPLATE "{self.template}"')
        return self.env(self.run)

    def close(self):
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.run}"')
        self.admin.close()


def child(path, batch_size):
    """In the child process: import the file once and print seconds, rows, queries and the report as JSON."""
    import django

    django.setup()
    import inspect

    from django.db import connection

    from kb import actions, transfer

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with Path(path).open(encoding="utf-8") as stream:
        rows = list(transfer.read_rows(stream.read().splitlines(keepends=True), "jsonl"))
    kwargs = {}
    if "batch_size" in inspect.signature(actions.import_articles).parameters and batch_size:
        kwargs["batch_size"] = int(batch_size)
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        report = actions.import_articles(rows, **kwargs)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": len(rows), "queries": queries[0], **summary(report)}))


def summary(report):
    return {"created": report.created, "updated": report.updated, "errors": len(report.errors)}


def one_import(env, path, batch_size):
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_kb_import", "--child", str(path), str(batch_size or 0)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    with tempfile.TemporaryDirectory(prefix="kb-import-bench-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        write_rows(path, ROWS)
        for backend in BACKENDS:
            started = time.monotonic()
            database = {"sqlite": SQLite, "postgresql": PostgreSQL}[backend.strip()](tmp)
            print(f"{database.name}: prepared in {time.monotonic() - started:.0f} s; {ROWS} new articles per import")
            try:
                results = {label: [] for label, _size in WAYS}
                for _round in range(ROUNDS):
                    for label, size in WAYS:
                        results[label].append(one_import(database.fresh(), path, size))
                for label, runs in results.items():
                    rate = statistics.median(run["rows"] / run["seconds"] for run in runs)
                    cpu = statistics.median(run["cpu"] / run["rows"] * 1000 for run in runs)
                    queries = statistics.median(run["queries"] / run["rows"] for run in runs)
                    last = runs[-1]
                    print(
                        f"  {label:<11} {rate:7.1f} rows/s (target >= {TARGET:.0f})   CPU {cpu:6.1f} ms/row"
                        f"   {queries:6.1f} queries/row   created {last['created']}, errors {last['errors']}"
                        f"   ({ROUNDS} rounds, median)"
                    )
            finally:
                if hasattr(database, "close"):
                    database.close()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
