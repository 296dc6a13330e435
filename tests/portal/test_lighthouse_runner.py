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
