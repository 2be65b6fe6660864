"""From per-word tag probabilities to well-formed BIO spans (constrained Viterbi decoding).

Reading each word's most probable tag on its own can give sequences no annotator would
write: ``B-AGENT I-AGENT I-TARGET`` splits "Abdullah Ahmed Shehadeh" into two actors, and
``O I-LOCATION`` starts a span in the middle. The decoder below picks the most probable
tag sequence among those that obey BIO (``I-X`` only after ``B-X`` or ``I-X``), with
log-probabilities as emission scores and no learned transitions.

Because every allowed transition scores 0, the per-word best sequence is already the
answer whenever it is well formed, which it is for most sentences: the dynamic program
runs only for the others, so the hot path pays one vectorised check per sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .alignment import Encoded, word_spans
from .labels import OUTSIDE


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(start_ok[K], trans_ok[K, K])``: which tag may open a sentence and follow another."""
    k = len(tags)
    start_ok = np.array([not t.startswith("I-") for t in tags])
    trans_ok = np.ones((k, k), dtype=bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            label = tag[2:]
            trans_ok[:, j] = [prev in (f"B-{label}", f"I-{label}") for prev in tags]
    return start_ok, trans_ok


def best_path(log_probs: np.ndarray, start_ok: np.ndarray, trans_ok: np.ndarray) -> np.ndarray:
    """Tag indices of the most probable allowed sequence; ``log_probs`` is ``[n_words, K]``."""
    path = log_probs.argmax(-1)
    if len(path) == 0 or (start_ok[path[0]] and trans_ok[path[:-1], path[1:]].all()):
        return path
    trans = np.where(trans_ok, 0.0, -np.inf)
    score = np.where(start_ok, log_probs[0], -np.inf)
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for i in range(1, len(log_probs)):
        cand = score[:, None] + trans  # [prev, next]
        back[i] = cand.argmax(0)
        score = cand.max(0) + log_probs[i]
    out = np.empty(len(log_probs), dtype=np.int64)
    out[-1] = int(score.argmax())
    for i in range(len(log_probs) - 1, 0, -1):
        out[i - 1] = back[i, out[i]]
    return out


class BIODecoder:
    """Decodes one model's tag set; build it once per model and reuse it."""

    def __init__(self, tags: Sequence[str]) -> None:
        self.tags = list(tags)
        self.start_ok, self.trans_ok = allowed_transitions(self.tags)

    def __call__(self, enc: Encoded, log_probs: np.ndarray) -> list[tuple[str, int, int, float]]:
        """Spans ``(label, char_start, char_end, score)``; ``log_probs`` is ``[n_subwords, K]``.

        Only the first sub-word of each word is read. The score of a span is the mean
        probability of the tags chosen for its words.
        """
        words = word_spans(enc)
        if not words:
            return []
        emissions = log_probs[[tok for tok, _, _ in words]]
        path = best_path(emissions, self.start_ok, self.trans_ok)
        chosen = np.exp(emissions[np.arange(len(path)), path])
        spans: list[tuple[str, int, int, float]] = []
        cur: list | None = None
        for (_, start, end), tag_id, prob in zip(words, path.tolist(), chosen.tolist()):
            tag = self.tags[tag_id]
            if tag == OUTSIDE or tag.startswith("B-"):
                if cur is not None:
                    spans.append((cur[0], cur[1], cur[2], sum(cur[3]) / len(cur[3])))
                cur = None if tag == OUTSIDE else [tag[2:], start, end, [prob]]
            else:  # I-X: the constraints guarantee an open X span
                cur[2] = end
                cur[3].append(prob)
        if cur is not None:
            spans.append((cur[0], cur[1], cur[2], sum(cur[3]) / len(cur[3])))
        return spans
