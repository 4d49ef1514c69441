"""The one rule for typed numbers (issue 17 item 5): desktop_app/case/number_text.py."""
import pytest

from desktop_app.case.number_text import decimal_text, parse_number


@pytest.mark.parametrize("text, value", [("12.5", 12.5), ("12,5", 12.5), ("0,45", 0.45), ("1250", 1250),
                                         (" 7 ", 7), ("-3", -3), (".5", 0.5)])
def test_parse_number_reads(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, words", [("1,250", "use no thousands separator: 1250"),
                                         ("1,200", "use no thousands separator: 1200"),
                                         ("1,250.5", "use no thousands separator: 1250.5"),
                                         ("0,125", "use a decimal point: 0.125"),
                                         ("inf", "type a number only"), ("1_000", "type a number only"),
                                         ("12 kg", "type a number only")])
def test_parse_number_refuses_in_words(text, words):
    with pytest.raises(ValueError, match=words):
        parse_number(text)
    if "," in text:
        with pytest.raises(ValueError):
            decimal_text(text)
