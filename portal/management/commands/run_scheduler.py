"""`manage.py run_scheduler [--list] [--run JOB]`: the process that starts the portal's recurring jobs.

Without options it runs until stopped (Ctrl-C, SIGTERM, SIGHUP), enqueuing each job of portal/scheduler.py
when its cron time comes. `--list` prints the jobs with their next run; `--run JOB` runs one job now, in
this process (what the worker would do), and prints its result.
"""

import signal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal import scheduler


def _stop(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


class Command(BaseCommand):
    help = "Run the scheduler that starts the portal's recurring jobs (scheduled publishing, digests, retries)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="print the jobs and their next run, then exit")
        parser.add_argument("--run", metavar="JOB", help="run this job now, in this process, then exit")

    def handle(self, *args, **options):
        if options["list"]:
            return self.list_jobs()
        if options["run"]:
            try:
                result = scheduler.run_job(options["run"])
            except scheduler.UnknownJob as exc:
                names = ", ".join(job.name for job in scheduler.JOBS)
                raise CommandError(f"no job {options['run']!r}; jobs: {names}") from exc
            self.stdout.write(f"{options['run']}: {result}")
            return None
        runner = scheduler.build_scheduler()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, _stop)
        try:
            self.list_jobs()
            self.stdout.write(self.style.SUCCESS("Scheduler started (Ctrl-C stops it)."))
            runner.start()
        except KeyboardInterrupt as exc:
            self.stdout.write(f"Scheduler stopping ({exc or 'interrupted'}).")
            if runner.running:
                runner.shutdown(wait=False)
        return None

    def list_jobs(self):
        now = timezone.now()
        for job in scheduler.JOBS:
            if scheduler.resolve(job) is None:
                state = f"waiting for {job.target}"
            else:
                upcoming = scheduler.trigger(job).get_next_fire_time(None, now)
                state = f"next {timezone.localtime(upcoming):%Y-%m-%d %H:%M %Z}"
            self.stdout.write(f"{job.name:<22} {job.cron:<14} {state:<34} {job.description}")
