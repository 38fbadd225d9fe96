import pytest

from khabar.extract.numbers import find_figures, parse_figure, word_number
from khabar.records import Count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Count(low=12, best=12, high=12)),
        ("five", Count(low=5, best=5, high=5)),
        ("twenty-one", Count(low=21, best=21, high=21)),
        ("1,200", Count(low=1200, best=1200, high=1200)),
        ("at least 12", Count(low=12, best=12, high=None)),
        ("more than 20", Count(low=20, best=20, high=None)),
        ("over 20", Count(low=20, best=20, high=None)),
        ("nearly 30", Count(low=None, best=30, high=30)),
        ("up to 8", Count(low=None, best=8, high=8)),
        ("around 40", Count(low=None, best=40, high=None)),
        ("two to three", Count(low=2, best=2, high=3)),
        ("2-3", Count(low=2, best=2, high=3)),
        ("3 or 4", Count(low=3, best=3, high=4)),
        ("a dozen", Count(low=12, best=12, high=12)),
        ("dozens", Count(low=12, best=24, high=None)),
        ("several", Count(low=3, best=3, high=None)),
    ],
)
def test_find_figures_reads_hedges_and_ranges(text, expected):
    (figure,) = find_figures(f"Police said {text} people were killed.")
    assert figure.count == expected
    assert figure.text == text


def test_find_figures_gives_spans_and_skips_articles():
    text = "A roadside bomb killed 4 soldiers and wounded eleven others."
    figures = find_figures(text)
    assert [(f.text, text[f.start : f.end]) for f in figures] == [("4", "4"), ("eleven", "eleven")]


@pytest.mark.parametrize(
    ("text", "value"), [("a", 1), ("an", 1), ("thirty five", 35), ("nine", 9), ("x", None)]
)
def test_word_number(text, value):
    assert word_number(text) == value


def test_parse_figure_unknown_word_is_none():
    assert parse_figure(None, "umpteen") is None
