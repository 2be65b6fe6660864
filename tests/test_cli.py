"""Every CLI verb and output format, plus the input errors a user can cause."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from eventnlp.cli import main
from eventnlp.export import ACLED_COLUMNS, CSV_COLUMNS

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture()
def docs(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text("Gunmen killed 11 villagers in Kukawa on Sunday.\n\nPolice arrested two men.")
    (d / "b.txt").write_text((RAW / "000_45b78844b752bfd0.txt").read_text(encoding="utf-8"))
    return d


def run_tag(*args):
    return main(["tag", *map(str, args), "-q"])


def test_tag_jsonl(tiny_model_dir, docs, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_tag(docs / "a.txt", docs / "b.txt", "-m", tiny_model_dir, "-o", out) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [str(docs / "a.txt"), str(docs / "b.txt")]
    for r in rows:
        for s in r["sentences"]:
            assert r["text"][s["start"]:s["end"]] == s["text"]


def test_tag_csv_parses_back(tiny_model_dir, docs, tmp_path):
    out = tmp_path / "out.csv"
    assert run_tag(docs, "-m", tiny_model_dir, "-f", "csv", "-o", out, "--threshold", "0.0") == 0
    df = pd.read_csv(out)
    assert list(df.columns) == CSV_COLUMNS
    assert set(df["id"]) == {str(docs / "a.txt"), str(docs / "b.txt")}
    assert (df["events"].str.count(";") == 15).all()  # threshold 0: all 16 types


def test_tag_acled_parses_back(tiny_model_dir, docs, tmp_path):
    out = tmp_path / "out.csv"
    assert run_tag(docs / "a.txt", "-m", tiny_model_dir, "-f", "acled", "-o", out, "--threshold", "0.0") == 0
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ACLED_COLUMNS
    assert len(rows) == 2 * 16  # two sentences, every event type at threshold 0
    assert {r["event_type"] for r in rows} >= {"Battles", "Violence against civilians", "Protests"}
    assert all(r["fatalities"].isdigit() and r["source"] == str(docs / "a.txt") for r in rows)


def test_tag_stdin_and_jsonl_input(tiny_model_dir, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "n1", "text": "Rebels seized Kidal."}) + "\n"
                   + json.dumps({"text": "No id here."}) + "\n")
    proc = subprocess.run([sys.executable, "-m", "eventnlp", "tag", "-", str(src), "-m", str(tiny_model_dir)],
                          input=b"Troops shelled the town.", capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    ids = [json.loads(line)["id"] for line in proc.stdout.decode().splitlines()]
    assert ids == ["-", "n1", f"{src}:2"]


@pytest.mark.parametrize("case", ["missing", "invalid_utf8", "empty_dir", "bad_jsonl"])
def test_tag_input_errors_are_clear(tiny_model_dir, tmp_path, case, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Troops shelled the town.")
    if case == "missing":
        bad, msg = tmp_path / "nope.txt", "no such file or directory"
    elif case == "invalid_utf8":
        bad, msg = tmp_path / "latin.txt", "not valid UTF-8"
        bad.write_bytes("Caf\xe9 bombed".encode("latin-1"))
    elif case == "empty_dir":
        bad, msg = tmp_path / "emptydir", "has no .txt or .jsonl files"
        bad.mkdir()
    else:
        bad, msg = tmp_path / "x.jsonl", "invalid JSON"
        bad.write_text("{not json\n")
    out = tmp_path / "out.jsonl"
    assert run_tag(bad, good, "-m", tiny_model_dir, "-o", out) == 1
    assert msg in capsys.readouterr().err
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [str(good)]  # the rest still done


def test_tag_empty_file(tiny_model_dir, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "o.jsonl"
    assert run_tag(empty, "-m", tiny_model_dir, "-o", out) == 0
    assert json.loads(out.read_text())["sentences"] == []


def test_tag_bad_options(tiny_model_dir, tmp_path, capsys):
    assert run_tag(tmp_path, "-m", tiny_model_dir, "-f", "xml") == 2
    assert "unknown format" in capsys.readouterr().err
    assert run_tag(tmp_path, "-m", tiny_model_dir, "--resume") == 2
    assert run_tag(tmp_path, "-m", tmp_path / "no-model") == 2
    assert "cannot load" in capsys.readouterr().err


def test_resume_skips_done_documents(tiny_model_dir, docs, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_tag(docs / "a.txt", "-m", tiny_model_dir, "-o", out) == 0
    with out.open("a") as fh:
        fh.write('{"id": "half-writ')  # what a kill mid-write leaves
    assert run_tag(docs, "-m", tiny_model_dir, "-o", out, "--resume") == 0
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == [str(docs / "a.txt"), str(docs / "b.txt")]


def test_resume_csv_redoes_the_last_document(tiny_model_dir, docs, tmp_path):
    out = tmp_path / "out.csv"
    assert run_tag(docs / "a.txt", docs / "b.txt", "-m", tiny_model_dir, "-f", "csv", "-o", out) == 0
    full = out.read_text()
    lines = full.splitlines(keepends=True)
    out.write_text("".join(lines[:-3]))  # lose the last rows of b.txt
    assert run_tag(docs / "a.txt", docs / "b.txt", "-m", tiny_model_dir, "-f", "csv", "-o", out, "--resume") == 0
    assert out.read_text() == full


def test_evaluate_verb(tiny_model_dir, capsys):
    assert main(["evaluate", "-m", str(tiny_model_dir), "--split", "test"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["n_sentences"] >= 80 and 0 <= scores["event_micro_f1"] <= 1
    assert set(scores["spans_per_label"]) == {"AGENT", "TARGET", "KILLED", "INJURED", "LOCATION"}
    assert main(["evaluate", "-m", str(tiny_model_dir), "--split", "dev", "--dtype", "bfloat16"]) == 0
    assert json.loads(capsys.readouterr().out)["n_sentences"] > 200


def test_push_uploads_folder_in_one_commit(tiny_model_dir, tmp_path, monkeypatch):
    import huggingface_hub

    calls = {}

    class FakeApi:
        def __init__(self, token=None):
            calls["token"] = token

        def create_repo(self, repo_id, private=False, exist_ok=False):
            calls["create"] = (repo_id, private)

        def upload_folder(self, folder_path, repo_id, commit_message):
            calls["files"] = sorted(p.name for p in Path(folder_path).iterdir())
            card = Path(folder_path) / "README.md"
            calls["card"] = card.read_text() if card.exists() else ""
            return type("Info", (), {"commit_url": f"https://hub/{repo_id}/commit/1"})()

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    folder = tmp_path / "to-push"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "README.md").write_text(f"model your-org/{folder.name}\n")
    (folder / "pytorch_model.bin").write_bytes(b"pickle")  # a stray pickle is never uploaded
    (folder / "checkpoints" / "checkpoint-5").mkdir(parents=True)
    assert main(["push", "--repo-id", "acme/eventnlp-test", "-m", str(folder), "--private"]) == 0
    assert calls["create"] == ("acme/eventnlp-test", True)
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md"} <= set(calls["files"])
    assert "pytorch_model.bin" not in calls["files"] and "checkpoints" not in calls["files"]
    assert "acme/eventnlp-test" in calls["card"]
    assert main(["push", "--repo-id", "no-slash", "-m", str(folder)]) == 2


def test_help_for_every_verb():
    for verb in ("validate", "anchor", "tag", "train", "evaluate", "push", "demo"):
        proc = subprocess.run([sys.executable, "-m", "eventnlp", verb, "--help"], capture_output=True, timeout=60)
        assert proc.returncode == 0 and b"usage: eventnlp" in proc.stdout


def test_demo_prints_events(tiny_model_dir, capsys):
    assert main(["demo", str(RAW / "001_eb3dbf8cce4fb612.txt"), "-m", str(tiny_model_dir)]) == 0
    out = capsys.readouterr().out
    assert "sentences tagged in" in out


def test_format_result_is_readable():
    from eventnlp.demo import format_result

    text = "Gunmen killed 11 villagers in Kukawa."
    res = {"text": text, "sentences": [{"text": text, "start": 0, "end": len(text),
           "events": [{"label": "ATTACK_ON_CIVILIANS", "score": 0.91}],
           "actors": [{"text": "Gunmen", "start": 0, "end": 6, "role": "agent", "score": 0.9}],
           "casualties": [{"text": "11 villagers", "start": 14, "end": 26, "kind": "killed", "count": 11, "min": 11,
                           "max": 11, "approximate": False, "score": 0.9}],
           "locations": [{"text": "Kukawa", "start": 30, "end": 36, "score": 0.9}], "truncated": False}]}
    shown = format_result(res)
    assert "ATTACK_ON_CIVILIANS 0.91" in shown and "who:    Gunmen" in shown and "killed  11" in shown
    assert "where:  Kukawa" in shown
    io.StringIO(shown)
