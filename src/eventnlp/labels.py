"""The label set: the single source of truth for event types and span labels.

Everything else (BIO tags, id2label maps, validation, the model heads) is derived
from the tuples below. The set is fixed by ``shared/design/domain.md`` section 1.
"""

from __future__ import annotations

EVENT_LABELS: tuple[str, ...] = (
    "ARMED_CLASH",
    "TERRITORY_CHANGE",
    "AIRSTRIKE",
    "SHELLING",
    "BOMBING",
    "CHEMICAL_ATTACK",
    "ATTACK_ON_CIVILIANS",
    "ABDUCTION",
    "ARREST",
    "PROTEST",
    "DEPLOYMENT",
    "DEFECTION",
    "TALKS",
    "AGREEMENT",
    "VERBAL_CONFLICT",
    "SUPPORT",
)

SPAN_LABELS: tuple[str, ...] = ("AGENT", "TARGET", "KILLED", "INJURED", "LOCATION")

CASUALTY_LABELS: tuple[str, ...] = ("KILLED", "INJURED")

OUTSIDE = "O"


def bio_tags(span_labels: tuple[str, ...] | list[str] = SPAN_LABELS) -> list[str]:
    """``["O", "B-AGENT", "I-AGENT", ...]`` derived from the span labels."""
    tags = [OUTSIDE]
    for label in span_labels:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


BIO_TAGS: tuple[str, ...] = tuple(bio_tags())

# How each event type lines up with ACLED (event_type, sub_event_type); see domain.md.
ACLED_MAPPING: dict[str, tuple[str, str]] = {
    "ARMED_CLASH": ("Battles", "Armed clash"),
    "TERRITORY_CHANGE": ("Battles", "Non-state actor overtakes territory"),
    "AIRSTRIKE": ("Explosions/Remote violence", "Air/drone strike"),
    "SHELLING": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "BOMBING": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "CHEMICAL_ATTACK": ("Explosions/Remote violence", "Chemical weapon"),
    "ATTACK_ON_CIVILIANS": ("Violence against civilians", "Attack"),
    "ABDUCTION": ("Violence against civilians", "Abduction/forced disappearance"),
    "ARREST": ("Strategic developments", "Arrests"),
    "PROTEST": ("Protests", "Peaceful protest"),
    "DEPLOYMENT": ("Strategic developments", "Headquarters or base established"),
    "DEFECTION": ("Strategic developments", "Change to group/activity"),
    "TALKS": ("Strategic developments", "Agreement"),
    "AGREEMENT": ("Strategic developments", "Agreement"),
    "VERBAL_CONFLICT": ("", ""),  # ACLED does not code rhetoric
    "SUPPORT": ("Strategic developments", "Other"),
}

PLOVER_MAPPING: dict[str, str] = {
    "ARMED_CLASH": "ASSAULT",
    "TERRITORY_CHANGE": "ASSAULT",
    "AIRSTRIKE": "ASSAULT",
    "SHELLING": "ASSAULT",
    "BOMBING": "ASSAULT",
    "CHEMICAL_ATTACK": "ASSAULT",
    "ATTACK_ON_CIVILIANS": "ASSAULT",
    "ABDUCTION": "ASSAULT",
    "ARREST": "COERCE",
    "PROTEST": "PROTEST",
    "DEPLOYMENT": "MOBILIZE",
    "DEFECTION": "",
    "TALKS": "CONSULT",
    "AGREEMENT": "AGREE",
    "VERBAL_CONFLICT": "THREATEN",
    "SUPPORT": "AID",
}


def check_event_label(label: str) -> str:
    if label not in EVENT_LABELS:
        raise ValueError(
            f"unknown event type {label!r}; the event types are: {', '.join(EVENT_LABELS)}"
        )
    return label


def check_span_label(label: str) -> str:
    if label not in SPAN_LABELS:
        raise ValueError(
            f"unknown span label {label!r}; the span labels are: {', '.join(SPAN_LABELS)}"
        )
    return label
