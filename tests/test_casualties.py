"""The casualty normaliser on the guidelines' number forms (ACLED rules), and its invariants."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventnlp.casualties import normalize

N = None
TABLE = [
    # phrase, count, min, max, approximate
    ("seven civilians", 7, 7, 7, False),
    ("129", 129, 129, 129, False),
    ("224 people", 224, 224, 224, False),
    ("1,200 people", 1200, 1200, 1200, False),
    ("1,245 people", 1245, 1245, 1245, False),
    ("12,000 refugees", 12000, 12000, 12000, False),
    ("a soldier", 1, 1, 1, False),
    ("a policeman", 1, 1, 1, False),
    ("an aid worker", 1, 1, 1, False),
    ("One", 1, 1, 1, False),
    ("one of the brothers", 1, 1, 1, False),
    ("two people", 2, 2, 2, False),
    ("three soldiers", 3, 3, 3, False),
    ("two of the attackers", 2, 2, 2, False),
    ("eleven villagers", 11, 11, 11, False),
    ("twenty-three people", 23, 23, 23, False),
    ("forty-five fighters", 45, 45, 45, False),
    ("one hundred and twelve civilians", 112, 112, 112, False),
    ("three hundred people", 300, 300, 300, False),
    ("two thousand five hundred people", 2500, 2500, 2500, False),
    ("at least 40 people", 40, 40, N, False),
    ("at least forty people", 40, 40, N, False),
    ("more than 500 people", 500, 500, N, False),
    ("more than 250,000 people", 250000, 250000, N, False),
    ("over 30 soldiers", 30, 30, N, False),
    ("no fewer than 18 miners", 18, 18, N, False),
    ("40-plus people", 40, 40, N, False),
    ("upwards of 60 people", 60, 60, N, False),
    ("between 150 and 200", 150, 150, 200, False),
    ("between 150 and 200 people", 150, 150, 200, False),
    ("500 to 700 civilians", 500, 500, 700, False),
    ("15-20 people", 15, 15, 20, False),
    ("15–20 people", 15, 15, 20, False),
    ("fifteen to twenty people", 15, 15, 20, False),
    ("10 or 12 soldiers", 10, 10, 12, False),
    ("about 30 people", 30, 30, 30, True),
    ("nearly 30 people", 30, 30, 30, True),
    ("almost 50 civilians", 50, 50, 50, True),
    ("some 30 soldiers", 30, 30, 30, True),
    ("up to 30 people", 30, 30, 30, True),
    ("as many as 70 people", 70, 70, 70, True),
    ("around 100 fighters", 100, 100, 100, True),
    ("roughly 60 people", 60, 60, 60, True),
    ("an estimated 400 people", 400, 400, 400, True),
    ("an estimated 1.2 million people", 1200000, 1200000, 1200000, True),
    ("a dozen soldiers", 12, 12, 12, False),
    ("two dozen people", 24, 24, 24, False),
    ("half a dozen guards", 6, 6, 6, False),
    ("dozens of fighters", 12, 12, N, True),
    ("dozens", 12, 12, N, True),
    ("scores of people", 20, 20, N, True),
    ("hundreds", 100, 100, N, True),
    ("hundreds of civilians", 100, 100, N, True),
    ("thousands of Yazidis", 1000, 1000, N, True),
    ("tens of thousands of people", 10000, 10000, N, True),
    ("hundreds of thousands", 100000, 100000, N, True),
    ("civilians", 3, 3, N, True),
    ("many bystanders", 3, 3, N, True),
    ("several people", 3, 3, N, True),
    ("a number of soldiers", 3, 3, N, True),
    ("a few policemen", 3, 3, N, True),
    ("militants", 3, 3, N, True),
    ("No one", 0, 0, 0, False),
    ("nobody", 0, 0, 0, False),
    ("the seven dead assailants", 7, 7, 7, False),
    ("all 224 people on board", 224, 224, 224, False),
    ("a couple of guards", 2, 2, 2, False),
]


def test_table_is_large():
    assert len(TABLE) >= 60


@pytest.mark.parametrize("phrase, count, lo, hi, approx", TABLE, ids=[t[0] for t in TABLE])
def test_normalise(phrase, count, lo, hi, approx):
    assert normalize(phrase) == {"count": count, "min": lo, "max": hi, "approximate": approx}


@pytest.mark.parametrize("bad", ["", "   ", None, 42])
def test_empty_or_not_text_gives_null(bad):
    assert normalize(bad)["count"] is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.from_regex(r"(at least |about |between )?[0-9,]{1,9}( (and|to) [0-9]{1,6})?"
                                            r"( people| dozen| thousand)?", fullmatch=True))
def test_never_raises_and_keeps_order(phrase):
    out = normalize(phrase)
    if out["count"] is not None:
        assert out["min"] <= out["count"]
        assert out["max"] is None or out["count"] <= out["max"]
