"""Reading documents for ``eventnlp tag``: files, directories, JSONL and stdin, lazily.

A ``.txt`` file (or any non-JSONL file) is one document whose id is its path; a
``.jsonl`` file holds one document per line as ``{"id": ..., "text": ...}``; a
directory is walked for ``*.txt`` and ``*.jsonl`` in sorted order; ``-`` is stdin.
Documents are yielded one by one so memory stays flat over large corpora.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class InputError(ValueError):
    """A document that cannot be read; the message names the file and the fix."""


@dataclass(frozen=True, slots=True)
class DocRef:
    """Where a document lives: a path and, for JSONL, a line number and its byte offset."""

    path: str
    line: int = 0
    offset: int = 0


def iter_refs(inputs: list[str]) -> Iterator[DocRef | InputError]:
    for item in inputs:
        if item == "-":
            yield DocRef("-")
            continue
        path = Path(item)
        if path.is_dir():
            # names as strings, not Path objects: a directory of 100k files stays a few MB
            files = sorted(str(p) for p in path.rglob("*") if p.suffix in (".txt", ".jsonl") and p.is_file())
            if not files:
                yield InputError(f"{item}: directory has no .txt or .jsonl files")
            for f in files:
                yield from _file_refs(Path(f))
        elif path.is_file():
            yield from _file_refs(path)
        else:
            yield InputError(f"{item}: no such file or directory")


def _file_refs(path: Path) -> Iterator[DocRef]:
    if path.suffix != ".jsonl":
        yield DocRef(str(path))
        return
    with open(path, "rb") as fh:
        offset = 0
        for n, line in enumerate(fh, 1):
            if line.strip():
                yield DocRef(str(path), n, offset)
            offset += len(line)


def read(ref: DocRef) -> tuple[str, str]:
    """``(doc_id, text)`` for a reference; raises :class:`InputError` with the reason."""
    if ref.path == "-":
        data = sys.stdin.buffer.read()
        return "-", _decode(data, "standard input")
    if ref.line == 0:
        try:
            data = Path(ref.path).read_bytes()
        except OSError as exc:
            raise InputError(f"{ref.path}: cannot read ({exc.strerror})") from exc
        return ref.path, _decode(data, ref.path)
    with open(ref.path, "rb") as fh:
        fh.seek(ref.offset)
        line = fh.readline()
    where = f"{ref.path}:{ref.line}"
    try:
        obj = json.loads(_decode(line, where))
    except json.JSONDecodeError as exc:
        raise InputError(f'{where}: invalid JSON ({exc.msg}); each line must be {{"id": ..., "text": ...}}') from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputError(f'{where}: each line must be an object with a string "text" (and an optional "id")')
    return str(obj.get("id", where)), obj["text"]


def iter_documents(inputs: list[str]) -> Iterator[tuple[str, str] | InputError]:
    for ref in iter_refs(inputs):
        if isinstance(ref, InputError):
            yield ref
            continue
        try:
            yield read(ref)
        except InputError as exc:
            yield exc


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: not valid UTF-8 (byte {exc.start}); convert it first, e.g. `iconv -f latin1 -t utf-8`"
        ) from exc
