"""Train an eventnlp model from a YAML config.

    python training/train.py --config training/configs/cpu.yaml
    accelerate launch training/train.py --config training/configs/gpu.yaml   # several GPUs
    torchrun --nproc_per_node 2 training/train.py --config ...                # several CPU processes

The script only parses arguments; the work is ``eventnlp.trainer.train``, which is
also what ``eventnlp train`` runs.
"""

from __future__ import annotations

import argparse
import json
import sys

from eventnlp.trainer import TrainConfig, train


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="YAML file with TrainConfig fields")
    parser.add_argument("--output-dir", help="override output_dir")
    parser.add_argument("--data", help="override the annotations folder")
    parser.add_argument("--base-model", help="override the base encoder (HF id or local path)")
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint in output_dir")
    args = parser.parse_args(argv)
    cfg = TrainConfig.from_yaml(args.config, output_dir=args.output_dir, data=args.data,
                                base_model=args.base_model)
    summary = train(cfg, resume=args.resume)
    if summary:
        test = summary.get("test") or {}
        print(json.dumps({k: test.get(k) for k in ("event_micro_f1", "event_macro_f1", "span_f1",
                                                    "casualty_count_accuracy")} | {
            "train_runtime_s": summary["train_runtime_s"], "output_dir": cfg.output_dir}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
