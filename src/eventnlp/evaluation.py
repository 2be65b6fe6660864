"""Scores on annotated sentences, through the project's own ``evaluate`` modules.

Metrics are loaded by local path from ``eventnlp/metrics/`` (nothing from the Hub).
``evaluate_records`` runs the full pipeline (the same code as ``tag()``) on gold
sentences; ``trainer_metrics`` gives flat floats from logits during training.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .casualties import normalize
from .labels import CASUALTY_LABELS

METRICS_DIR = Path(__file__).parent / "metrics"
_SPAN_KEYS = {"actors": None, "casualties": None, "locations": "LOCATION"}
_ROLE_LABEL = {"agent": "AGENT", "target": "TARGET"}
_KIND_LABEL = {"killed": "KILLED", "injured": "INJURED"}


@cache
def load_metric(name: str):
    import evaluate

    return evaluate.load(str(METRICS_DIR / name))


def predicted_spans(sentence: dict[str, Any]) -> list[dict[str, Any]]:
    """The spans of one ``tag()`` sentence result as ``{label, start, end, count}`` dicts."""
    out = []
    for a in sentence["actors"]:
        out.append({"label": _ROLE_LABEL[a["role"]], "start": a["start"], "end": a["end"]})
    for c in sentence["casualties"]:
        out.append({"label": _KIND_LABEL[c["kind"]], "start": c["start"], "end": c["end"], "count": c["count"]})
    for loc in sentence["locations"]:
        out.append({"label": "LOCATION", "start": loc["start"], "end": loc["end"]})
    return out


def _keys(spans) -> list[str]:
    return [f"{s['label']} {s['start']} {s['end']}" for s in spans]


def score_predictions(gold: list[dict], predicted: list[dict], event_labels, span_labels) -> dict[str, Any]:
    """Compare ``tag()`` sentence results with gold records of the same sentences."""
    ev = load_metric("event_f1").compute(
        predictions=[[e["label"] for e in p["events"]] for p in predicted],
        references=[g["events"] for g in gold],
        labels=list(event_labels),
    )
    pred_spans = [predicted_spans(p) for p in predicted]
    sp = load_metric("span_f1").compute(
        predictions=[_keys(s) for s in pred_spans],
        references=[_keys(g["spans"]) for g in gold],
        labels=list(span_labels),
    )
    counts_pred, counts_gold, norm_hits, n_cas = [], [], 0, 0
    for g, ps in zip(gold, pred_spans):
        for span in g["spans"]:
            if span["label"] not in CASUALTY_LABELS:
                continue
            n_cas += 1
            norm_hits += normalize(g["text"][span["start"]:span["end"]])["count"] == span["count"]
            match = [p for p in ps if p["label"] == span["label"] and p["start"] < span["end"]
                     and span["start"] < p["end"]]
            counts_gold.append(span["count"])
            counts_pred.append(match[0]["count"] if match and match[0]["count"] is not None else -1)
    cas = load_metric("casualty_accuracy").compute(predictions=counts_pred, references=counts_gold)
    return {
        "n_sentences": len(gold),
        "event_micro_f1": ev["micro_f1"],
        "event_macro_f1": ev["macro_f1"],
        "event_micro_precision": ev["micro_precision"],
        "event_micro_recall": ev["micro_recall"],
        "span_f1": sp["f1"],
        "span_precision": sp["precision"],
        "span_recall": sp["recall"],
        "casualty_count_accuracy": cas["accuracy"],
        "casualty_normaliser_accuracy": norm_hits / n_cas if n_cas else 0.0,
        "n_casualty_spans": n_cas,
        "events_per_label": ev["per_label"],
        "spans_per_label": sp["per_label"],
    }


def evaluate_records(pipeline, records: list[dict], batch_size: int = 64,
                     threshold: float | None = None) -> dict[str, Any]:
    """Run the pipeline on gold sentences (each on its own) and score it."""
    predicted = pipeline.predict_sentences([r["text"] for r in records], batch_size, threshold)
    cfg = pipeline.config
    return score_predictions(records, predicted, cfg.event_labels, cfg.span_labels)


def tune_thresholds(probs: np.ndarray, gold: np.ndarray, labels: list[str],
                    default: float = 0.5) -> dict[str, float]:
    """Per label, the threshold in 0.05..0.95 that maximises F1 on dev (ties: nearest 0.5).

    A label with no positive dev sentence keeps ``default``.
    """
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    out = {"default": default}
    for j, label in enumerate(labels):
        if gold[:, j].sum() == 0:
            continue
        best = max(grid, key=lambda t: (_f1(probs[:, j] >= t, gold[:, j] > 0.5), -abs(t - 0.5)))
        out[label] = float(best)
    return out


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    fp = float((pred & ~gold).sum())
    fn = float((~pred & gold).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def trainer_metrics(eval_pred, event_labels: list[str], tags: list[str]) -> dict[str, float]:
    """``compute_metrics`` for the Trainer: flat floats from logits (event F1 at 0.5, span F1)."""
    (event_logits, tag_logits), (event_gold, tag_gold) = eval_pred.predictions, eval_pred.label_ids
    ev_pred = 1 / (1 + np.exp(-event_logits)) >= 0.5
    events = load_metric("event_f1").compute(
        predictions=[[event_labels[j] for j in np.flatnonzero(row)] for row in ev_pred],
        references=[[event_labels[j] for j in np.flatnonzero(row > 0.5)] for row in event_gold],
        labels=event_labels,
    )
    tag_pred = tag_logits.argmax(-1)
    pred_spans, gold_spans = [], []
    for p_row, g_row in zip(tag_pred, tag_gold):
        keep = g_row != -100  # first sub-words only
        pred_spans.append(_bio_spans([tags[t] for t in p_row[keep]]))
        gold_spans.append(_bio_spans([tags[t] for t in g_row[keep]]))
    spans = load_metric("span_f1").compute(predictions=pred_spans, references=gold_spans)
    return {
        "event_micro_f1": events["micro_f1"],
        "event_macro_f1": events["macro_f1"],
        "span_f1": spans["f1"],
        "combined": (events["micro_f1"] + spans["f1"]) / 2,
    }


def _bio_spans(tags: list[str]) -> list[str]:
    """Word-index spans "LABEL i j" from a per-word argmax BIO sequence (lenient: a stray I-X opens a span).

    Only for the dev score that picks the best checkpoint; tag() and the final dev/test scores
    read spans with the constrained decoder in ``decoding``.
    """
    out, cur = [], None
    for i, tag in enumerate(tags + ["O"]):
        starts_new = tag != "O" and (cur is None or tag.startswith("B-") or tag[2:] != cur[0])
        if cur and (tag == "O" or starts_new):
            out.append(f"{cur[0]} {cur[1]} {i}")
            cur = None
        if starts_new:
            cur = [tag[2:], i]
    return out
