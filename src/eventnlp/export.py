"""Output formats for tagged documents: JSONL, one CSV row per sentence, ACLED rows.

ACLED rows follow ACLED's column names, one row per detected event of a sentence:
event_type and sub_event_type from the mapping in ``labels.ACLED_MAPPING``, actor1 /
actor2 from the agents and targets, location, fatalities (the largest killed count
of the sentence, 0 when none is reported, as ACLED records it), notes = the sentence.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .labels import ACLED_MAPPING

CSV_COLUMNS = ["id", "sentence_index", "start", "end", "sentence", "events", "agents", "targets",
               "killed", "injured", "locations"]
ACLED_COLUMNS = ["event_id", "source", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
                 "location", "fatalities", "notes", "eventnlp_label", "eventnlp_score"]
FORMATS = ("jsonl", "csv", "acled")


def _join(items: list[str]) -> str:
    return "; ".join(dict.fromkeys(items))


def csv_rows(doc_id: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for i, s in enumerate(result["sentences"]):
        cas = {k: [c for c in s["casualties"] if c["kind"] == k] for k in ("killed", "injured")}
        rows.append({
            "id": doc_id, "sentence_index": i, "start": s["start"], "end": s["end"], "sentence": s["text"],
            "events": _join([e["label"] for e in s["events"]]),
            "agents": _join([a["text"] for a in s["actors"] if a["role"] == "agent"]),
            "targets": _join([a["text"] for a in s["actors"] if a["role"] == "target"]),
            "killed": sum(c["count"] or 0 for c in cas["killed"]) if cas["killed"] else "",
            "injured": sum(c["count"] or 0 for c in cas["injured"]) if cas["injured"] else "",
            "locations": _join([loc["text"] for loc in s["locations"]]),
        })
    return rows


def acled_rows(doc_id: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for i, s in enumerate(result["sentences"]):
        agents = [a["text"] for a in s["actors"] if a["role"] == "agent"]
        targets = [a["text"] for a in s["actors"] if a["role"] == "target"]
        killed = [c["count"] for c in s["casualties"] if c["kind"] == "killed" and c["count"] is not None]
        for e in s["events"]:
            event_type, sub_type = ACLED_MAPPING[e["label"]]
            rows.append({
                "event_id": f"{doc_id}:{i}:{e['label']}", "source": doc_id,
                "event_type": event_type, "sub_event_type": sub_type,
                "actor1": agents[0] if agents else "", "assoc_actor_1": _join(agents[1:]),
                "actor2": _join(targets), "location": _join([loc["text"] for loc in s["locations"]]),
                "fatalities": max(killed) if killed else 0, "notes": s["text"],
                "eventnlp_label": e["label"], "eventnlp_score": e["score"],
            })
    return rows


def header(fmt: str) -> str:
    if fmt == "jsonl":
        return ""
    return _csv_text([], CSV_COLUMNS if fmt == "csv" else ACLED_COLUMNS, header=True)


def render(fmt: str, doc_id: str, result: dict[str, Any]) -> str:
    """One document's output as text, written in a single call so a kill never splits it."""
    if fmt == "jsonl":
        return json.dumps({"id": doc_id, **result}, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv_text(csv_rows(doc_id, result), CSV_COLUMNS)
    if fmt == "acled":
        return _csv_text(acled_rows(doc_id, result), ACLED_COLUMNS)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _csv_text(rows: list[dict], columns: list[str], header: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
