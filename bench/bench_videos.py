"""Live Q&A poll endpoint against /ping, same run, with 200 approved questions on the live demo episode.

BENCHMARKS.md target: the poll costs at most 3x /ping. Two polls are measured: a viewer who is up to date
(the steady state: nothing changed since the cursor) and a viewer arriving with cursor 0 (all 200 questions).
Prints the cost per request (1 / req/s) of each beside /ping's, and the ratio. Nothing here asserts a time.
The questions go into the bench's own copy of the demo database (bench/settings_videos.py), taken afresh each
run: the demo that `make run` serves keeps its own Q&A.
"""

import os

import django

from bench.harness import copy_demo_database, serve, wrk

QUESTIONS = 200
SETTINGS = "bench.settings_videos"


def prepare():
    """The live demo episode, in the bench's own copy of the demo, with QUESTIONS approved questions (added
    through the actions)."""
    copy_demo_database("bench_videos.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from videos import actions
    from videos.models import EpisodePage, Question

    episode = EpisodePage.objects.get(slug="family-finance-live", locale__language_code="zh-hans")
    users = get_user_model().objects
    moderator = users.get(email="moderator@example.test")
    existing = Question.objects.filter(broadcast=episode.translation_key, state="approved").count()
    now = episode.air_at
    for n in range(existing, QUESTIONS):
        question = actions.ask_question(episode=episode, user=moderator, text=f"基准测试问题 {n}：U盾怎么用？", now=now)
        actions.approve_question(question=question.question, user=moderator)
    latest = Question.objects.filter(broadcast=episode.translation_key).aggregate(v=Max("version"))["v"] or 0
    return episode.pk, latest


def run(pk, latest, conn_max_age, note):
    print(f"-- {note} (conn_max_age {conn_max_age})")
    with serve(SETTINGS, env={"BENCH_CONN_MAX_AGE": str(conn_max_age)}) as base:
        ping = wrk(f"{base}/ping", "trivial view (/ping)")
        steady = wrk(f"{base}/videos/live/{pk}/changes/?cursor={latest}", "Q&A poll, up to date (200 questions)")
        full = wrk(f"{base}/videos/live/{pk}/changes/?cursor=0", "Q&A poll, from cursor 0 (200 questions)")
    for result in (ping, steady, full):
        cost = 1000 / result.requests_per_second if result.requests_per_second else float("inf")
        ratio = ping.requests_per_second / result.requests_per_second if result.requests_per_second else float("inf")
        print(f"{result.line()}   {cost:6.2f} ms/req   {ratio:5.2f}x /ping")


def main():
    pk, latest = prepare()
    run(pk, latest, 60, "connections kept, as in production")
    run(pk, latest, 0, "a new SQLite connection per request")
    print("target (BENCHMARKS.md): the up-to-date poll <= 3x /ping")


if __name__ == "__main__":
    main()
