"""The sentence splitter on the seed articles' tricky sentences; offsets always index the input."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventnlp.splitting import split_sentences

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def sents(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_do_not_split():
    text = ("Another spokesman, Col. Steve Warren, told the Reuters news agency that some U.S. advisers were "
            "among the peshmerga ground forces. He gave no further details.")
    assert sents(text) == [text[:text.index(" He gave")], "He gave no further details."]


def test_dates_and_initials():
    text = "The downing of a Russian charter jet over Sinai on Oct. 31 was claimed. Gen. Lloyd J. Austin spoke."
    assert len(sents(text)) == 2


def test_quotes_stay_with_their_sentence():
    text = '"We are killing them," he said. "They keep coming." The envoy left.'
    assert sents(text) == ['"We are killing them," he said.', '"They keep coming."', "The envoy left."]


def test_headlines_and_captions_are_their_own_sentences():
    text = ("Kurdish Forces Battle to Retake Iraq's Sinjar Town\n\nKurdish Iraqi fighters launched an assault.\n"
            "Smoke rises over Kobani after an airstrike [REUTERS]\nIdriss Nassan, senior Kobani official")
    assert sents(text) == ["Kurdish Forces Battle to Retake Iraq's Sinjar Town",
                           "Kurdish Iraqi fighters launched an assault.",
                           "Smoke rises over Kobani after an airstrike [REUTERS]",
                           "Idriss Nassan, senior Kobani official"]


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.name)
def test_seed_articles_offsets(path):
    text = path.read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert spans and all(text[s:e] == text[s:e].strip() and text[s:e] for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())  # no text dropped


def test_seed_tricky_sentences():
    text = (RAW / "002_de87a26319523343.txt").read_text(encoding="utf-8")
    got = sents(text)
    assert "PARIS (Reuters) – France and Russia staged air strikes on Islamic State targets in northern Syria on " \
           "Tuesday, punishing the group for attacks in Paris and against a Russian airliner that together killed " \
           "353 people." in got or any(s.startswith("PARIS (Reuters)") and s.endswith("353 people.") for s in got)
    assert any(s.startswith("Another spokesman, Col. Steve Warren, told") for s in got)
    assert "MANHUNT" in got


def test_empty_and_whitespace():
    assert split_sentences("") == [] and split_sentences(" \n\t ") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_offsets_hold_on_random_text(text):
    spans = split_sentences(text)
    for s, e in spans:
        assert text[s:e] and text[s:e] == text[s:e].strip()
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_lines_without_an_inner_boundary_skip_pysbd_with_the_same_result():
    """The fast path (a line with no sentence-ending mark before its end is one sentence) agrees with pysbd."""
    import json

    from eventnlp.splitting import _LINE, _MAYBE_BOUNDARY, _segmenter

    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    for path in sorted((RAW.parent / "annotations").rglob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    checked = 0
    for text in texts:
        for m in _LINE.finditer(text):
            body = m.group().strip()
            if body and not _MAYBE_BOUNDARY.search(body, 0, len(body) - 1):
                assert [x.strip() for x in _segmenter().segment(m.group()) if x.strip()] == [body]
                assert sents(m.group()) == [body]
                checked += 1
    assert checked > 500
