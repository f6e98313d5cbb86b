"""The `make loadtest` mix (locust): anonymous readers, signed-in customers reading and replying, search, and
agents at the console. bench/loadtest.py prepares the plan (URLs, sessions) and runs this file headless.

Each simulated person sends its own X-Forwarded-For address, as customers behind the production proxy do
(bench/settings_loadtest.py trusts one proxy). The run stops at LOADTEST_MAX_REQUESTS requests or at locust's
time limit, whichever comes first. When locust quits, the figures per endpoint and every 5xx (tallied whatever
a task's own check said) go to LOADTEST_STATUS, from which bench/loadtest.py prints and judges the run.
"""

import collections
import itertools
import json
import os
import random
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115 - read once at import
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "100000"))
CSRF = "l" * 32  # a CSRF secret sent as cookie and form field alike
QUERIES = ["网银盾", "U盾没反应", "转账限额", "挂失", "信用卡", "lost card", "password reset", "网上银行 登录"]
_addresses = itertools.count(1)
_customers = itertools.cycle(PLAN["customers"])
_sent = itertools.count(1)
_server_errors = collections.Counter()  # endpoint -> 5xx responses


@events.request.add_listener
def _tally(name, response=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        _server_errors[name] += 1


def _figures(entry):
    return {
        "name": entry.name,
        "method": entry.method,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.total_rps, 1),
        **{f"p{int(q * 100)}": entry.get_response_time_percentile(q) or 0 for q in (0.5, 0.95, 0.99)},
    }


@events.quitting.add_listener
def _write_status(environment, **kwargs):
    """The final figures, taken when locust quits: its --csv files are written once a second and can miss the
    last second (a short run's every request), so bench/loadtest.py reads these instead."""
    if not os.environ.get("LOADTEST_STATUS"):
        return
    stats = environment.stats
    status = {
        "endpoints": [_figures(entry) for entry in sorted(stats.entries.values(), key=lambda entry: entry.name)],
        "total": _figures(stats.total),
        "errors": [
            {"method": error.method, "name": error.name, "error": str(error.error), "occurrences": error.occurrences}
            for error in stats.errors.values()
        ],
        "server_errors": dict(_server_errors),
    }
    with open(os.environ["LOADTEST_STATUS"], "w", encoding="utf-8") as out:
        json.dump(status, out)


@events.request.add_listener
def _bounded(**kwargs):
    if next(_sent) >= MAX_REQUESTS and _environment is not None and _environment.runner is not None:
        _environment.runner.quit()


_environment = None


@events.init.add_listener
def _remember(environment, **kwargs):
    global _environment
    _environment = environment


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)

    def on_start(self):
        number = next(_addresses)
        self.client.headers["X-Forwarded-For"] = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"

    def read(self, path, name):
        self.client.get(path, name=name)

    def search(self):
        self.client.get(f"/search/?q={random.choice(QUERIES)}", name="search page")  # noqa: S311


class AnonymousReader(Person):
    weight = 6

    @task(3)
    def article(self):
        self.read(random.choice(PLAN["articles"]), "KB article")  # noqa: S311

    @task(2)
    def thread(self):
        self.read(random.choice(PLAN["threads"]), "thread page")  # noqa: S311

    @task(1)
    def home(self):
        self.read("/", "home")

    @task(1)
    def board(self):
        self.read(PLAN["board"], "board page")

    @task(2)
    def search_page(self):
        self.search()

    @task(1)
    def suggest(self):
        self.client.get(f"/api/suggest?q={random.choice(QUERIES)[:2]}", name="suggest API")  # noqa: S311


class Customer(Person):
    weight = 3

    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", next(_customers))
        self.client.cookies.set("csrftoken", CSRF)

    @task(4)
    def article(self):
        self.read(random.choice(PLAN["articles"]), "KB article, signed in")  # noqa: S311

    @task(3)
    def thread(self):
        self.read(PLAN["reply_thread"], "thread page, signed in")

    @task(2)
    def search_page(self):
        self.search()

    @task(1)
    def reply(self):
        body = f"负载测试回复 {uuid.uuid4().hex[:12]}：我也遇到了同样的问题。"
        with self.client.post(
            PLAN["reply_thread"],
            data={"body": body, "csrfmiddlewaretoken": CSRF},
            name="reply (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"reply answered {response.status_code}")


class Agent(Person):
    weight = 1

    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", PLAN["agent"])

    @task(3)
    def console(self):
        with self.client.get(
            f"/console/?q={random.choice(QUERIES)}",  # noqa: S311
            name="agent console",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"console answered {response.status_code}")

    @task(2)
    def api(self):
        self.client.get(f"/api/search?q={random.choice(QUERIES)}&size=10", name="agent search API")  # noqa: S311
