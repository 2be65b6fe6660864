"""Regenerate the README section between ``<!-- bench:start -->`` and ``<!-- bench:end -->``.

Every figure in that section comes from ``benchmarks/results/quality.json`` and
``speed.json``; nothing is typed by hand, so the README matches the results files.

    python benchmarks/readme_table.py           # rewrite the section in README.md
    python benchmarks/readme_table.py --check   # exit 1 if README.md differs from the JSON
    python benchmarks/readme_table.py --print   # print the section only
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS, ROOT, read_json  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SYSTEMS = [("eventnlp", "eventnlp"), ("keyword", "keyword coder"), ("tfidf", "TF-IDF + LR"),
           ("spacy", "spaCy small")]
SPAN_LABELS = ("AGENT", "TARGET", "KILLED", "INJURED", "LOCATION")
# metric key, row name, which part of the output a system must predict for the figure to mean anything
ROWS = [("event_micro_f1", "event type micro-F1", "events"), ("event_macro_f1", "event type macro-F1", "events"),
        ("span_f1", "span F1 (all labels, exact match)", "spans")]
ROWS += [(f"span_f1_{lab}", f"span F1 {lab}", "casualties" if lab in ("KILLED", "INJURED") else "spans")
         for lab in SPAN_LABELS]
ROWS += [("casualty_count_accuracy", "casualty count accuracy", "casualties")]


def _f(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _commit(data: dict) -> str:
    git = data.get("git", {})
    c = (git.get("commit") or "unknown")[:10]
    return c + (" (uncommitted changes)" if git.get("dirty") else "")


def _machine(data: dict) -> str:
    m = data.get("machine", {})
    s = f"{m.get('cpu_count')}-core {m.get('cpu_model') or m.get('processor')}, torch {m.get('torch')}"
    if m.get("gpu"):
        s += f", {m['gpu']}"
    return s


def _test_value(entry: dict, key: str) -> float | None:
    s = entry["scores"]
    if key.startswith("span_f1_"):
        return s["spans_per_label"][key[len("span_f1_"):]]["f1"]
    return s[key]


def quality_section(q: dict[str, Any]) -> list[str]:
    test = q["test"]
    present = [(k, name) for k, name in SYSTEMS if k in test]
    predicts = {k: set(test[k]["predicts"]) for k, _ in present}
    cv = q.get("cv") or {}
    has_cv = bool(cv.get("mean_std"))
    sizes = q["data"]["sizes"]
    out = [
        f"**Quality** — `benchmarks/results/quality.json` ({q['date'][:10]}, commit {_commit(q)}, {_machine(q)}). "
        f"*test*: the held-out split, {sizes['test']} sentences of {len(q['data']['test_stories'])} real seed "
        "stories never used for training or tuning.",
    ]
    if has_cv:
        partial = "" if cv.get("complete") else f" — partial: {cv['n_folds']} of {len(cv['stories'])} folds done"
        epochs = cv["train_config"].get("num_train_epochs")
        out[-1] += (f" *CV*: leave-one-story-out over {cv['n_folds']} seed stories (eventnlp retrained each fold "
                    f"on authored + the other seed stories, at most {epochs:g} epoch(s)), mean ± std over folds "
                    f"(a fold without gold spans of a label does not count for that label){partial}.")
    out += ["", "| split | metric | " + " | ".join(name for _, name in present) + " |",
            "|---|---|" + "---:|" * len(present)]
    groups = [("test", lambda k, key: _test_value(test[k], key))]
    if has_cv:
        groups.append(("CV", None))
    for split, getter in groups:
        for key, label, part in ROWS:
            cells, vals = [], {}
            for k, _ in present:
                if part not in predicts[k]:
                    cells.append("–")
                    continue
                if split == "test":
                    v = getter(k, key)
                    vals[k] = v
                    cells.append(_f(v))
                else:
                    st = cv["mean_std"].get(k, {}).get(key)
                    if not st or st["mean"] is None:
                        cells.append("n/a")
                        continue
                    vals[k] = st["mean"]
                    cells.append(f"{_f(st['mean'])} ± {_f(st['std'])}")
            best = max((v for v in vals.values() if v is not None), default=None)
            if best is not None and len(vals) > 1:
                cells = [f"**{c}**" if c not in ("–", "n/a") and vals.get(k) == best else c
                         for c, (k, _) in zip(cells, present)]
            out.append(f"| {split} | {label} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("– = the system does not predict this; best of each row in bold. "
               "Casualty count accuracy: share of gold KILLED/INJURED figures reproduced exactly.")
    out += [""] + goals_lines(q)
    return out


def goals_lines(q: dict[str, Any]) -> list[str]:
    g = q.get("goals") or {}
    if not g:
        return []
    names = {"event_micro_f1": "event micro-F1", "span_f1": "span F1", "casualty_count_accuracy": "casualty accuracy"}
    parts = [f"{names[m]} {_f(v['value'])} (goal ≥ {v['target']:.2f}: {'met' if v['met'] else 'not met'})"
             for m, v in g.get("on_test", {}).items()]
    lines = ["Goals on the test split: " + "; ".join(parts) + "."]
    for where, res in g.get("beats_every_baseline", {}).items():
        losses = [k for k, v in res["comparisons"].items() if not v["beats"]]
        label = "test" if where == "test" else "CV mean"
        if res["all"]:
            lines.append(f"eventnlp beats every baseline on every headline metric ({label}).")
        elif res["all"] is not None:
            lines.append(f"eventnlp does not beat every baseline ({label}): not ahead on "
                         + ", ".join(_comparison(k) for k in losses) + ".")
    return [" ".join(lines)]


def _comparison(key: str) -> str:
    metric, other = key.split(" vs ")
    names = dict(SYSTEMS)
    metric = {"event_micro_f1": "event micro-F1", "event_macro_f1": "event macro-F1", "span_f1": "span F1",
              "casualty_count_accuracy": "casualty accuracy"}.get(metric, metric)
    return f"{metric} vs {names.get(other, other)}"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds:.0f} s ({seconds / 60:.0f} min)"
    return f"{seconds:.0f} s ({seconds / 3600:.1f} h)"


def speed_section(s: dict[str, Any]) -> list[str]:
    ev = s["eventnlp_cpu"]
    r = s.get("ratios", {})
    out = [
        f"**Speed** — `benchmarks/results/speed.json` ({s['date'][:10]}, commit {_commit(s)}, {_machine(s)}, "
        f"{ev.get('torch_threads', s['machine'].get('torch_threads'))} torch threads): "
        f"{s['text']['sentences']} sentences / "
        f"{s['text']['words']} words (the seed articles repeated), one run, model loading excluded, sentence "
        "splitting included; each system in its own process.",
        "",
        "| system | batch | sentences/s | words/s | peak RSS (MiB) | eventnlp (batch "
        f"{r.get('eventnlp_batch_size', '?')}) ÷ system |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    variants = [(ev, "eventnlp `tag()` CPU fp32")]
    if s.get("eventnlp_cpu_bf16", {}).get("by_batch_size"):
        variants.append((s["eventnlp_cpu_bf16"], "eventnlp `tag(dtype=\"bfloat16\")` CPU"))
    for entry, name in variants:
        for b, row in sorted(entry["by_batch_size"].items(), key=lambda kv: int(kv[0])):
            out.append(f"| {name} | {b} | {row['sentences_per_s']:.1f} | {row['words_per_s']:.0f} | "
                       f"{entry['peak_rss_mib']:.0f} | |")
    refs = [("spacy_sm", "spaCy small, full pipeline (`nlp.pipe`)"), ("spacy_sm_ner_only", "spaCy small, NER only"),
            ("transformers_two_pipelines", "2 transformers pipelines (text- + token-classification, MiniLM size)")]
    for key, name in refs:
        e = s.get(key, {})
        if "sentences_per_s" in e:
            ratio = r.get(f"eventnlp_vs_{key}")
            out.append(f"| {name} | {e.get('batch_size', 'default')} | {e['sentences_per_s']:.1f} | "
                       f"{e['words_per_s']:.0f} | {e['peak_rss_mib']:.0f} | "
                       f"{'' if ratio is None else f'{ratio:.2f}×'} |")
        elif "skipped" in e:
            out.append(f"| {name} | | skipped | | | |")
    out.append("")
    g = s.get("growth", {})
    if g.get("points"):
        pts = ", ".join(f"{p['sentences']:,} sentences {_duration(p['seconds'])}"
                        + ("" if p["measured"] else " (extrapolated, not measured)") for p in g["points"])
        out.append(f"Cost growth (eventnlp, CPU, batch {g['batch_size']}): {pts}; "
                   f"peak RSS {g['peak_rss_mib']:.0f} MiB.")
    gpu = s.get("gpu", {})
    if "fp32" in gpu:
        out.append(f"GPU ({gpu['device']}, batch {gpu['batch_size']}, {gpu['text']['sentences']:,} sentences): "
                   f"fp32 {gpu['fp32']['sentences_per_s']:,.0f} sentences/s, "
                   f"bf16 {gpu['bf16']['sentences_per_s']:,.0f} sentences/s.")
    else:
        out.append(f"GPU: {gpu.get('skipped', 'not measured')}.")
    goal, goal16 = r.get("eventnlp_vs_spacy_sm"), r.get("eventnlp_bf16_vs_spacy_sm")
    if goal is not None:
        line = f"Goal ≥ 1.5× spaCy small on CPU: fp32 {goal:.2f}× ({'met' if goal >= 1.5 else 'not met'})"
        if goal16 is not None:
            cap = s["eventnlp_cpu_bf16"].get("cpu_capability")
            line += f", bf16 {goal16:.2f}× ({'met' if goal16 >= 1.5 else 'not met'}; this CPU: {cap})"
        out.append(line + f", both at batch {r.get('eventnlp_batch_size')}.")
    return out


def section(quality: Path, speed: Path) -> str:
    lines: list[str] = ["<!-- generated by benchmarks/readme_table.py from benchmarks/results/*.json; "
                        "do not edit by hand -->", ""]
    if quality.exists():
        lines += quality_section(read_json(quality)) + [""]
    else:
        lines += ["(no quality results yet: run `bash benchmarks/run_all.sh`)", ""]
    if speed.exists():
        lines += speed_section(read_json(speed)) + [""]
    else:
        lines += ["(no speed results yet: run `bash benchmarks/run_all.sh`)", ""]
    lines.append("Plots: [per-label F1, events](benchmarks/results/f1_events.png), "
                 "[per-label F1, spans](benchmarks/results/f1_spans.png), "
                 "[event-type confusion matrix](benchmarks/results/confusion_events.png), "
                 "[throughput vs batch size](benchmarks/results/throughput.png). "
                 "What each figure means and how to rerun: [benchmarks/README.md](benchmarks/README.md).")
    return "\n".join(lines)


def replace_section(readme: str, body: str) -> str:
    if readme.count(START) != 1 or readme.count(END) != 1 or readme.index(START) > readme.index(END):
        raise SystemExit(f"README.md must hold exactly one {START} ... {END} pair")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{body}\n{END}{tail}"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quality", default=str(RESULTS / "quality.json"))
    ap.add_argument("--speed", default=str(RESULTS / "speed.json"))
    ap.add_argument("--readme", default=str(ROOT / "README.md"))
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if the README section is not up to date")
    mode.add_argument("--print", action="store_true", help="print the section, change nothing")
    args = ap.parse_args(argv)
    body = section(Path(args.quality), Path(args.speed))
    if args.print:
        print(body)
        return
    readme = Path(args.readme)
    old = readme.read_text(encoding="utf-8")
    new = replace_section(old, body)
    if args.check:
        if new != old:
            print(f"{readme}: the bench section does not match the results files; run benchmarks/readme_table.py",
                  file=sys.stderr)
            sys.exit(1)
        print(f"{readme}: bench section matches the results files")
        return
    if new != old:
        readme.write_text(new, encoding="utf-8")
    print(f"{readme}: bench section {'updated' if new != old else 'already up to date'}")


if __name__ == "__main__":
    main()
