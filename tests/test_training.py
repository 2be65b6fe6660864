"""Training end to end on a tiny encoder: model folder and card, resume, two processes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import TINY_ENCODER

from eventnlp.data import load_records

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_setup(tmp_path_factory):
    """A tiny random BERT saved as a base encoder, and a small corpus cut from the real one."""
    import torch
    from transformers import BertConfig, BertModel

    from eventnlp.config import default_encoder
    from eventnlp.modeling import load_tokenizer

    root = tmp_path_factory.mktemp("train")
    torch.manual_seed(0)
    enc = BertModel(BertConfig(**{k: v for k, v in TINY_ENCODER.items() if k != "model_type"}),
                    add_pooling_layer=False)
    enc.save_pretrained(root / "encoder")
    load_tokenizer(default_encoder()).save_pretrained(root / "encoder")
    records = load_records(ROOT / "data" / "annotations")
    seed = [r for r in records if r["doc_id"] == "002_de87a26319523343#10"]
    authored = [r for r in records if r["source"] == "authored"][:80]
    data = root / "data"
    data.mkdir()
    (data / "small.jsonl").write_text("\n".join(json.dumps(r) for r in seed + authored) + "\n")
    (data / "splits.json").write_text(json.dumps({"test": ["002_de87a26319523343#10"], "dev": [],
                                                  "dev_fraction": 0.25}))
    config = {"data": str(data), "base_model": str(root / "encoder"), "max_seq_length": 64,
              "num_train_epochs": 2, "per_device_train_batch_size": 8, "learning_rate": 1e-3,
              "early_stopping_patience": 5, "logging_steps": 5}
    (root / "tiny.yaml").write_text(yaml.safe_dump(config))
    return root


def test_train_writes_full_model_folder(tiny_setup):
    from eventnlp import tag
    from eventnlp.trainer import TrainConfig, train

    out = tiny_setup / "model"
    summary = train(TrainConfig.from_yaml(tiny_setup / "tiny.yaml", output_dir=str(out)))
    files = {p.name for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md", "eval_results.json"} <= files
    assert not any(f.endswith((".bin", ".pt", ".pkl")) for f in files) and "checkpoints" not in files
    results = json.loads((out / "eval_results.json").read_text())
    assert results["test"]["n_sentences"] == 9 and results["sizes"]["test"] == {"seed": 9}
    assert set(results["test"]) >= {"event_micro_f1", "event_macro_f1", "span_f1", "casualty_count_accuracy",
                                    "events_per_label", "spans_per_label"}
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["thresholds"] == summary["thresholds"] and "default" in cfg["thresholds"]
    card = (out / "README.md").read_text()
    assert re.search(r"^library_name: eventnlp$", card, re.M)
    assert "model-index:" in card and "base_model:" in card and "widget:" in card
    for section in ("## Labels", "## Evaluation", "### Per event type (test)", "### Per span label (test)",
                    "## Training", "### Hyperparameters", "## Limitations", 'tag(', "authored"):
        assert section in card, section
    result = tag("Gunmen killed 11 villagers in Kukawa.", model=str(out))
    assert result["sentences"][0]["text"] == "Gunmen killed 11 villagers in Kukawa."


def test_interrupted_and_resumed_run_matches_uninterrupted(tiny_setup):
    from transformers import TrainerCallback

    from eventnlp.trainer import TrainConfig, train

    class Killed(Exception):
        pass

    class KillAfterFirstCheckpoint(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            raise Killed()

    full = train(TrainConfig.from_yaml(tiny_setup / "tiny.yaml", output_dir=str(tiny_setup / "full")))
    out = tiny_setup / "resumed"
    with pytest.raises(Killed):
        train(TrainConfig.from_yaml(tiny_setup / "tiny.yaml", output_dir=str(out)),
              callbacks=[KillAfterFirstCheckpoint()])
    assert list((out / "checkpoints").glob("checkpoint-*"))
    resumed = train(TrainConfig.from_yaml(tiny_setup / "tiny.yaml", output_dir=str(out)), resume=True)
    assert resumed["resumed_from"] and "checkpoint-" in resumed["resumed_from"]
    for split in ("dev", "test"):
        for key in ("event_micro_f1", "span_f1", "casualty_count_accuracy"):
            assert resumed[split][key] == pytest.approx(full[split][key], abs=1e-6), (split, key)
    assert resumed["thresholds"] == full["thresholds"]


def test_two_process_distributed_training(tiny_setup):
    """torchrun --nproc_per_node 2: the torch.distributed path accelerate uses on several GPUs (gloo on CPU)."""
    torchrun = shutil.which("torchrun") or str(Path(sys.executable).with_name("torchrun"))
    out = tiny_setup / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [torchrun, "--nproc_per_node", "2", "--master_port", "29531", str(ROOT / "training" / "train.py"),
         "--config", str(tiny_setup / "tiny.yaml"), "--output-dir", str(out)],
        capture_output=True, text=True, timeout=600, env=env, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((out / "eval_results.json").read_text())
    assert results["world_size"] == 2
    assert (out / "model.safetensors").exists()


def test_train_verb_and_yaml_errors(tiny_setup, tmp_path, capsys):
    from eventnlp.cli import main

    out = tmp_path / "cli-model"
    assert main(["train", "--config", str(tiny_setup / "tiny.yaml"), "--output-dir", str(out), "--epochs", "1"]) == 0
    assert "saved" in capsys.readouterr().out and (out / "model.safetensors").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("learning_rat: 0.1\n")
    assert main(["train", "--config", str(bad)]) == 2
    assert "unknown key(s)" in capsys.readouterr().err
    assert main(["train", "--config", str(tmp_path / "missing.yaml")]) == 2


def test_oversample_repeats_rows_of_a_source_and_rejects_bad_factors():
    from eventnlp.trainer import TrainConfig, _oversampled

    feats = {"input_ids": [[1], [2], [3]], "event_labels": [[0.0], [1.0], [0.0]]}
    out = _oversampled(feats, ["seed", "authored", "seed"], {"seed": 3})
    assert out["input_ids"] == [[1], [1], [1], [2], [3], [3], [3]]
    assert out["event_labels"][3] == [1.0]
    assert _oversampled(feats, ["seed", "authored", "seed"], {}) == feats
    for bad in ({"web": 2}, {"seed": 0}, {"seed": 1.5}, {"seed": True}, ["seed"]):
        with pytest.raises(ValueError, match="oversample"):
            TrainConfig(oversample=bad)


def test_default_config_is_the_cpu_yaml():
    """`eventnlp train` with no --config trains the same default model as training/configs/cpu.yaml."""
    from eventnlp.trainer import TrainConfig

    assert TrainConfig() == TrainConfig.from_yaml(ROOT / "training" / "configs" / "cpu.yaml")
