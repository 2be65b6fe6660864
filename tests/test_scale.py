"""Big inputs and interruptions: SIGKILL then --resume, flat memory, sharding over two processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
SENTENCES = [
    "Gunmen killed {n} villagers in Kukawa on Sunday.",
    "Police in Nairobi fired tear gas at protesters demanding lower prices.",
    "Rebels seized the town of Kidal after two days of fighting, the army said.",
]


def make_corpus(path: Path, n: int) -> None:
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"doc{i}", "text": SENTENCES[i % 3].format(n=i % 50 + 2)}) + "\n")


def cli(*args):
    return [sys.executable, "-m", "eventnlp", "tag", *map(str, args), "-q"]


def test_sigkill_then_resume_gives_every_document_once(tiny_model_dir, tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    make_corpus(src, 3000)
    proc = subprocess.Popen(cli(src, "-m", tiny_model_dir, "-o", out, "--docs-per-batch", "16"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = out.read_text().count("\n")
    assert 0 < done_before < 3000, "the kill should land mid-run"
    subprocess.run(cli(src, "-m", tiny_model_dir, "-o", out, "--resume"), check=True, timeout=600)
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == sorted(f"doc{i}" for i in range(3000))
    assert len(ids) == len(set(ids))


def _peak_rss_kb(args) -> int:
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return int(proc.stdout.strip())


def test_memory_stays_flat_as_the_corpus_grows(tiny_model_dir, tmp_path):
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    make_corpus(small, 1000)
    make_corpus(big, 20000)
    rss_small = _peak_rss_kb(cli(small, "-m", tiny_model_dir, "-o", tmp_path / "s.jsonl"))
    rss_big = _peak_rss_kb(cli(big, "-m", tiny_model_dir, "-o", tmp_path / "b.jsonl"))
    assert (tmp_path / "b.jsonl").read_text().count("\n") == 20000
    assert rss_big < rss_small + 60_000, (rss_small, rss_big)  # 20x the documents, < 60 MB more


def test_memory_stays_flat_over_a_directory_of_many_files(tiny_model_dir, tmp_path):
    rss = {}
    for n in (300, 3000):
        folder = tmp_path / f"dir{n}"
        folder.mkdir()
        for i in range(n):
            (folder / f"{i:05d}.txt").write_text(SENTENCES[i % 3].format(n=i % 50 + 2))
        out = tmp_path / f"out{n}.jsonl"
        rss[n] = _peak_rss_kb(cli(folder, "-m", tiny_model_dir, "-o", out))
        ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
        assert ids == [str(folder / f"{i:05d}.txt") for i in range(n)]  # every file, in sorted order
    assert rss[3000] < rss[300] + 30_000, rss  # 10x the files, < 30 MB more


def test_one_megabyte_document_in_bounded_memory(tiny_model_dir, tmp_path):
    code = ("import sys, resource; from eventnlp import tag; "
            "text = ('Rebels seized the town of Kidal after two days of fighting. ' * 17000)[:int(sys.argv[2])]; "
            "r = tag(text, model=sys.argv[1], batch_size=128); "
            "s = r['sentences'][-1]; assert text[s['start']:s['end']] == s['text']; "
            "print(len(r['sentences']), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    rows = {}
    for size in (100_000, 1_000_000):
        proc = subprocess.run([sys.executable, "-c", code, str(tiny_model_dir), str(size)], capture_output=True,
                              text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr[-2000:]
        n_sentences, rss_kb = map(int, proc.stdout.split())
        rows[size] = (n_sentences, rss_kb)
    assert rows[1_000_000][0] >= 16000 and rows[100_000][0] >= 1600  # every sentence comes back
    # 10x the text: the extra memory is the result itself (about 16k sentence dicts), not the model's work
    assert rows[1_000_000][1] - rows[100_000][1] < 200_000, rows


def test_two_processes_split_and_merge_in_input_order(tiny_model_dir, tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    make_corpus(src, 101)
    torchrun = shutil.which("torchrun") or str(Path(sys.executable).with_name("torchrun"))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([torchrun, "--nproc_per_node", "2", "--master_port", "29541", "-m", "eventnlp", "tag",
                           str(src), "-m", str(tiny_model_dir), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == [f"doc{i}" for i in range(101)]
    assert not list(tmp_path.glob("out.jsonl.part*"))
    single = tmp_path / "single.jsonl"
    subprocess.run(cli(src, "-m", tiny_model_dir, "-o", single), check=True, timeout=600)
    assert out.read_text() == single.read_text()
