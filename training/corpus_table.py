"""Write the corpus table (sizes and per-label counts by source) into README.md.

    python training/corpus_table.py            # rewrites the block between the corpus markers
    python training/corpus_table.py --check    # exit 1 if the README's block is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from eventnlp.data import coverage, load_records, read_splits, split_records
from eventnlp.labels import EVENT_LABELS, SPAN_LABELS

ROOT = Path(__file__).resolve().parents[1]


def table(path: Path) -> str:
    records = load_records(path)
    cov = coverage(records)
    parts = split_records(records, read_splits(path))
    sources = ["seed", "authored"]
    rows = ["| | " + " | ".join(sources) + " | all |", "|---|" + "---|" * (len(sources) + 1)]

    def row(name, key):
        rows.append(f"| {name} | " + " | ".join(str(cov.get(s, {}).get(key, 0)) for s in sources)
                    + f" | {cov['all'].get(key, 0)} |")

    row("sentences", "sentences")
    row("sentences with no event", "no_event")
    for label in EVENT_LABELS:
        row(label, f"event:{label}")
    for label in SPAN_LABELS:
        row(f"{label} spans", f"span:{label}")
    sizes = ", ".join(f"{name} {len(recs)}" for name, recs in parts.items())
    return "\n".join(rows) + f"\n\nSplit sizes (sentences): {sizes}."


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = table(ROOT / "data" / "annotations")
    new = re.sub(r"(<!-- corpus:start -->\n).*?(\n<!-- corpus:end -->)", lambda m: m.group(1) + block + m.group(2),
                 text, flags=re.S)
    if check:
        if new != text:
            print("README.md: the corpus table does not match data/annotations; run training/corpus_table.py",
                  file=sys.stderr)
            return 1
        print("README.md: corpus table matches data/annotations")
        return 0
    readme.write_text(new, encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
