"""Casualty phrases -> numbers, by ACLED's rules (domain.md §2, GUIDELINES §3.3).

``normalize("at least 40 people")`` gives ``{"count": 40, "min": 40, "max": None,
"approximate": False}``. ``count`` is the figure ACLED would record (the lowest
reported), ``min``/``max`` the reported range (``max`` None when open-ended) and
``approximate`` is True for hedged or vague figures. Number words are read with
text2num; only what it does not cover (dozens, "one", vague plurals) is handled here.
The function never raises and always keeps ``min <= count <= max``.
"""

from __future__ import annotations

import re
from typing import TypedDict

from text_to_num import alpha2digit, text2num


class Count(TypedDict):
    count: int | None
    min: int | None
    max: int | None
    approximate: bool


_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SCALE = {"million": 1_000_000, "millions": 1_000_000, "billion": 1_000_000_000}
# Fixed words (ACLED): the figure and whether the range is open above.
_VAGUE_WORDS = [
    (r"hundreds of thousands", 100_000),
    (r"tens of thousands", 10_000),
    (r"thousands", 1000),
    (r"hundreds", 100),
    (r"scores", 20),
    (r"dozens", 12),
    (r"tens", 10),
]
_OPEN = r"at least|more than|over|upwards of|in excess of|no fewer than|no less than|a minimum of"
_HEDGE = (
    r"about|around|nearly|almost|some|up to|as many as|roughly|approximately|an estimated|estimated|"
    r"close to|just under|just over|an approximate|perhaps|possibly|reportedly"
)
_ZERO = re.compile(r"^(no one|no-one|nobody|none|no (people|civilians|casualties|deaths|one|lives))\b")
_SINGULAR = re.compile(r"^(a|an|one|another|the|single|lone)\b(?!.*\b(of|dozen)\b)")
_DOZEN = re.compile(r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|half a|\d+)\s+dozen\b")


def _to_int(token: str) -> int | None:
    try:
        return int(round(float(token.replace(",", ""))))
    except ValueError:
        return None


def _dozens(match: re.Match) -> str:
    word = match.group(1)
    if word in ("a", "one"):
        n = 1.0
    elif word == "half a":
        n = 0.5
    elif word.isdigit():
        n = float(word)
    else:
        try:
            n = float(text2num(word, "en"))
        except ValueError:
            return match.group(0)
    return str(int(n * 12))


def normalize(phrase: str) -> Count:
    """Read a KILLED/INJURED phrase into ACLED's count and the reported range."""
    if not isinstance(phrase, str):
        return Count(count=None, min=None, max=None, approximate=False)
    text = " ".join(phrase.lower().replace("\u2013", "-").replace("\u2014", "-").split())
    if not text:
        return Count(count=None, min=None, max=None, approximate=False)
    if _ZERO.match(text):
        return Count(count=0, min=0, max=0, approximate=False)
    if re.match(r"^(one|1) of\b", text):
        return Count(count=1, min=1, max=1, approximate=False)
    if not re.search(r"\d", text):
        for pattern, value in _VAGUE_WORDS:
            if re.search(rf"\b{pattern}\b", text):
                return Count(count=value, min=value, max=None, approximate=True)
    text = _DOZEN.sub(_dozens, text)
    text = re.sub(rf"({_NUM})\s*(million|millions|billion)\b", lambda m: str(
        int(float(m.group(1).replace(",", "")) * _SCALE[m.group(2)])), text)
    try:
        text = alpha2digit(text, "en")
    except Exception:  # text2num is a compiled library; never let it break tagging
        pass
    # text2num leaves small isolated numbers as words ("two people").
    for word, digit in (("one", "1"), ("two", "2"), ("three", "3"), ("a couple of", "2")):
        text = re.sub(rf"\b{word}\b", digit, text)
    hedged = re.search(rf"\b({_HEDGE})\b", text) is not None
    numbers = [n for n in (_to_int(t) for t in re.findall(_NUM, text)) if n is not None]

    range_m = re.search(rf"({_NUM})\s*(?:-|to|and|or)\s*({_NUM})", text)
    if range_m:
        lo, hi = sorted((_to_int(range_m.group(1)) or 0, _to_int(range_m.group(2)) or 0))
        return Count(count=lo, min=lo, max=hi, approximate=hedged)
    if numbers:
        n = numbers[0]
        if re.search(rf"\b({_OPEN})\b", text) or re.search(rf"{_NUM}\s*(?:\+|-?plus\b|or more\b)", text):
            return Count(count=n, min=n, max=None, approximate=hedged)
        return Count(count=n, min=n, max=n, approximate=hedged)
    if _SINGULAR.match(text) and not re.search(r"\b(several|many|few|number|dozens)\b", text):
        return Count(count=1, min=1, max=1, approximate=False)
    # A plural with no number ("civilians", "several people", "many"): ACLED's 3.
    return Count(count=3, min=3, max=None, approximate=True)
