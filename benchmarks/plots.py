"""PNG plots from ``benchmarks/results/quality.json`` and ``speed.json`` (matplotlib, Agg).

* ``f1_events.png`` — per event type F1 of eventnlp, the keyword coder and TF-IDF + LR
  (test split; second panel: leave-one-story-out CV, all folds pooled, when present);
* ``f1_spans.png`` — per span label F1 of eventnlp, the keyword coder and spaCy small;
* ``confusion_events.png`` — eventnlp's event types on the test split: row = gold type,
  column = predicted type, each cell counts sentences where both occur (multi-label
  co-occurrence), with a ``none`` row (no gold type) and ``none`` column (nothing predicted);
* ``throughput.png`` — eventnlp sentences/s against batch size on CPU, with spaCy small
  and the two transformers pipelines as reference lines.

    python benchmarks/plots.py [--quality Q.json] [--speed S.json] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from _common import RESULTS, read_json  # noqa: E402

from eventnlp.labels import EVENT_LABELS, SPAN_LABELS  # noqa: E402

NAMES = {"eventnlp": "eventnlp", "keyword": "keyword coder", "tfidf": "TF-IDF + LR", "spacy": "spaCy small"}
COLORS = {"eventnlp": "#1f77b4", "keyword": "#ff7f0e", "tfidf": "#2ca02c", "spacy": "#9467bd"}


def _stamp(fig, data: dict) -> None:
    git = data.get("git", {})
    commit = (git.get("commit") or "?")[:10] + ("+dirty" if git.get("dirty") else "")
    fig.text(0.99, 0.005, f"{data.get('date', '?')}  commit {commit}", ha="right", va="bottom", fontsize=7,
             color="grey")


def _per_label_panel(ax, per_system: dict[str, dict], labels, title: str) -> None:
    systems = list(per_system)
    y = np.arange(len(labels))
    h = 0.8 / max(1, len(systems))
    for k, name in enumerate(systems):
        vals = [per_system[name].get(lab, {}).get("f1", 0.0) for lab in labels]
        ax.barh(y + (k - (len(systems) - 1) / 2) * h, vals, height=h, label=NAMES.get(name, name),
                color=COLORS.get(name))
    support = next(iter(per_system.values()))
    ax.set_yticks(y, [f"{lab} ({support.get(lab, {}).get('support', 0)})" for lab in labels], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)


def plot_f1(quality: dict, kind: str, out: Path) -> None:
    key, labels, part = ("events_per_label", EVENT_LABELS, "events") if kind == "events" else (
        "spans_per_label", SPAN_LABELS, "spans")
    test = quality["test"]
    chosen = [n for n, e in test.items() if part in e["predicts"]]
    panels = [("held-out test split", {n: test[n]["scores"][key] for n in chosen})]
    cv = quality.get("cv") or {}
    if cv.get("pooled"):
        pooled = {n: cv["pooled"][n][key] for n in chosen if n in cv["pooled"]}
        panels.append((f"leave-one-story-out CV ({cv.get('n_folds')} folds, pooled)", pooled))
    height = 0.45 * len(labels) + 1.8
    fig, axes = plt.subplots(1, len(panels), figsize=(7.5 * len(panels), height), squeeze=False)
    for ax, (title, per_system) in zip(axes[0], panels):
        _per_label_panel(ax, per_system, labels, title)
    axes[0][0].legend(loc="lower right", fontsize=8)
    fig.suptitle(f"{'Event type' if kind == 'events' else 'Span label'} F1 (support in brackets)", fontsize=11)
    _stamp(fig, quality)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(out, dpi=120)
    plt.close(fig)


def confusion(rows: list[dict], system: str = "eventnlp") -> tuple[list[str], np.ndarray]:
    labels = list(EVENT_LABELS) + ["none"]
    idx = {lab: i for i, lab in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)), dtype=int)
    for row in rows:
        gold = row["gold"] or ["none"]
        pred = row[system] or ["none"]
        for g in gold:
            for p in pred:
                m[idx[g], idx[p]] += 1
    return labels, m


def plot_confusion(quality: dict, out: Path) -> None:
    labels, m = confusion(quality["test_predictions"])
    fig, ax = plt.subplots(figsize=(9, 8))
    shown = np.where(m > 0, m, np.nan)
    ax.imshow(np.log1p(np.nan_to_num(shown)), cmap="Blues")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if m[i, j]:
                ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if i == j and m[i, j] > 3 else "black",
                        fontweight="bold" if i == j else "normal")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted by eventnlp")
    ax.set_ylabel("gold")
    n = len(quality["test_predictions"])
    ax.set_title(f"eventnlp event types on the test split ({n} sentences)\n"
                 "cell = sentences with that gold and that predicted type (multi-label co-occurrence)", fontsize=9)
    _stamp(fig, quality)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(out, dpi=120)
    plt.close(fig)


def plot_throughput(speed: dict, out: Path) -> None:
    ev = speed["eventnlp_cpu"]["by_batch_size"]
    bs = sorted(int(b) for b in ev)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(bs, [ev[str(b)]["sentences_per_s"] for b in bs], "o-", color=COLORS["eventnlp"],
            label="eventnlp tag() (CPU, fp32)")
    ev16 = speed.get("eventnlp_cpu_bf16", {}).get("by_batch_size", {})
    if ev16:
        ax.plot(bs, [ev16[str(b)]["sentences_per_s"] for b in bs], "s--", color=COLORS["eventnlp"],
                label="eventnlp tag(dtype='bfloat16') (CPU)")
    refs = [("spacy_sm", "spaCy small (full pipeline)", "--"), ("spacy_sm_ner_only", "spaCy small (NER only)", ":"),
            ("transformers_two_pipelines", "2 transformers pipelines (batch "
             f"{speed.get('transformers_two_pipelines', {}).get('batch_size', '?')})", "-.")]
    for key, label, style in refs:
        entry = speed.get(key, {})
        if "sentences_per_s" in entry:
            ax.axhline(entry["sentences_per_s"], linestyle=style, color="grey", label=f"{label}")
    ax.set_xscale("log", base=2)
    ax.set_xticks(bs, [str(b) for b in bs])
    ax.set_xlabel("batch size")
    ax.set_ylabel("sentences / s")
    m = speed.get("machine", {})
    ax.set_title(f"Throughput on {speed['text']['sentences']} sentences, CPU "
                 f"({m.get('cpu_count')} cores, "
                 f"{speed['eventnlp_cpu'].get('torch_threads', m.get('torch_threads'))} torch threads)", fontsize=10)
    gpu = speed.get("gpu", {})
    if "fp32" in gpu:
        ax.text(0.02, 0.02, f"GPU {gpu.get('device')}, batch {gpu.get('batch_size')}: "
                f"fp32 {gpu['fp32']['sentences_per_s']:.0f}/s, bf16 {gpu['bf16']['sentences_per_s']:.0f}/s",
                transform=ax.transAxes, fontsize=8)
    top = max([ev[str(b)]["sentences_per_s"] for b in bs] + [r["sentences_per_s"] for r in ev16.values()]
              + [speed.get(k, {}).get("sentences_per_s", 0) for k, _, _ in refs])
    ax.set_ylim(0, top * 1.45)  # room for the legend above the lines
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    _stamp(fig, speed)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quality", default=str(RESULTS / "quality.json"))
    ap.add_argument("--speed", default=str(RESULTS / "speed.json"))
    ap.add_argument("--out-dir", default=str(RESULTS))
    args = ap.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if Path(args.quality).exists():
        q = read_json(Path(args.quality))
        for kind in ("events", "spans"):
            plot_f1(q, kind, out / f"f1_{kind}.png")
            written.append(f"f1_{kind}.png")
        plot_confusion(q, out / "confusion_events.png")
        written.append("confusion_events.png")
    else:
        print(f"no {args.quality}: quality plots skipped", file=sys.stderr)
    if Path(args.speed).exists():
        plot_throughput(read_json(Path(args.speed)), out / "throughput.png")
        written.append("throughput.png")
    else:
        print(f"no {args.speed}: throughput plot skipped", file=sys.stderr)
    print(f"wrote {', '.join(written) or 'nothing'} in {out}")


if __name__ == "__main__":
    main()
