"""bench/run.py --rounds: each tree's median over its turns (docs/benchmarks.md)."""

from bench.run import print_medians


def row(tree, round_, p95, rps):
    return {
        "tree": tree, "round": round_, "c": 4, "name": "product pages", "kind": "public",
        "paths": 4000, "p50": p95 / 2, "p95": p95, "p99": p95, "rps": rps,
        "floor_rps": 2000, "ratio_to_floor": rps / 2000, "errors": 0,
    }  # fmt: skip


def test_medians_over_rounds_per_tree(capsys):
    results = [
        row("before", 1, 30.0, 150),
        row("main", 1, 20.0, 210),
        row("before", 2, 26.0, 170),
        row("main", 2, 90.0, 100),  # a noisy turn: the median of three leaves it out
        row("before", 3, 28.0, 160),
        row("main", 3, 22.0, 220),
    ]
    print_medians(results)
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.strip().splitlines()]
    assert lines[1] == "before 4 product pages 3 14.0 28.0 160 8.0%"
    assert lines[2] == "main 4 product pages 3 11.0 22.0 210 10.5%"


def test_one_round_prints_no_medians(capsys):
    print_medians([row("main", 1, 20.0, 210)])
    assert capsys.readouterr().out == ""
