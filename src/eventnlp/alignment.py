"""Sub-word alignment: character spans <-> first-sub-word BIO tags, and windows.

Each sentence is tokenized once without special tokens. Training labels the first
sub-word of every word with its BIO tag and ignores the rest (-100). Long sentences
are cut into overlapping windows of ``max_length`` tokens (specials included) so no
text is dropped; at inference each token takes its prediction from the window in
which it lies furthest from an edge (``decoding`` turns the result into spans).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .labels import OUTSIDE


@dataclass
class Encoded:
    """One sentence as sub-words: ids, char offsets and the word each belongs to."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    word_ids: list[int | None]
    first: list[bool] = field(default_factory=list)  # first sub-word of its word

    def __post_init__(self) -> None:
        if not self.first:
            prev = None
            self.first = []
            for w in self.word_ids:
                self.first.append(w is not None and w != prev)
                prev = w


def encode(tokenizer, texts: Sequence[str]) -> list[Encoded]:
    """Tokenize sentences without special tokens, keeping offsets (one fast-tokenizer call)."""
    if not texts:
        return []
    batch = tokenizer(
        list(texts), add_special_tokens=False, return_offsets_mapping=True, return_attention_mask=False
    )
    return [
        Encoded(ids, [tuple(o) for o in offs], batch.word_ids(i))
        for i, (ids, offs) in enumerate(zip(batch["input_ids"], batch["offset_mapping"]))
    ]


def special_frame(tokenizer) -> tuple[list[int], list[int]]:
    """The special token ids a tokenizer puts before and after a single sequence."""
    plain = tokenizer("hello", add_special_tokens=False)["input_ids"]
    full = tokenizer("hello", add_special_tokens=True)["input_ids"]
    for i in range(len(full) - len(plain) + 1):
        if full[i:i + len(plain)] == plain:
            return list(full[:i]), list(full[i + len(plain):])
    return [], []


def word_spans(enc: Encoded) -> list[tuple[int, int, int]]:
    """``(first_token_index, char_start, char_end)`` for every word."""
    words: list[list[int]] = []
    for i, w in enumerate(enc.word_ids):
        if w is None:
            continue
        if enc.first[i]:
            words.append([i, enc.offsets[i][0], enc.offsets[i][1]])
        else:
            words[-1][2] = max(words[-1][2], enc.offsets[i][1])
    return [tuple(w) for w in words]


def tags_for_spans(
    enc: Encoded, spans: Sequence[dict], tag2id: dict[str, int]
) -> tuple[list[int], int]:
    """BIO tag ids per sub-word (-100 off first sub-words) and the number of spans lost.

    A span is lost (not aligned) when no word starts at its start or none ends at its
    end, i.e. its boundary falls inside a word.
    """
    labels = [-100] * len(enc.ids)
    words = word_spans(enc)
    for tok, _, _ in words:
        labels[tok] = tag2id[OUTSIDE]
    starts = {s: k for k, (_, s, _) in enumerate(words)}
    ends = {e: k for k, (_, _, e) in enumerate(words)}
    lost = 0
    for span in spans:
        a, b = starts.get(span["start"]), ends.get(span["end"])
        if a is None or b is None or b < a:
            lost += 1
            continue
        for k in range(a, b + 1):
            prefix = "B" if k == a else "I"
            labels[words[k][0]] = tag2id[f"{prefix}-{span['label']}"]
    return labels, lost


def windows(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of at most ``size`` tokens overlapping by ``stride``."""
    if n_tokens <= size:
        return [(0, n_tokens)]
    step = max(1, size - stride)
    out, a = [], 0
    while True:
        b = min(a + size, n_tokens)
        out.append((a, b))
        if b == n_tokens:
            return out
        a += step
