"""tag(): output schema, offset identity, inputs good and bad, long text, threads, Hub ids."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventnlp import ModelLoadError, tag

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
ARTICLE = (RAW / "002_de87a26319523343.txt").read_text(encoding="utf-8")
SENTENCE_KEYS = {"text", "start", "end", "events", "actors", "casualties", "locations", "truncated"}


def check_offsets(text, result):
    assert result["text"] == text
    for s in result["sentences"]:
        assert set(s) == SENTENCE_KEYS
        assert text[s["start"]:s["end"]] == s["text"]
        assert s["truncated"] is False
        for e in s["events"]:
            assert set(e) == {"label", "score"} and 0 <= e["score"] <= 1
        for a in s["actors"]:
            assert set(a) == {"text", "start", "end", "role", "score"} and a["role"] in ("agent", "target")
            assert text[a["start"]:a["end"]] == a["text"]
        for c in s["casualties"]:
            assert set(c) == {"text", "start", "end", "kind", "count", "min", "max", "approximate", "score"}
            assert c["kind"] in ("killed", "injured") and text[c["start"]:c["end"]] == c["text"]
        for loc in s["locations"]:
            assert set(loc) == {"text", "start", "end", "score"}
            assert text[loc["start"]:loc["end"]] == loc["text"]


def test_schema_and_offsets_on_a_multi_paragraph_article(tiny_model_dir):
    result = tag(ARTICLE, model=str(tiny_model_dir), threshold=0.0)  # threshold 0: every event shows
    assert len(result["sentences"]) > 150
    check_offsets(ARTICLE, result)
    assert all(len(s["events"]) == 16 for s in result["sentences"])
    spans = sum(len(s["actors"]) + len(s["casualties"]) + len(s["locations"]) for s in result["sentences"])
    assert spans > 0  # a random model still emits spans, so the identity above was exercised
    json.dumps(result)  # JSON-serialisable


def test_str_gives_one_result_list_gives_list(tiny_model_dir):
    one = tag("Gunmen killed 11 villagers in Kukawa.", model=str(tiny_model_dir))
    assert isinstance(one, dict)
    many = tag(["First text.", "", "Second text. And a third."], model=str(tiny_model_dir))
    assert [len(r["sentences"]) for r in many] == [1, 0, 2]
    assert tag([], model=str(tiny_model_dir)) == []
    assert tag(("a tuple works.",), model=str(tiny_model_dir))[0]["sentences"][0]["text"] == "a tuple works."


def test_same_result_as_batch_of_one(tiny_model_dir):
    texts = [ARTICLE[:2000], "Short one.", ARTICLE[2000:5000]]
    together = tag(texts, model=str(tiny_model_dir), batch_size=7)
    alone = [tag(t, model=str(tiny_model_dir), batch_size=1) for t in texts]
    for a, b in zip(together, alone):
        assert [s["text"] for s in a["sentences"]] == [s["text"] for s in b["sentences"]]
        assert [[e["label"] for e in s["events"]] for s in a["sentences"]] == \
               [[e["label"] for e in s["events"]] for s in b["sentences"]]


@pytest.mark.parametrize("bad, err", [(None, TypeError), (42, TypeError), (["ok", 3], TypeError),
                                      (b"bytes", TypeError)])
def test_bad_inputs_raise_clear_errors(tiny_model_dir, bad, err):
    with pytest.raises(err, match="tag\\(\\) needs"):
        tag(bad, model=str(tiny_model_dir))


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_gives_no_sentences(tiny_model_dir, text):
    assert tag(text, model=str(tiny_model_dir)) == {"text": text, "sentences": []}


@pytest.mark.parametrize("text", [
    "Die Armee hat am Montag die Stadt zurückerobert. 軍は月曜日に町を奪還した。",
    "<p>Rebels <b>seized</b> the town of Kidal.</p><script>x()</script>",
    "Drone strike 💥 hits convoy 🚚 near Gao\u0000\u0007 at dawn.\x1b[31m",
    "Zero\u200bwidth and RTL \u202eplaces\u202c here.",
])
def test_odd_text_keeps_offsets(tiny_model_dir, text):
    check_offsets(text, tag(text, model=str(tiny_model_dir), threshold=0.0))


def test_very_long_sentence_is_windowed_not_truncated(tiny_model_dir):
    text = " ".join(f"word{i}" for i in range(5000)) + "."
    result = tag(text, model=str(tiny_model_dir), threshold=0.0)
    (sentence,) = result["sentences"]
    assert sentence["truncated"] is False and sentence["end"] == len(text)
    check_offsets(text, result)


def test_threshold_validation(tiny_model_dir):
    with pytest.raises(ValueError, match="between 0 and 1"):
        tag("x", model=str(tiny_model_dir), threshold=2)


def test_dtype_validation_and_bfloat16(tiny_model_dir):
    import torch

    with pytest.raises(ValueError, match="dtype must be one of"):
        tag("x", model=str(tiny_model_dir), dtype="int4")
    text = "Rebels seized the town of Kidal after two days of fighting."
    for dtype in ("bfloat16", torch.bfloat16):
        check_offsets(text, tag(text, model=str(tiny_model_dir), dtype=dtype, threshold=0.0))


def test_threads_give_the_same_results(tiny_model_dir):
    texts = [ARTICLE[i:i + 1500] for i in range(0, 12000, 1500)]
    serial = [tag(t, model=str(tiny_model_dir)) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda t: tag(t, model=str(tiny_model_dir)), texts))
    assert threaded == serial


def test_missing_model_errors_name_the_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelLoadError, match="no such local folder|cannot load"):
        tag("x", model=str(tmp_path / "nope"))
    monkeypatch.setenv("EVENTNLP_MODEL", str(tmp_path / "nope"))
    with pytest.raises(ModelLoadError):
        tag("x")


def test_default_model_missing_says_how_to_train(monkeypatch, tmp_path):
    import eventnlp.inference as inf

    monkeypatch.delenv("EVENTNLP_MODEL", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(inf, "__file__", str(tmp_path / "a" / "b" / "inference.py"))
    with pytest.raises(ModelLoadError, match="eventnlp train"):
        inf.default_model_path()


@pytest.mark.parametrize("damage", ["no_weights", "bad_weights", "no_config", "bad_config"])
def test_damaged_model_folder(tiny_model_dir, tmp_path, damage):
    folder = tmp_path / "m"
    shutil.copytree(tiny_model_dir, folder)
    if damage == "no_weights":
        (folder / "model.safetensors").unlink()
    elif damage == "bad_weights":
        (folder / "model.safetensors").write_bytes(b"not a safetensors file")
    elif damage == "no_config":
        (folder / "config.json").unlink()
    else:
        (folder / "config.json").write_text("{ truncated")
    with pytest.raises(ModelLoadError, match="cannot load"):
        tag("Gunmen killed 11 villagers.", model=str(folder))


def test_load_by_hub_id_from_cached_snapshot(tiny_model_dir, tmp_path, monkeypatch):
    """A Hub id resolves through huggingface_hub's cache, offline, as after a real download."""
    repo = tmp_path / "hub" / "models--someorg--eventnlp-tiny"
    commit = "0123456789abcdef0123456789abcdef01234567"
    snapshot = repo / "snapshots" / commit
    shutil.copytree(tiny_model_dir, snapshot)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as hc

    monkeypatch.setattr(hc, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(hc, "HF_HUB_OFFLINE", True)
    from eventnlp.inference import EventPipeline

    pipe = EventPipeline.load("someorg/eventnlp-tiny", cache_dir=str(tmp_path / "hub"))
    local = EventPipeline.load(str(tiny_model_dir))
    text = "France and Russia staged air strikes on Raqqa on Tuesday."
    assert pipe([text], threshold=0.0) == local([text], threshold=0.0)
    with pytest.raises(ModelLoadError, match="Hub"):
        EventPipeline.load("someorg/not-cached", cache_dir=str(tmp_path / "hub"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_offset_identity_on_random_unicode(tiny_model_dir, text):
    check_offsets(text, tag(text, model=str(tiny_model_dir), threshold=0.0))
