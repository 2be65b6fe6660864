"""Sentence splitting that keeps character offsets into the original text.

News text is split in two steps: first into lines (headlines, captions, bylines and
paragraphs each stand on their own line and often lack a full stop), then each line that
holds a sentence-ending mark before its end into sentences with pysbd, a rule-based
splitter that knows abbreviations such as "U.S.", "Col." and "Oct." and keeps closing
quotes with their sentence. Offsets are recovered by searching each sentence in the line
from a moving cursor, so ``text[start:end] == sentence`` always holds.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_MAX_LINE = 20_000  # pysbd is quadratic on huge lines; chunk longer ones first


_local = threading.local()


def _segmenter():
    """One pysbd segmenter per thread: a segmenter keeps state while it works."""
    seg = getattr(_local, "segmenter", None)
    if seg is None:
        import pysbd

        seg = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return seg


# Characters at which pysbd may end a sentence (with margin: ';' and ':' too).
_MAYBE_BOUNDARY = re.compile("[.!?;:\u2026\u3002\uff01\uff1f]")
_BOUNDARY = re.compile(r"[.!?][\"\u201d\u2019)\]]*\s+")


def _chunks(line: str, start: int) -> Iterator[tuple[str, int]]:
    """Cut a very long line at sentence-like boundaries so the rule splitter stays fast.

    A single run-on sentence longer than the limit is kept whole (no boundary inside it).
    """
    pos = 0
    while len(line) - pos > _MAX_LINE:
        cuts = [m.end() for m in _BOUNDARY.finditer(line, pos, pos + _MAX_LINE)]
        if cuts:
            cut = cuts[-1]
        else:
            m = _BOUNDARY.search(line, pos + _MAX_LINE)
            cut = m.end() if m else len(line)
        yield line[pos:cut], start + pos
        pos = cut
    if pos < len(line):
        yield line[pos:], start + pos


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character spans of the sentences of ``text``.

    Spans never start or end with whitespace and never overlap; text that is only
    whitespace yields no sentence.
    """
    spans: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        for chunk, chunk_start in _chunks(m.group(), m.start()):
            body = chunk.strip()
            if not body:
                continue
            if not _MAYBE_BOUNDARY.search(body, 0, len(body) - 1):
                # no sentence-ending mark before the last character (a headline, a caption, a
                # one-sentence paragraph): the line is one sentence and pysbd can be skipped
                lead = len(chunk) - len(chunk.lstrip())
                spans.append((chunk_start + lead, chunk_start + lead + len(body)))
                continue
            cursor = 0
            for piece in _segmenter().segment(chunk):
                piece = piece.strip()
                if not piece:
                    continue
                found = chunk.find(piece, cursor)
                if found < 0:  # the splitter altered the text: keep the rest whole
                    break
                end = chunk_start + found + len(piece)
                if spans and not any(c.isalnum() for c in piece) and spans[-1][1] >= chunk_start:
                    spans[-1] = (spans[-1][0], end)  # a stray closing quote joins its sentence
                else:
                    spans.append((chunk_start + found, end))
                cursor = found + len(piece)
            rest = chunk[cursor:]
            if rest.strip():
                lead = len(rest) - len(rest.lstrip())
                spans.append((chunk_start + cursor + lead, chunk_start + len(chunk.rstrip())))
    return spans
