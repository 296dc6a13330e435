import pytest

from tangerang_ikm.spreadsheets import safe_row, safe_text


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_formula_start_becomes_literal_text(value):
    assert safe_text(value) == "'" + value


@pytest.mark.parametrize("value", ["Rotan Jaya", "", "a=b", 12, None, 3.5])
def test_anything_else_is_left_alone(value):
    assert safe_text(value) == value


def test_safe_row_applies_to_every_cell():
    assert safe_row(["=x", 1, "ok"]) == ["'=x", 1, "ok"]
