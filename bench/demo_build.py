"""Time the demo build the test suite starts from, as the suite runs it (not run by `make bench`: it takes a while).

Usage: .venv/bin/python -m bench.demo_build [--profile FILE]
       DATABASE_URL=postgres://... .venv/bin/python -m bench.demo_build      (PostgreSQL, like CI's second run)

Under the test settings it makes a fresh test database (migrations, as pytest-django does), then prints the
seconds (wall and this process's CPU) of: the session's demo build (tests.demo.build_demo_and_snapshot), a second,
idempotent build (what test_demo_content and test_seo run), and the restore after a transactional test's flush
(tests.demo.ensure_demo), which is what every browser and concurrency test waits for on SQLite and PostgreSQL.
The machine is shared: compare figures taken in one run, or CPU seconds, which other load disturbs less.
"""

import argparse
import cProfile
import os
import sys
import time


class Clock:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def line(self, label):
        return f"{label:<44} {self.wall:>8.2f} s wall  {self.cpu:>8.2f} s CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="write a cProfile of the first build to this file")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    with Clock() as clock:
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor}   ELASTICSEARCH_URL={os.environ.get('ELASTICSEARCH_URL', '')!r}")
    print(clock.line("test database (migrations)"))
    try:
        from django.db import connection as conn
        from django.db.backends.utils import CursorWrapper

        from tests.demo import build_demo_and_snapshot, ensure_demo

        queries = {"n": 0}
        execute = CursorWrapper.execute

        def counting(self, sql, params=None):
            queries["n"] += 1
            return execute(self, sql, params)

        CursorWrapper.execute = counting
        profile = cProfile.Profile() if args.profile else None
        with Clock() as clock:
            if profile:
                profile.enable()
            build_demo_and_snapshot()
            if profile:
                profile.disable()
        print(clock.line("demo build (session start)") + f"  {queries['n']} queries")
        if profile:
            profile.dump_stats(args.profile)

        from portal.demo import build_demo

        queries["n"] = 0
        with Clock() as clock:
            build_demo()
        print(clock.line("second build (idempotent)") + f"  {queries['n']} queries")

        with Clock() as clock:
            call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False)
        print(clock.line("flush (after a transactional test)"))
        queries["n"] = 0
        with Clock() as clock:
            ensure_demo()
        print(clock.line("demo back after the flush (ensure_demo)") + f"  {queries['n']} queries")
        CursorWrapper.execute = execute
        del conn
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
