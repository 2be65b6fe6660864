"""The README's main job: have a default model (train it if missing), tag an article, show it."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def ensure_default_model() -> str:
    from .inference import DEFAULT_MODEL_NAME
    from .modeling import ModelLoadError

    try:
        from .inference import default_model_path

        return str(default_model_path())
    except ModelLoadError:
        pass
    from .trainer import CPU_TRAINING_TIME, TrainConfig, train

    config = Path("training/configs/cpu.yaml")
    cfg = TrainConfig.from_yaml(config) if config.exists() else TrainConfig()
    cfg.output_dir = str(Path("models") / DEFAULT_MODEL_NAME)
    print(f"No model in models/ yet: training {cfg.output_dir} first ({CPU_TRAINING_TIME}).", file=sys.stderr)
    t0 = time.time()
    train(cfg)
    print(f"Trained in {time.time() - t0:.0f} s.", file=sys.stderr)
    return cfg.output_dir


def format_result(result: dict) -> str:
    lines = []
    for s in result["sentences"]:
        if not (s["events"] or s["casualties"]):
            continue
        events = ", ".join(f"{e['label']} {e['score']:.2f}" for e in s["events"]) or "(no event)"
        lines.append(f"* [{events}] {s['text']}")
        agents = [a["text"] for a in s["actors"] if a["role"] == "agent"]
        targets = [a["text"] for a in s["actors"] if a["role"] == "target"]
        if agents:
            lines.append(f"    who:    {'; '.join(agents)}")
        if targets:
            lines.append(f"    whom:   {'; '.join(targets)}")
        for c in s["casualties"]:
            rng = f"{c['min']}-{c['max'] if c['max'] is not None else '...'}"
            lines.append(f"    {c['kind']:7} {c['count']} (\"{c['text']}\", range {rng})")
        if s["locations"]:
            lines.append(f"    where:  {'; '.join(loc['text'] for loc in s['locations'])}")
    return "\n".join(lines)


def run_demo(article: str, model: str | None = None) -> int:
    from .inference import tag

    path = Path(article)
    if not path.is_file():
        print(f"eventnlp: error: no article at {article}", file=sys.stderr)
        return 2
    model = model or ensure_default_model()
    text = path.read_text(encoding="utf-8")
    t0 = time.time()
    result = tag(text, model=model)
    n = len(result["sentences"])
    print(format_result(result))
    print(f"\n{path.name}: {n} sentences tagged in {time.time() - t0:.1f} s with {model}")
    return 0
