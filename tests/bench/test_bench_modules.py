"""`make bench` runs every bench/bench_*.py in turn and stops at the first that fails, so one bench importing a
helper another has since renamed (bench_intake once asked bench_forum for a `line` that was gone) silenced every
bench after it. Each must at least import and offer the `main` the Makefile's loop calls."""

import importlib
from pathlib import Path

import pytest

BENCHES = sorted(path.stem for path in (Path(__file__).resolve().parents[2] / "bench").glob("bench_*.py"))


def test_make_bench_has_benches_to_run():
    assert {"bench_forum", "bench_intake", "bench_render", "bench_peers"} <= set(BENCHES)


@pytest.mark.parametrize("name", BENCHES)
def test_each_bench_imports_and_has_a_main(name):
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "main", None)), f"bench/{name}.py has no main()"


@pytest.mark.parametrize("name", ["bench.settings", "bench.settings_render", "bench.settings_videos"])
def test_benches_write_into_their_own_copy_of_the_demo_never_into_the_demo(name):
    """bench_peers' wrk runs once left 8,000 searches in the demo's search log, bench_videos 200 questions on
    its live episode: the operations dashboard and the live Q&A a newcomer opened after `make bench` showed them."""
    from portal.settings import dev

    demo = dev.DATABASES["default"]["NAME"]
    used = importlib.import_module(name).DATABASES["default"]["NAME"]
    assert used != demo
    assert used.parent == demo.parent  # beside it in var/, where bench.harness copies the demo
