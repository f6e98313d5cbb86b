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
