"""bench/lighthouse.py's bar and its SKIP (the Lighthouse run itself is `make lighthouse`)."""

import pytest

from bench import lighthouse

PERFECT = dict.fromkeys(lighthouse.CATEGORIES, 100)


@pytest.mark.parametrize(
    ("scores", "cls", "ok"),
    [
        (PERFECT, 0.0, True),
        (dict.fromkeys(lighthouse.CATEGORIES, 95), 0.0, True),
        ({**PERFECT, "seo": 94}, 0.0, False),
        ({**PERFECT, "performance": 94}, 0.0, False),
        (PERFECT, 0.001, False),
    ],
)
def test_every_category_at_least_95_and_no_layout_shift(scores, cls, ok):
    assert lighthouse.passes(scores, cls) is ok


def test_missing_lighthouse_skips_with_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(lighthouse, "LIGHTHOUSE", tmp_path / "no-lighthouse")
    monkeypatch.delenv("CI", raising=False)
    assert lighthouse.main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith("SKIP lighthouse: missing node_modules/.bin/lighthouse")


def test_missing_chromium_fails_under_ci(monkeypatch, capsys):
    monkeypatch.setenv("CHROME_PATH", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    assert lighthouse.main([]) == 1
    assert "Chromium at /nonexistent/chromium" in capsys.readouterr().out


def fake_runs(monkeypatch, results):
    """run_lighthouse answering `results` (performance, CLS) in turn; returns the calls."""
    calls = []

    def run(url, report):
        perf, cls = results[len(calls)]
        calls.append(report.name)
        return {**PERFECT, "performance": perf}, cls, []

    monkeypatch.setattr(lighthouse, "run_lighthouse", run)
    return calls


def test_a_page_at_the_bar_is_measured_once(monkeypatch, tmp_path):
    calls = fake_runs(monkeypatch, [(95, 0.0)])
    scores, _cls, _, perfs = lighthouse.measure("http://x/", tmp_path / "home-id.json")
    assert calls == ["home-id.json"] and perfs == [95] and scores["performance"] == 95


@pytest.mark.parametrize(
    ("results", "perf", "cls", "ok"),
    [
        ([(60, 0.0), (98, 0.0), (97, 0.0)], 97, 0.0, True),  # one slow run: the median passes
        ([(60, 0.0), (70, 0.0), (98, 0.0)], 70, 0.0, False),  # two slow runs: it fails
        ([(60, 0.0), (98, 0.2), (97, 0.0)], 97, 0.2, False),  # a shift in any run counts
    ],
)
def test_a_page_under_the_bar_counts_with_the_median_of_three(
    monkeypatch, tmp_path, results, perf, cls, ok
):
    calls = fake_runs(monkeypatch, results)
    scores, got_cls, _, perfs = lighthouse.measure("http://x/", tmp_path / "event-en.json")
    assert calls == ["event-en.json", "event-en-2.json", "event-en-3.json"]
    assert perfs == [r[0] for r in results]
    assert (scores["performance"], got_cls) == (perf, cls)
    assert lighthouse.passes(scores, got_cls) is ok


def lighthouse_exits(monkeypatch, codes):
    """subprocess.run answering each Lighthouse call with the next exit code of `codes`,
    writing a perfect report on success; returns the calls."""
    import json
    import subprocess

    calls = []

    def run(command, env):
        code = codes[len(calls)]
        calls.append(command)
        if code == 0:
            report = next(a for a in command if a.startswith("--output-path="))
            categories = {c: {"score": 1} for c in lighthouse.CATEGORIES}
            audits = {"cumulative-layout-shift": {"numericValue": 0}}
            with open(report.split("=", 1)[1], "w") as out:
                json.dump({"categories": categories, "audits": audits}, out)
        return subprocess.CompletedProcess(command, code)

    monkeypatch.setattr(lighthouse.subprocess, "run", run)
    return calls


def test_a_run_lighthouse_could_not_record_is_repeated(monkeypatch, tmp_path):
    calls = lighthouse_exits(monkeypatch, [1, 1, 0])
    scores, cls, failing = lighthouse.run_lighthouse("http://x/", tmp_path / "event-id.json")
    assert len(calls) == 3
    assert scores == PERFECT and cls == 0 and failing == []


def test_lighthouse_failing_every_time_fails_the_page(monkeypatch, tmp_path):
    import subprocess

    calls = lighthouse_exits(monkeypatch, [1] * lighthouse.ATTEMPTS)
    with pytest.raises(subprocess.CalledProcessError):
        lighthouse.run_lighthouse("http://x/", tmp_path / "event-id.json")
    assert len(calls) == lighthouse.ATTEMPTS
