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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
