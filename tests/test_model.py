"""The model on a tiny random encoder: shapes, loss, save/load, config round trip, alignment."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from conftest import make_tiny_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventnlp import EventConfig, EventTagger, ModelLoadError
from eventnlp.alignment import encode, tags_for_spans, windows
from eventnlp.decoding import BIODecoder, allowed_transitions, best_path
from eventnlp.labels import BIO_TAGS, EVENT_LABELS


def test_forward_shapes_and_loss():
    model = make_tiny_model()
    ids = torch.randint(1000, 2000, (3, 11))
    out = model(input_ids=ids, attention_mask=torch.ones_like(ids))
    assert out.event_logits.shape == (3, len(EVENT_LABELS))
    assert out.tag_logits.shape == (3, 11, len(BIO_TAGS))
    assert out.loss is None
    tags = torch.full((3, 11), -100)
    tags[:, 1:5] = 0
    out = model(input_ids=ids, event_labels=torch.zeros(3, len(EVENT_LABELS)), tag_labels=tags)
    assert out.loss.ndim == 0 and out.loss > 0
    out.loss.backward()
    assert model.event_head.weight.grad is not None and model.tag_head.weight.grad is not None


def test_save_load_identical_outputs(tmp_path):
    model = make_tiny_model().eval()
    model.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").exists()
    assert not list(tmp_path.glob("*.bin")) and not list(tmp_path.glob("*.pkl"))
    loaded = EventTagger.from_pretrained(tmp_path).eval()
    ids = torch.randint(1000, 2000, (2, 9))
    with torch.no_grad():
        a, b = model(input_ids=ids), loaded(input_ids=ids)
    assert torch.equal(a.event_logits, b.event_logits) and torch.equal(a.tag_logits, b.tag_logits)


def test_labels_and_thresholds_round_trip_through_config_json(tmp_path):
    model = make_tiny_model(thresholds={"AIRSTRIKE": 0.35})
    model.save_pretrained(tmp_path)
    raw = json.loads((tmp_path / "config.json").read_text())
    assert raw["model_type"] == "eventnlp"
    assert raw["event_id2label"]["0"] == EVENT_LABELS[0]
    assert raw["tag_id2label"]["1"] == "B-AGENT"
    assert raw["thresholds"]["AIRSTRIKE"] == 0.35
    cfg = EventConfig.from_pretrained(tmp_path)
    assert cfg.event_id2label[0] == EVENT_LABELS[0] and cfg.tag_id2label[0] == "O"
    assert cfg.threshold("AIRSTRIKE") == 0.35 and cfg.threshold("BOMBING") == 0.5


def test_trust_remote_code_is_never_forwarded(tmp_path):
    model = make_tiny_model()
    model.save_pretrained(tmp_path)
    raw = json.loads((tmp_path / "config.json").read_text())
    raw["trust_remote_code"] = True
    raw["encoder"]["trust_remote_code"] = True
    raw["encoder"]["auto_map"] = {"AutoModel": "evil.EvilModel"}
    (tmp_path / "config.json").write_text(json.dumps(raw))
    cfg = EventConfig.from_pretrained(tmp_path)
    assert "trust_remote_code" not in cfg.encoder and "auto_map" not in cfg.encoder
    assert not getattr(cfg, "trust_remote_code", False)
    EventTagger.from_pretrained(tmp_path, trust_remote_code=True)  # silently dropped, loads the real class


def test_model_that_asks_for_remote_code_is_refused(tmp_path):
    marker = tmp_path / "code-ran"
    (tmp_path / "config.json").write_text(json.dumps({
        "model_type": "evil-model", "auto_map": {"AutoConfig": "evil.EvilConfig", "AutoModel": "evil.EvilModel"}}))
    (tmp_path / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    with pytest.raises(ModelLoadError, match="never runs code"):
        EventTagger.from_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="never runs code"):
        EventTagger.from_pretrained(tmp_path, trust_remote_code=True)  # a caller's request is dropped too
    assert not marker.exists()


def test_other_library_model_gives_clear_error(tmp_path):
    from transformers import BertConfig, BertModel

    BertModel(BertConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37,
                         vocab_size=100)).save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="not an eventnlp model"):
        EventTagger.from_pretrained(tmp_path)


def test_sub_word_alignment(tokenizer):
    text = "Peshmerga fighters retook Sinjar from ISIS, killing 1,200 militants."
    spans = [{"start": 0, "end": 18, "label": "AGENT"}, {"start": 26, "end": 32, "label": "LOCATION"},
             {"start": 52, "end": 67, "label": "KILLED"}]
    enc = encode(tokenizer, [text])[0]
    tag2id = {t: i for i, t in enumerate(BIO_TAGS)}
    labels, lost = tags_for_spans(enc, spans, tag2id)
    assert lost == 0
    # "Peshmerga" is several sub-words: only the first is labelled
    pesh = [i for i, (s, e) in enumerate(enc.offsets) if s < 9]
    assert labels[pesh[0]] == tag2id["B-AGENT"] and all(labels[i] == -100 for i in pesh[1:])
    decoded = BIODecoder(BIO_TAGS)(enc, one_hot(labels))
    assert [(lab, s, e) for lab, s, e, _ in decoded] == [(sp["label"], sp["start"], sp["end"]) for sp in spans]


def one_hot(labels):
    """Log-probabilities that put (almost) all mass on each sub-word's label (-100: on O)."""
    logp = np.full((len(labels), len(BIO_TAGS)), np.log(1e-6), dtype=np.float32)
    logp[np.arange(len(labels)), [max(x, 0) for x in labels]] = 0.0
    return logp


