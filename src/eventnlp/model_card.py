"""The model card (README.md of a model folder), generated from the training run.

YAML metadata (library_name, tags, base_model, metrics, model-index with the test
results, widget sentences from the real held-out split) plus label tables, per-label
test metrics, data sizes, hyperparameters and the dev log. Built offline.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

from huggingface_hub import EvalResult, ModelCard, ModelCardData

from . import __version__
from .labels import ACLED_MAPPING, EVENT_LABELS, SPAN_LABELS

TEMPLATE = Path(__file__).with_name("model_card_template.md")
TAGS = ["eventnlp", "text-classification", "token-classification", "event-extraction",
        "conflict", "acled", "generated_from_eventnlp_trainer"]


def _fmt(x: Any) -> str:
    return f"{x:.3f}" if isinstance(x, float) else ("–" if x is None else str(x))


def _widget_sentences(records: list[dict], n: int = 3) -> list[dict]:
    """Real held-out sentences for the Hub widget: each brings an event type not shown yet.

    Sentences with casualties come first, then those with more event types, then shorter ones.
    """
    ranked = sorted((r for r in records if r["events"]),
                    key=lambda r: (not any(s["label"] in ("KILLED", "INJURED") for s in r["spans"]),
                                   -len(r["events"]), len(r["text"])))
    chosen, seen = [], set()
    for rec in ranked:
        if len(chosen) < n and not set(rec["events"]) <= seen:
            chosen.append(rec)
            seen |= set(rec["events"])
    return chosen or records[:n]


def build_model_card(summary: dict[str, Any], parts: dict[str, list], model_id: str) -> ModelCard:
    cfg = summary["config"]
    base = cfg.get("base_model") or "sentence-transformers/all-MiniLM-L6-v2"
    test, dev = summary.get("test") or {}, summary.get("dev") or {}
    metric_names = [("event_micro_f1", "Event micro-F1"), ("event_macro_f1", "Event macro-F1"),
                    ("span_f1", "Span F1"), ("casualty_count_accuracy", "Casualty count accuracy")]
    eval_results = [
        EvalResult(task_type="token-classification", task_name="Conflict event extraction",
                   dataset_type="eventnlp-seed-test", dataset_name="eventnlp seed stories (test)",
                   dataset_split="test", metric_type=key, metric_name=name, metric_value=round(test[key], 4))
        for key, name in metric_names if key in test
    ]
    widget_src = _widget_sentences(parts.get("test", []))
    card_data = ModelCardData(
        language="en", license="apache-2.0", library_name="eventnlp", tags=TAGS, base_model=base,
        metrics=["f1", "precision", "recall", "accuracy"], pipeline_tag="token-classification",
        widget=[{"text": r["text"]} for r in widget_src], model_name=model_id,
        eval_results=eval_results or None,
    )
    train = parts.get("train", [])
    event_rows = []
    for label in EVENT_LABELS:
        ex = next((r["text"] for r in train if label in r["events"] and len(r["text"]) < 160), "")
        event_rows.append({"label": label, "acled": " / ".join(x for x in ACLED_MAPPING[label] if x) or "–",
                           "example": ex.replace("|", "/")})
    span_rows = []
    for label in SPAN_LABELS:
        seen: list[str] = []
        for r in train:
            for s in r["spans"]:
                t = r["text"][s["start"]:s["end"]]
                if s["label"] == label and t not in seen:
                    seen.append(t)
            if len(seen) >= 4:
                break
        span_rows.append({"label": label, "examples": ", ".join(f'"{t}"' for t in seen).replace("|", "/")})

    def per_label(key):
        rows = []
        for label, m in (test.get(key) or {}).items():
            if not m["support"] and not m.get("predicted"):  # neither in gold nor predicted: no score to give
                rows.append({"label": label, "p": "–", "r": "–", "f": "–", "n": 0})
                continue
            rows.append({"label": label, "p": _fmt(m["precision"]), "r": _fmt(m["recall"]),
                         "f": _fmt(m["f1"]), "n": m["support"]})
        return rows

    log = [{"epoch": _fmt(h.get("epoch")), "loss": _fmt(h.get("eval_loss")),
            "ev": _fmt(h.get("eval_event_micro_f1")), "sp": _fmt(h.get("eval_span_f1"))}
           for h in summary.get("log_history", []) if "eval_loss" in h]
    n_train = max(1, len(train))
    import torch
    import transformers

    versions = [("eventnlp", __version__), ("transformers", transformers.__version__),
                ("torch", torch.__version__), ("python", platform.python_version())]
    hyper = [(k, base if k == "base_model" else v) for k, v in cfg.items()
             if k not in ("data", "output_dir", "extra_args")]
    sizes = "; ".join(f"{split} " + " + ".join(f"{n:,} {src}" for src, n in sorted(by_src.items()))
                      for split, by_src in (summary.get("sizes") or {}).items())
    thresholds = ", ".join(f"{k} {v:g}" for k, v in (summary.get("thresholds") or {}).items())
    example = widget_src[0]["text"] if widget_src else "Gunmen killed 11 villagers in Kukawa on Sunday."
    return ModelCard.from_template(
        card_data, template_path=str(TEMPLATE), model_name=model_id, model_id=model_id, base_model=base,
        n_events=len(EVENT_LABELS), example=example, event_rows=event_rows, span_rows=span_rows,
        test_size=test.get("n_sentences", 0),
        headline=[{"name": name, "test": _fmt(test.get(key)), "dev": _fmt(dev.get(key))} for key, name in metric_names],
        event_metrics=per_label("events_per_label"), span_metrics=per_label("spans_per_label"),
        sizes=sizes, alignment=summary.get("alignment", {}), runtime=summary.get("train_runtime_s"),
        device=summary.get("device"), world_size=summary.get("world_size", 1),
        thresholds=thresholds, hyperparameters=hyper, log=log,
        authored_share=round(100 * sum(r["source"] == "authored" for r in train) / n_train),
        versions=versions,
    )


def write_model_card(folder: Path, summary: dict[str, Any], parts: dict[str, list],
                     model_id: str | None = None) -> Path:
    card = build_model_card(summary, parts, model_id or f"your-org/{Path(folder).name}")
    path = Path(folder) / "README.md"
    card.save(path)
    return path
