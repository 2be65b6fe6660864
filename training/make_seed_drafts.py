"""Split the seed articles into sentences and write empty drafts, one per sentence.

Stories (headed news items) are the unit of the held-out split: each seed article is
cut into stories at the sentence indices below (the headline of each story), and a
sentence's ``doc_id`` is ``<file stem>#<story number>``. The annotator then fills in
``events`` and string ``spans`` and `eventnlp anchor` computes offsets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from eventnlp.splitting import split_sentences

STORY_STARTS = {
    "000_45b78844b752bfd0": [0, 25],
    "001_eb3dbf8cce4fb612": [0],
    "002_de87a26319523343": [0, 10, 58, 71, 81, 97, 109, 122, 136, 153],
}


def drafts(raw_dir: Path):
    for path in sorted(raw_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        starts = STORY_STARTS[path.stem]
        for i, (s, e) in enumerate(split_sentences(text)):
            story = sum(i >= b for b in starts)
            yield {
                "id": f"{path.stem}-{i:03d}",
                "doc_id": f"{path.stem}#{story}",
                "source": "seed",
                "text": text[s:e],
                "events": [],
                "spans": [],
            }


if __name__ == "__main__":
    out = sys.argv[2] if len(sys.argv) > 2 else "-"
    lines = [json.dumps(d, ensure_ascii=False) for d in drafts(Path(sys.argv[1]))]
    (sys.stdout if out == "-" else open(out, "w", encoding="utf-8")).write("\n".join(lines) + "\n")