def test_decoder_repairs_ill_formed_bio():
    tags = list(BIO_TAGS)
    ids = {t: i for i, t in enumerate(tags)}

    def logp(rows):
        out = np.full((len(rows), len(tags)), np.log(0.01))
        for i, row in enumerate(rows):
            for tag, p in row.items():
                out[i, ids[tag]] = np.log(p)
        return out

    start_ok, trans_ok = allowed_transitions(tags)
    # B-AGENT I-AGENT I-TARGET: the last word joins the agent (0.5 * 0.4 beats re-labelling the span)
    path = best_path(logp([{"B-AGENT": 0.9}, {"I-AGENT": 0.8}, {"I-TARGET": 0.5, "I-AGENT": 0.4}]),
                     start_ok, trans_ok)
    assert [tags[i] for i in path] == ["B-AGENT", "I-AGENT", "I-AGENT"]
    # O I-LOCATION: a span cannot start with I-
    path = best_path(logp([{"O": 0.9}, {"I-LOCATION": 0.6, "B-LOCATION": 0.3}]), start_ok, trans_ok)
    assert [tags[i] for i in path] == ["O", "B-LOCATION"]
    # a well-formed argmax path is returned as it is
    path = best_path(logp([{"B-KILLED": 0.9}, {"I-KILLED": 0.9}, {"O": 0.9}]), start_ok, trans_ok)
    assert [tags[i] for i in path] == ["B-KILLED", "I-KILLED", "O"]


def test_unalignable_spans_are_counted(tokenizer):
    text = "Gunmen killed 11 villagers."
    enc = encode(tokenizer, [text])[0]
    tag2id = {t: i for i, t in enumerate(BIO_TAGS)}
    _, lost = tags_for_spans(enc, [{"start": 1, "end": 6, "label": "AGENT"}], tag2id)  # starts inside a word
    assert lost == 1


def test_windows_cover_everything():
    assert windows(10, 20, 5) == [(0, 10)]
    ws = windows(100, 30, 10)
    assert ws[0][0] == 0 and ws[-1][1] == 100
    assert all(b - a <= 30 for a, b in ws) and all(ws[i][1] > ws[i + 1][0] for i in range(len(ws) - 1))


words = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S")), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(words, min_size=1, max_size=12), st.data())
def test_random_spans_survive_alignment(tokenizer, toks, data):
    text = " ".join(toks)
    enc = encode(tokenizer, [text])[0]
    tag2id = {t: i for i, t in enumerate(BIO_TAGS)}
    from eventnlp.alignment import word_spans

    wspans = word_spans(enc)
    if not wspans:
        return
    a = data.draw(st.integers(0, len(wspans) - 1))
    b = data.draw(st.integers(a, len(wspans) - 1))
    span = {"start": wspans[a][1], "end": wspans[b][2], "label": "TARGET"}
    labels, lost = tags_for_spans(enc, [span], tag2id)
    assert lost == 0
    decoded = BIODecoder(BIO_TAGS)(enc, one_hot(labels))
    assert [(s, e) for _, s, e, _ in decoded] == [(span["start"], span["end"])]
    assert text[span["start"]:span["end"]] == text[decoded[0][1]:decoded[0][2]]
