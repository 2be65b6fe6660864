"""The ``eventnlp`` command line: thin verbs over the library API."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _fail(message: str) -> int:
    print(f"eventnlp: error: {message}", file=sys.stderr)
    return 2


def cmd_validate(args: argparse.Namespace) -> int:
    from .data import coverage, validate

    try:
        report = validate(args.path)
    except FileNotFoundError as exc:
        return _fail(str(exc))
    if not report.files:
        return _fail(f"no *.jsonl files under {args.path}")
    for err in report.errors:
        print(err)
    table = coverage(report.records)
    sources = sorted(s for s in table if s != "all") + ["all"]
    keys = sorted({k for row in table.values() for k in row}, key=lambda k: (":" in k, k))
    print(f"{'':28}" + "".join(f"{s:>10}" for s in sources))
    for key in keys:
        print(f"{key:28}" + "".join(f"{table[s].get(key, 0):>10}" for s in sources))
    n = len(report.records)
    if report.errors:
        print(f"{len(report.errors)} problem(s) in {len(report.files)} file(s); {n} valid record(s)")
        return 1
    print(f"OK: {n} records in {len(report.files)} file(s)")
    return 0


def cmd_anchor(args: argparse.Namespace) -> int:
    from .data import AnnotationError, anchor, check_record, read_jsonl

    out_lines, problems = [], []
    for n, draft, err in read_jsonl(Path(args.draft)):
        if err:
            problems.append(f"{args.draft}:{n}: {err}")
            continue
        try:
            rec = anchor(draft)
        except (AnnotationError, KeyError, TypeError) as exc:
            problems.append(f"{args.draft}:{n}: {exc}")
            continue
        problems += [f"{args.draft}:{n}: {p}" for p in check_record(rec)]
        out_lines.append(json.dumps(rec, ensure_ascii=False))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    Path(args.output).write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    print(f"wrote {len(out_lines)} records to {args.output}")
    return 0


def _tag_output_state(path: Path, fmt: str, resume: bool) -> set[str]:
    """Ids already in the output (``--resume``), after cutting what a kill left half-written."""
    import csv

    if not resume or not path.exists():
        return set()
    data = path.read_bytes()
    data = data[: data.rfind(b"\n") + 1]  # drop a partial last line
    if fmt == "jsonl":
        done = {json.loads(line)["id"] for line in data.decode("utf-8").splitlines() if line.strip()}
        path.write_bytes(data)
        return done
    lines = data.decode("utf-8").splitlines(keepends=True)
    col = 0 if fmt == "csv" else 1
    rows = list(csv.reader(lines[1:]))
    if rows:  # the last document may have lost rows: drop all of its rows and redo it
        last = rows[-1][col]
        keep = len(rows)
        while keep and rows[keep - 1][col] == last:
            keep -= 1
        lines = lines[: 1 + keep]
        rows = rows[:keep]
    path.write_text("".join(lines), encoding="utf-8")
    return {r[col] for r in rows}


def cmd_tag(args: argparse.Namespace) -> int:
    from .export import FORMATS
    from .inference import get_pipeline
    from .sources import InputError, iter_refs

    if args.format not in FORMATS:
        return _fail(f"unknown format {args.format!r}; choose one of {', '.join(FORMATS)}")
    if args.resume and not args.output:
        return _fail("--resume needs --output (the file to continue)")
    if args.batch_size < 1:
        return _fail("--batch-size must be a positive integer")
    state = _distributed_state()
    try:
        pipe = get_pipeline(args.model, args.device if state is None else str(state.device), args.dtype)
    except (OSError, ValueError, TypeError) as exc:
        return _fail(str(exc))
    refs = list(iter_refs(args.inputs))
    errors = [r for r in refs if isinstance(r, InputError)]
    refs = [r for r in refs if not isinstance(r, InputError)]
    out_path = Path(args.output) if args.output else None
    if state is not None and state.num_processes > 1:
        if out_path is None:
            return _fail("several processes need --output (each writes a shard, then they are merged)")
        with state.split_between_processes(refs) as mine:
            my_refs = list(mine)
        shard = out_path.with_name(f"{out_path.name}.part{state.process_index}")
        bad = _tag_stream(pipe, my_refs, shard, args, rank0=state.is_main_process)
        state.wait_for_everyone()
        if state.is_main_process:
            _merge_shards(out_path, args.format, state.num_processes)
        errors += bad
    else:
        errors += _tag_stream(pipe, refs, out_path, args, rank0=True)
    for err in errors:
        print(f"eventnlp: skipped: {err}", file=sys.stderr)
    return 1 if errors else 0


def _tag_stream(pipe, refs, out_path, args, rank0: bool) -> list:
    from tqdm import tqdm

    from .export import header, render
    from .sources import InputError, read

    done = _tag_output_state(out_path, args.format, args.resume) if out_path else set()
    fresh = out_path is None or not out_path.exists() or out_path.stat().st_size == 0
    fh = open(out_path, "a", encoding="utf-8") if out_path else sys.stdout
    errors = []
    try:
        if fresh:
            fh.write(header(args.format))
        bar = tqdm(total=len(refs), unit="doc", disable=not (rank0 and len(refs) > 20) or args.quiet,
                   file=sys.stderr)
        batch: list[tuple[str, str]] = []

        def flush():
            results = pipe([t for _, t in batch], batch_size=args.batch_size, threshold=args.threshold)
            for (doc_id, _), res in zip(batch, results):
                fh.write(render(args.format, doc_id, res))
            fh.flush()
            bar.update(len(batch))
            batch.clear()

        for ref in refs:
            try:
                doc_id, text = read(ref)
            except InputError as exc:
                errors.append(exc)
                bar.update(1)
                continue
            if doc_id in done:
                bar.update(1)
                continue
            batch.append((doc_id, text))
            if len(batch) >= args.docs_per_batch:
                flush()
        if batch:
            flush()
        bar.close()
    finally:
        if fh is not sys.stdout:
            fh.close()
    return errors


def _distributed_state():
    """accelerate's PartialState when launched with several processes, else None."""
    import os

    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return None
    import torch
    from accelerate import PartialState

    return PartialState(cpu=not torch.cuda.is_available())


