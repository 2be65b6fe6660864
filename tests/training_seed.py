"""Helper for tests: the sentences of the three seed articles, split as the project splits them."""

from pathlib import Path

from eventnlp.splitting import split_sentences

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def seed_sentences() -> set[str]:
    out = set()
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out |= {text[s:e] for s, e in split_sentences(text)}
    return out
