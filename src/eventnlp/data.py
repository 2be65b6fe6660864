"""The annotated corpus: its record format, validation, anchoring and splits.

A record is one sentence, one JSON object per line::

    {"id": "...", "doc_id": "...", "source": "seed" | "authored" | "user",
     "text": "...", "events": ["AIRSTRIKE", ...],
     "spans": [{"start": 0, "end": 7, "label": "AGENT", "text": "..."}, ...]}

``start``/``end`` are character offsets into ``text``; ``text`` on a span is optional
and, when present, must equal ``text[start:end]``. KILLED and INJURED spans carry the
gold ``count`` (ACLED rule: the lowest reported figure) and the reported range ``min``
and ``max`` (``max`` is ``null`` when open-ended, as in "more than 500").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .labels import CASUALTY_LABELS, EVENT_LABELS, SPAN_LABELS

SOURCES = ("seed", "authored", "user")
REQUIRED_KEYS = ("id", "doc_id", "source", "text", "events", "spans")
SPLITS_FILE = "splits.json"


class AnnotationError(ValueError):
    """Raised when annotation files are not valid; the message lists every problem."""


@dataclass
class ValidationReport:
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def annotation_files(path: str | Path) -> list[Path]:
    """The ``*.jsonl`` files at ``path`` (a file or a directory, searched recursively)."""
    path = Path(path)
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*.jsonl") if p.is_file())
    raise FileNotFoundError(f"no annotation file or directory at {str(path)!r}")


def check_record(rec: Any) -> list[str]:
    """Every problem with one record, as short messages (empty when it is valid)."""
    if not isinstance(rec, dict):
        return [f"a record must be a JSON object, got {type(rec).__name__}"]
    missing = [k for k in REQUIRED_KEYS if k not in rec]
    if missing:
        return [f"missing key(s): {', '.join(missing)}"]
    problems: list[str] = []
    for key in ("id", "doc_id", "text"):
        if not isinstance(rec[key], str) or not rec[key]:
            problems.append(f"{key!r} must be a non-empty string")
    if rec["source"] not in SOURCES:
        problems.append(f"source {rec['source']!r} is not one of {', '.join(SOURCES)}")
    if problems:
        return problems
    text = rec["text"]
    if text != text.strip():
        problems.append("text has leading or trailing whitespace")
    events = rec["events"]
    if not isinstance(events, list):
        problems.append("'events' must be a list of event types")
    else:
        for label in events:
            if label not in EVENT_LABELS:
                problems.append(f"unknown event type {label!r}")
        if len(set(map(str, events))) != len(events):
            problems.append("an event type is listed twice")
    spans = rec["spans"]
    if not isinstance(spans, list):
        return problems + ["'spans' must be a list"]
    ok_spans = []
    for i, span in enumerate(spans):
        problems += [f"span {i}: {p}" for p in _check_span(span, text)]
        if isinstance(span, dict) and not _check_span(span, text):
            ok_spans.append(span)
    ok_spans.sort(key=lambda s: (s["start"], s["end"]))
    for a, b in zip(ok_spans, ok_spans[1:]):
        if b["start"] < a["end"]:
            problems.append(
                f"spans overlap: {a['label']} {text[a['start']:a['end']]!r} ({a['start']}-{a['end']}) "
                f"and {b['label']} {text[b['start']:b['end']]!r} ({b['start']}-{b['end']})"
            )
    return problems


def _check_span(span: Any, text: str) -> list[str]:
    if not isinstance(span, dict):
        return ["must be an object with start, end and label"]
    for key in ("start", "end", "label"):
        if key not in span:
            return [f"missing {key!r}"]
    start, end, label = span["start"], span["end"], span["label"]
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        return ["start and end must be integers"]
    if not 0 <= start < end <= len(text):
        return [f"offsets {start}-{end} are outside the text (length {len(text)}) or empty"]
    problems = []
    covered = text[start:end]
    if covered != covered.strip():
        problems.append(f"span text {covered!r} has leading or trailing whitespace")
    if "text" in span and span["text"] != covered:
        problems.append(f"span says {span['text']!r} but text[{start}:{end}] is {covered!r}")
    if label not in SPAN_LABELS:
        problems.append(f"unknown span label {label!r}")
    elif label in CASUALTY_LABELS:
        problems += _check_count(span)
    elif any(k in span for k in ("count", "min", "max")):
        problems.append(f"{label} span must not carry count/min/max")
    return problems


def _check_count(span: dict[str, Any]) -> list[str]:
    for key in ("count", "min", "max"):
        if key not in span:
            return [f"{span['label']} span needs {key!r} (see GUIDELINES.md, 'Counting')"]
    count, lo, hi = span["count"], span["min"], span["max"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (count, lo)):
        return ["count and min must be integers"]
    if hi is not None and (not isinstance(hi, int) or isinstance(hi, bool)):
        return ["max must be an integer or null (open-ended)"]
    if not (0 <= lo <= count and (hi is None or count <= hi)):
        return [f"need 0 <= min <= count <= max, got min={lo} count={count} max={hi}"]
    return []


def read_jsonl(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """Yield ``(line_number, object, error)`` for each non-blank line of ``path``."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = list(fh)
    except UnicodeDecodeError as exc:
        yield 0, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
        return
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield n, None, f"invalid JSON: {exc.msg} (column {exc.colno})"


