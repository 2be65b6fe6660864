"""Model outputs and the typed dicts that ``tag()`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

import torch
from transformers.utils import ModelOutput


@dataclass
class EventTaggerOutput(ModelOutput):
    loss: torch.FloatTensor | None = None
    event_logits: torch.FloatTensor | None = None
    tag_logits: torch.FloatTensor | None = None


class EventScore(TypedDict):
    label: str
    score: float


class Actor(TypedDict):
    text: str
    start: int
    end: int
    role: Literal["agent", "target"]
    score: float


class Casualty(TypedDict):
    text: str
    start: int
    end: int
    kind: Literal["killed", "injured"]
    count: int | None
    min: int | None
    max: int | None
    approximate: bool
    score: float


class Location(TypedDict):
    text: str
    start: int
    end: int
    score: float


class SentenceResult(TypedDict):
    text: str
    start: int
    end: int
    events: list[EventScore]
    actors: list[Actor]
    casualties: list[Casualty]
    locations: list[Location]
    truncated: bool


class DocumentResult(TypedDict):
    text: str
    sentences: list[SentenceResult]
