"""The benchmark suite's own code: baselines answer in tag()'s shape, the README table matches the results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from baselines import KeywordCoder, TfidfEventBaseline  # noqa: E402

from eventnlp.data import load_records, read_splits, split_records  # noqa: E402
from eventnlp.evaluation import score_predictions  # noqa: E402
from eventnlp.labels import EVENT_LABELS, SPAN_LABELS  # noqa: E402

SENTENCES = [
    "Gunmen killed 11 villagers and wounded at least 20 in an overnight raid on Kukawa.",
    "France and Russia staged air strikes on Islamic State targets in northern Syria on Tuesday.",
    "Police fired tear gas at protesters in Nairobi.",
    "The weather was fine.",
]


def _check_shape(results, texts):
    assert len(results) == len(texts)
    for text, res in zip(texts, results):
        assert res["text"] == text and res["start"] == 0 and res["end"] == len(text)
        for key in ("actors", "casualties", "locations"):
            for span in res[key]:
                assert text[span["start"]:span["end"]] == span["text"], (key, span)


def test_keyword_coder_codes_events_casualties_and_places():
    results = KeywordCoder().predict_sentences(SENTENCES)
    _check_shape(results, SENTENCES)
    first = results[0]
    assert "ATTACK_ON_CIVILIANS" in [e["label"] for e in first["events"]]
    assert {(c["kind"], c["count"]) for c in first["casualties"]} >= {("killed", 11), ("injured", 20)}
    assert "AIRSTRIKE" in [e["label"] for e in results[1]["events"]]
    assert "CHEMICAL_ATTACK" not in [e["label"] for e in results[2]["events"]]  # tear gas is a hard negative
    assert results[3]["events"] == [] and results[3]["actors"] == []


def test_tfidf_baseline_fits_and_is_scored_by_the_shared_metric_code():
    records = load_records(ROOT / "data" / "annotations")
    parts = split_records(records, read_splits(ROOT / "data" / "annotations"))
    model = TfidfEventBaseline().fit(parts["train"][:600], parts["dev"][:100])
    test = parts["test"]
    preds = model.predict_sentences([r["text"] for r in test])
    _check_shape(preds, [r["text"] for r in test])
    scores = score_predictions(test, preds, EVENT_LABELS, SPAN_LABELS)
    assert 0.0 < scores["event_micro_f1"] <= 1.0 and scores["span_f1"] == 0.0  # events only


def test_readme_bench_section_matches_the_results_files():
    if not (ROOT / "benchmarks" / "results" / "quality.json").exists():
        pytest.skip("no benchmark results committed yet")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "readme_table.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
