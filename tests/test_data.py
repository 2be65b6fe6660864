"""The annotation format: validator (every error it reports), anchoring, splits, the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventnlp.cli import main
from eventnlp.data import (
    AnnotationError,
    anchor,
    check_record,
    coverage,
    load_corpus,
    load_records,
    read_splits,
    split_records,
    validate,
)
from eventnlp.labels import BIO_TAGS, EVENT_LABELS, SPAN_LABELS

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "data" / "annotations"


def good_record(**over):
    rec = {
        "id": "x-1", "doc_id": "x", "source": "authored",
        "text": "Gunmen killed seven civilians in Kukawa.",
        "events": ["ATTACK_ON_CIVILIANS"],
        "spans": [
            {"start": 0, "end": 6, "label": "AGENT"},
            {"start": 14, "end": 29, "label": "KILLED", "count": 7, "min": 7, "max": 7},
            {"start": 33, "end": 39, "label": "LOCATION"},
        ],
    }
    rec.update(over)
    return rec


def test_label_set_is_fixed_and_bio_is_derived():
    assert len(EVENT_LABELS) == 16 and SPAN_LABELS == ("AGENT", "TARGET", "KILLED", "INJURED", "LOCATION")
    assert BIO_TAGS[0] == "O" and len(BIO_TAGS) == 1 + 2 * len(SPAN_LABELS)
    assert all(f"B-{s}" in BIO_TAGS and f"I-{s}" in BIO_TAGS for s in SPAN_LABELS)


def test_good_record_passes():
    assert check_record(good_record()) == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"events": ["AIR_STRIKE"]}, "unknown event type 'AIR_STRIKE'"),
        ({"events": ["BOMBING", "BOMBING"]}, "listed twice"),
        ({"source": "web"}, "source 'web' is not one of"),
        ({"text": " Gunmen killed seven civilians in Kukawa."}, "leading or trailing whitespace"),
        ({"id": ""}, "'id' must be a non-empty string"),
        ({"spans": [{"start": 0, "end": 99, "label": "AGENT"}]}, "outside the text"),
        ({"spans": [{"start": 5, "end": 5, "label": "AGENT"}]}, "outside the text"),
        ({"spans": [{"start": 0, "end": 7, "label": "AGENT"}]}, "leading or trailing whitespace"),
        ({"spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}, "unknown span label 'ACTOR'"),
        ({"spans": [{"start": 0, "end": 6, "label": "AGENT", "text": "Gunman"}]}, "span says 'Gunman'"),
        ({"spans": [{"start": 14, "end": 29, "label": "KILLED"}]}, "needs 'count'"),
        ({"spans": [{"start": 14, "end": 29, "label": "KILLED", "count": 7, "min": 8, "max": 9}]}, "min <= count"),
        ({"spans": [{"start": 14, "end": 29, "label": "KILLED", "count": 9, "min": 7, "max": 8}]}, "min <= count"),
        ({"spans": [{"start": 14, "end": 29, "label": "KILLED", "count": "7", "min": 7, "max": 7}]}, "integers"),
        ({"spans": [{"start": 0, "end": 6, "label": "AGENT", "count": 1}]}, "must not carry count"),
        ({"spans": [{"start": 0, "end": 6, "label": "AGENT"}, {"start": 0, "end": 13, "label": "TARGET"}]},
         "spans overlap"),
        ({"spans": [{"start": "0", "end": 6, "label": "AGENT"}]}, "must be integers"),
        ({"spans": [{"end": 6, "label": "AGENT"}]}, "missing 'start'"),
        ({"spans": "AGENT"}, "'spans' must be a list"),
        ({"events": "BOMBING"}, "'events' must be a list"),
    ],
)
def test_each_record_error_is_reported(change, message):
    problems = check_record(good_record(**change))
    assert any(message in p for p in problems), problems


def test_missing_keys_and_non_objects():
    rec = good_record()
    del rec["events"]
    assert check_record(rec) == ["missing key(s): events"]
    assert "JSON object" in check_record([1, 2])[0]


def test_file_errors_name_file_and_line(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps(good_record()) + "\n" + '{"id": "x-2", "text": \n' + json.dumps(good_record()) + "\n")
    report = validate(tmp_path)
    assert len(report.records) == 1
    assert any(e.startswith(f"{f}:2: invalid JSON") for e in report.errors)
    assert any(e.startswith(f"{f}:3: duplicate id 'x-1'") for e in report.errors)
    (tmp_path / "b.jsonl").write_bytes(b"\xff\xfe not utf8\n")
    assert any("not valid UTF-8" in e for e in validate(tmp_path).errors)
    with pytest.raises(AnnotationError, match="problem"):
        load_records(tmp_path)
    with pytest.raises(FileNotFoundError, match="no annotation file"):
        validate(tmp_path / "missing")


def test_cli_validate_exit_codes(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text(json.dumps(good_record()) + "\n")
    assert main(["validate", str(tmp_path)]) == 0
    assert "OK: 1 records" in capsys.readouterr().out
    (tmp_path / "b.jsonl").write_text(json.dumps(good_record(id="y", events=["NOPE"])) + "\n")
    assert main(["validate", str(tmp_path)]) == 1
    assert "unknown event type 'NOPE'" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "nothing")]) == 2


def test_anchor_finds_word_boundaries_and_nth():
    draft = {"id": "d", "doc_id": "d", "source": "authored", "events": ["ARMED_CLASH"],
             "text": "IS fighters clashed with ISIS rivals and IS lost.",
             "spans": [{"text": "IS", "label": "AGENT"}, {"text": "IS", "label": "AGENT", "nth": 2}]}
    rec = anchor(draft)
    assert [(s["start"], s["end"]) for s in rec["spans"]] == [(0, 2), (41, 43)]
    assert all(rec["text"][s["start"]:s["end"]] == s["text"] for s in rec["spans"])
    with pytest.raises(AnnotationError, match="not in the text"):
        anchor({**draft, "spans": [{"text": "Kobane", "label": "LOCATION"}]})


def test_cli_anchor_round_trip(tmp_path):
    draft = tmp_path / "draft.jsonl"
    draft.write_text(json.dumps({"id": "d", "doc_id": "d", "source": "authored", "text": "Seven died.",
                                 "events": [], "spans": [{"text": "Seven", "label": "KILLED", "count": 7,
                                                          "min": 7, "max": 7}]}) + "\n")
    assert main(["anchor", str(draft), str(tmp_path / "out.jsonl")]) == 0
    assert validate(tmp_path / "out.jsonl").ok


def test_splits_are_deterministic_and_test_is_whole_seed_stories():
    records = load_records(ANNOTATIONS)
    splits = read_splits(ANNOTATIONS)
    a, b = split_records(records, splits), split_records(list(reversed(records)), splits)
    assert sorted(r["id"] for r in a["dev"]) == sorted(r["id"] for r in b["dev"])
    test = a["test"]
    assert all(r["source"] == "seed" for r in test) and len(test) >= 80
    story_ids = {r["doc_id"] for r in test}
    assert story_ids == set(splits["test"])
    whole = [r for r in records if r["doc_id"] in story_ids]
    assert len(whole) == len(test)  # every sentence of a test story is in test
    train_dev_docs = {r["doc_id"] for r in a["train"] + a["dev"]}
    assert not story_ids & train_dev_docs


def test_load_corpus_gives_datasetdict():
    ds = load_corpus(ANNOTATIONS)
    assert set(ds) == {"train", "dev", "test"}
    row = ds["test"][0]
    assert set(row) >= {"id", "doc_id", "source", "text", "events", "spans"}
    assert len(ds["train"]) > len(ds["dev"]) > 0


def test_real_corpus_is_valid_and_covers_every_label():
    report = validate(ANNOTATIONS)
    assert report.ok, report.errors[:10]
    table = coverage(report.records)
    authored, seed = table["authored"], table["seed"]
    assert seed["sentences"] >= 225  # every sentence of the three seed articles
    assert authored["sentences"] >= 2000
    for label in EVENT_LABELS:
        assert authored.get(f"event:{label}", 0) >= 80, label
    assert authored["no_event"] >= 400
    assert authored["span:KILLED"] >= 300 and authored["span:INJURED"] >= 150


def test_every_seed_sentence_is_annotated():
    from training_seed import seed_sentences

    have = {r["text"] for r in load_records(ANNOTATIONS) if r["source"] == "seed"}
    assert seed_sentences() <= have


def test_readme_corpus_table_matches_the_data():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "training" / "corpus_table.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