def validate(path: str | Path) -> ValidationReport:
    """Check every record under ``path``; never raises for bad content."""
    report = ValidationReport()
    seen: dict[str, str] = {}
    for file in annotation_files(path):
        report.files.append(file)
        for n, rec, err in read_jsonl(file):
            where = f"{file}:{n}"
            if err:
                report.errors.append(f"{where}: {err}")
                continue
            problems = check_record(rec)
            if not problems and rec["id"] in seen:
                problems = [f"duplicate id {rec['id']!r} (first at {seen[rec['id']]})"]
            if problems:
                report.errors += [f"{where}: {p}" for p in problems]
            else:
                seen[rec["id"]] = where
                report.records.append(rec)
    return report


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """All records under ``path``; raises :class:`AnnotationError` naming every problem."""
    report = validate(path)
    if not report.files:
        raise AnnotationError(f"no *.jsonl annotation files under {str(path)!r}")
    if report.errors:
        shown = "\n  ".join(report.errors[:20])
        more = f"\n  ... and {len(report.errors) - 20} more" if len(report.errors) > 20 else ""
        raise AnnotationError(
            f"{len(report.errors)} problem(s) in the annotations; run `eventnlp validate {path}`:"
            f"\n  {shown}{more}"
        )
    return report.records


def coverage(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per-source counts: sentences, sentences without event, each event type and span label."""
    table: dict[str, Counter] = defaultdict(Counter)
    for rec in records:
        for src in (rec["source"], "all"):
            row = table[src]
            row["sentences"] += 1
            row["no_event"] += not rec["events"]
            row.update(f"event:{e}" for e in rec["events"])
            row.update(f"span:{s['label']}" for s in rec["spans"])
    return {src: dict(row) for src, row in table.items()}


# ---------------------------------------------------------------- anchoring


def anchor(draft: dict[str, Any]) -> dict[str, Any]:
    """Turn a draft whose spans are given as strings into a record with offsets.

    Each draft span is ``{"text": "seven civilians", "label": "KILLED", ...}`` with an
    optional 1-based ``"nth"`` occurrence. Without ``nth`` the first occurrence at word
    boundaries that no earlier span of the draft has taken is used. Other keys of the
    span (count, min, max) are kept.
    """
    text = draft["text"]
    taken: list[tuple[int, int]] = []
    spans = []
    for span in draft.get("spans", []):
        needle = span["text"]
        hits = [
            m.start()
            for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text)
        ] or [m.start() for m in re.finditer(re.escape(needle), text)]
        if not hits:
            raise AnnotationError(f"{draft.get('id')}: span {needle!r} is not in the text")
        if "nth" in span:
            if not 1 <= span["nth"] <= len(hits):
                raise AnnotationError(f"{draft.get('id')}: {needle!r} has no occurrence {span['nth']}")
            start = hits[span["nth"] - 1]
        else:
            free = [h for h in hits if not any(h < e and s < h + len(needle) for s, e in taken)]
            start = (free or hits)[0]
        taken.append((start, start + len(needle)))
        out = {"start": start, "end": start + len(needle), "label": span["label"], "text": needle}
        out.update({k: v for k, v in span.items() if k in ("count", "min", "max")})
        spans.append(out)
    spans.sort(key=lambda s: s["start"])
    rec = {k: draft[k] for k in ("id", "doc_id", "source", "text") if k in draft}
    rec["events"] = list(draft.get("events", []))
    rec["spans"] = spans
    return rec


# ---------------------------------------------------------------- splits


def _hash_fraction(key: str) -> float:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def assign_split(rec: dict[str, Any], splits: dict[str, Any]) -> str:
    """``test`` / ``dev`` / ``train`` for one record, deterministically.

    Seed stories are assigned whole by ``doc_id`` from ``splits.json``; every other
    record goes to ``dev`` with probability ``dev_fraction`` by a hash of its id.
    """
    if rec["doc_id"] in splits.get("test", []):
        return "test"
    if rec["doc_id"] in splits.get("dev", []):
        return "dev"
    if rec["source"] == "seed":
        return "train"
    return "dev" if _hash_fraction(rec["id"]) < splits.get("dev_fraction", 0.1) else "train"


def read_splits(path: str | Path) -> dict[str, Any]:
    file = Path(path) / SPLITS_FILE if Path(path).is_dir() else Path(path).parent / SPLITS_FILE
    if not file.exists():
        return {"test": [], "dev": [], "dev_fraction": 0.1}
    return json.loads(file.read_text(encoding="utf-8"))


def split_records(records: list[dict[str, Any]], splits: dict[str, Any]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    for rec in records:
        out[assign_split(rec, splits)].append(rec)
    return out


def load_corpus(path: str | Path = "data/annotations"):
    """The corpus as a ``datasets.DatasetDict`` with ``train``, ``dev`` and ``test``."""
    from datasets import Dataset, DatasetDict

    records = load_records(path)
    parts = split_records(records, read_splits(path))
    return DatasetDict(
        {name: Dataset.from_list([_flat(r) for r in recs], features=_features()) for name, recs in parts.items()}
    )


def _features():
    from datasets import Features, List, Value

    span = {
        "start": Value("int32"),
        "end": Value("int32"),
        "label": Value("string"),
        "count": Value("int64"),
        "min": Value("int64"),
        "max": Value("int64"),
    }
    return Features(
        {
            "id": Value("string"),
            "doc_id": Value("string"),
            "source": Value("string"),
            "text": Value("string"),
            "events": List(Value("string")),
            "spans": List(span),
        }
    )


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    spans = [
        {k: s.get(k) for k in ("start", "end", "label", "count", "min", "max")} for s in rec["spans"]
    ]
    return {**{k: rec[k] for k in REQUIRED_KEYS if k != "spans"}, "spans": spans}