def _merge_shards(out_path: Path, fmt: str, n: int) -> None:
    from .export import header

    with open(out_path, "w", encoding="utf-8") as out:
        out.write(header(fmt))
        for rank in range(n):
            shard = out_path.with_name(f"{out_path.name}.part{rank}")
            text = shard.read_text(encoding="utf-8")
            head = header(fmt)
            out.write(text[len(head):] if head and text.startswith(head) else text)
            shard.unlink()


def cmd_train(args: argparse.Namespace) -> int:
    from .trainer import CPU_TRAINING_TIME, TrainConfig, train

    cfg = TrainConfig.from_yaml(args.config, output_dir=args.output_dir, data=args.data,
                                base_model=args.base_model) if args.config else TrainConfig(
        **{k: v for k, v in {"output_dir": args.output_dir, "data": args.data,
                             "base_model": args.base_model}.items() if v is not None})
    if args.epochs is not None:
        cfg.num_train_epochs = args.epochs
    print(f"training {cfg.output_dir} on {cfg.data} (the default config takes {CPU_TRAINING_TIME})",
          file=sys.stderr)
    summary = train(cfg, resume=args.resume)
    if summary:
        test = summary.get("test") or {}
        print(f"saved {cfg.output_dir} in {summary['train_runtime_s']} s; test: "
              + ", ".join(f"{k}={test[k]:.3f}" for k in ("event_micro_f1", "span_f1", "casualty_count_accuracy")
                          if k in test))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .data import load_records, read_splits, split_records
    from .evaluation import evaluate_records
    from .inference import get_pipeline

    pipe = get_pipeline(args.model, args.device, args.dtype)
    parts = split_records(load_records(args.data), read_splits(args.data))
    records = parts[args.split]
    if not records:
        return _fail(f"the {args.split} split of {args.data} is empty")
    scores = evaluate_records(pipe, records, threshold=args.threshold)
    print(json.dumps(scores, indent=2))
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from .hub import push

    url = push(args.model or None, args.repo_id, private=args.private, token=args.token)
    print(f"pushed to {url}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args.article, model=args.model)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eventnlp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check annotation files and print per-label counts",
                       description="Check every record of the *.jsonl files under PATH and print "
                       "per-label counts per source. Exit 1 if any record is invalid.")
    p.add_argument("path", help="a .jsonl file or a directory searched recursively")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("anchor", help="compute span offsets for a draft whose spans are strings",
                       description="Read DRAFT (JSONL, spans as {'text','label',...}) and write "
                       "records with character offsets to OUTPUT.")
    p.add_argument("draft")
    p.add_argument("output")
    p.set_defaults(func=cmd_anchor)

    p = sub.add_parser("tag", help="tag articles: files, directories, JSONL or stdin",
                       description="Tag documents and write one record per document (jsonl), one row per "
                       "sentence (csv) or one row per event in ACLED's columns (acled). Output is written "
                       "as it goes; --resume continues an interrupted run. Under `accelerate launch -m "
                       "eventnlp tag ...` or torchrun the documents are split across processes.")
    p.add_argument("inputs", nargs="+", metavar="FILE", help=".txt file, .jsonl ({id,text} per line), "
                   "directory, or - for stdin")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("-f", "--format", default="jsonl", help="jsonl (default), csv or acled")
    p.add_argument("-m", "--model", help="model folder or Hub id (default: models/eventnlp-minilm)")
    p.add_argument("--device", help="cpu, cuda or cuda:N (default: a GPU when there is one)")
    p.add_argument("--dtype", choices=["bfloat16", "float16"],
                   help="half precision: on a GPU, or bfloat16 on a CPU with AVX512-BF16/AMX (about 2x faster "
                   "there, slower on CPUs without it); default float32")
    p.add_argument("--batch-size", type=int, default=32, help="sentences per forward pass (default 32)")
    p.add_argument("--docs-per-batch", type=int, default=64, help="documents read and written together")
    p.add_argument("--threshold", type=float, help="one event threshold for all labels")
    p.add_argument("--resume", action="store_true", help="skip documents already in --output")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("train", help="train a model (default: MiniLM on data/annotations)",
                       description="Fine-tune the encoder and both heads; writes the model folder with "
                       "its card and test metrics. Same code as training/train.py.")
    p.add_argument("--config", help="YAML config (e.g. training/configs/cpu.yaml); default values otherwise")
    p.add_argument("--output-dir")
    p.add_argument("--data", help="annotations folder (default data/annotations)")
    p.add_argument("--base-model", help="HF id or local path of the base encoder")
    p.add_argument("--epochs", type=float)
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="score a model on a split of the annotations",
                       description="Print event, span and casualty metrics of MODEL on a split as JSON.")
    p.add_argument("-m", "--model")
    p.add_argument("--data", default="data/annotations")
    p.add_argument("--split", default="test", choices=["train", "dev", "test"])
    p.add_argument("--device")
    p.add_argument("--dtype", choices=["bfloat16", "float16"], help="score the model as `tag --dtype` runs it")
    p.add_argument("--threshold", type=float)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("push", help="upload a model folder and its card to the Hugging Face Hub",
                       description="Upload MODEL (default models/eventnlp-minilm) to REPO_ID in one commit.")
    p.add_argument("--repo-id", required=True, help="org/name")
    p.add_argument("-m", "--model", help="model folder")
    p.add_argument("--private", action="store_true")
    p.add_argument("--token", help="Hub token (default: the one saved by `hf auth login`)")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("demo", help="train the default model if needed, then tag a seed article",
                       description="The README's main job: make sure models/eventnlp-minilm exists "
                       "(training it if not), tag an article and print its events readably.")
    p.add_argument("article", nargs="?", default="data/raw/002_de87a26319523343.txt")
    p.add_argument("-m", "--model")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .data import AnnotationError
    from .modeling import ModelLoadError
    from .sources import InputError

    try:
        return args.func(args)
    except (ModelLoadError, AnnotationError, InputError, FileNotFoundError, ValueError, TypeError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted; with --output, run again with --resume to continue")


if __name__ == "__main__":
    sys.exit(main())
