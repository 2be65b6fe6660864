"""Quality of eventnlp against three baselines, on held-out real news.

1. The ``test`` split (whole seed stories never used for training or tuning): eventnlp
   (the model from ``--model``) and the keyword coder, TF-IDF + logistic regression
   (fitted on ``train``, thresholds tuned on ``dev``) and spaCy small baselines.
2. Leave-one-story-out cross-validation over every seed story: for each held-out story,
   eventnlp is trained from the base encoder on authored + the other seed stories (a temp
   folder with a ``splits.json`` whose ``test`` is the held-out story and ``dev`` is
   empty, so dev is the usual hashed 10% of the authored sentences), the TF-IDF baseline
   is fitted on the same training sentences, and every system is scored on the held-out
   story. Folds are cached in ``benchmarks/.cache/cv/`` so an interrupted run resumes.

Every score comes from ``eventnlp.evaluation.score_predictions``, the metric code of
``eventnlp evaluate``. Writes ``benchmarks/results/quality.json``.

    python benchmarks/quality.py                       # everything (CV: hours on 2 CPU cores)
    python benchmarks/quality.py --cv-folds 2 --cv-epochs 1 --output /tmp/q.json   # quick check
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, RESULTS, ROOT, header, read_json, write_json  # noqa: E402
from baselines import KeywordCoder, SpacyBaseline, TfidfEventBaseline  # noqa: E402

HEADLINE = ("event_micro_f1", "event_macro_f1", "span_f1", "casualty_count_accuracy")
GOALS = {"event_micro_f1": 0.80, "span_f1": 0.75, "casualty_count_accuracy": 0.90}
# Which headline metrics each system can be compared on (a system that predicts no spans
# is not "beaten" on span F1; its zero is shown as "–" in the README).
METRICS_OF = {"events": ("event_micro_f1", "event_macro_f1"), "spans": ("span_f1",),
              "casualties": ("casualty_count_accuracy",)}
EVENTNLP_PREDICTS = ("events", "spans", "casualties")
CACHE_VERSION = 1
SYSTEMS = {
    "eventnlp": "eventnlp's pipeline (EventPipeline.predict_sentences) with the model's dev-tuned thresholds",
    "keyword": "benchmarks/baselines.py KeywordCoder: PETRARCH-style lexicons and patterns, no training",
    "tfidf": "benchmarks/baselines.py TfidfEventBaseline: TF-IDF 1-2-grams + one-vs-rest logistic regression, "
             "fitted on train, per-label thresholds tuned on dev; events only",
    "spacy": "benchmarks/baselines.py SpacyBaseline: spaCy small NER, PERSON/ORG/NORP/GPE -> AGENT, "
             "LOC/FAC (and GPE after in/near/at) -> LOCATION; spans only",
}


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(ROOT / "models" / "eventnlp-minilm"),
                    help="eventnlp model folder scored on the test split (default models/eventnlp-minilm)")
    ap.add_argument("--data", default=str(ROOT / "data" / "annotations"), help="annotations folder")
    ap.add_argument("--train-config", default=str(ROOT / "training" / "configs" / "cpu.yaml"),
                    help="training config of the CV folds (default training/configs/cpu.yaml)")
    ap.add_argument("--cv-folds", type=int, default=None,
                    help="number of held-out seed stories (sorted by doc_id); 0 skips the CV; default: all")
    ap.add_argument("--cv-stories", nargs="*", default=None, help="explicit doc_ids to hold out (overrides --cv-folds)")
    ap.add_argument("--cv-epochs", type=float, default=None,
                    help="epochs per CV fold (default: num_train_epochs of --train-config; early stopping applies)")
    ap.add_argument("--cv-max-train-samples", type=int, default=None, help="cap training sentences (smoke tests)")
    ap.add_argument("--no-cache", action="store_true", help="retrain every CV fold even if a cached result matches")
    ap.add_argument("--batch-size", type=int, default=64, help="eventnlp inference batch size")
    ap.add_argument("--no-spacy", action="store_true", help="leave out the spaCy baseline")
    ap.add_argument("--output", default=str(RESULTS / "quality.json"))
    return ap.parse_args(argv)


# ---------------------------------------------------------------------------- helpers


def _score(gold: list[dict], predicted: list[dict]) -> dict[str, Any]:
    from eventnlp.evaluation import score_predictions
    from eventnlp.labels import EVENT_LABELS, SPAN_LABELS

    return score_predictions(gold, predicted, EVENT_LABELS, SPAN_LABELS)


def _system_entry(name: str, predicts, gold, predicted, seconds: float, **extra) -> dict[str, Any]:
    return {"system": name, "predicts": list(predicts), "scores": _score(gold, predicted),
            "runtime_s": round(seconds, 3), **extra}


def _timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def _records_hash(records: list[dict]) -> str:
    blob = json.dumps(sorted(records, key=lambda r: r["id"]), sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()


def _file_hash(*paths: Path) -> str:
    h = hashlib.sha1()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def _model_info(path: Path) -> dict[str, Any]:
    info: dict[str, Any] = {"path": str(path)}
    results = path / "eval_results.json"
    if results.exists():
        ev = read_json(results)
        info["training"] = {k: ev.get(k) for k in ("train_runtime_s", "device", "sizes", "thresholds", "config")}
        info["training"]["epochs_run"] = max((h.get("epoch", 0) for h in ev.get("log_history", [])), default=None)
    cfg = path / "config.json"
    if cfg.exists():
        c = read_json(cfg)
        info["encoder"] = c.get("encoder", {}).get("_name_or_path") or c.get("encoder", {}).get("model_type")
        info["eventnlp_version"] = c.get("eventnlp_version")
    return info


def compact_predictions(records: list[dict], systems: dict[str, list[dict]]) -> list[dict]:
    """Per sentence: id, gold events, each system's predicted events (for the confusion-matrix plot)."""
    rows = []
    for i, rec in enumerate(records):
        row = {"id": rec["id"], "doc_id": rec["doc_id"], "gold": list(rec["events"])}
        for name, preds in systems.items():
            row[name] = [e["label"] for e in preds[i]["events"]]
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------- test split


def run_test(args, parts: dict[str, list[dict]], spacy_nlp) -> tuple[dict[str, Any], list[dict]]:
    from eventnlp.inference import EventPipeline
    from eventnlp.modeling import ModelLoadError

    test = parts["test"]
    texts = [r["text"] for r in test]
    systems: dict[str, Any] = {}
    preds: dict[str, list[dict]] = {}

    model = Path(args.model)
    try:
        pipe = EventPipeline.load(model, device="cpu")
    except (ModelLoadError, OSError) as exc:
        raise SystemExit(f"cannot load the eventnlp model at {model}: {exc}\n"
                         "train it first: eventnlp train --config training/configs/cpu.yaml") from exc
    preds["eventnlp"], t = _timed(pipe.predict_sentences, texts, args.batch_size)
    systems["eventnlp"] = _system_entry("eventnlp", EVENTNLP_PREDICTS, test, preds["eventnlp"], t,
                                        model=_model_info(model))

    kw = KeywordCoder()
    preds["keyword"], t = _timed(kw.predict_sentences, texts)
    systems["keyword"] = _system_entry("keyword", kw.predicts, test, preds["keyword"], t)

    tf, t_fit = _timed(TfidfEventBaseline().fit, parts["train"], parts["dev"])
    preds["tfidf"], t = _timed(tf.predict_sentences, texts)
    systems["tfidf"] = _system_entry("tfidf", tf.predicts, test, preds["tfidf"], t, fit_s=round(t_fit, 3),
                                     params=tf.params, thresholds=tf.thresholds)

    if spacy_nlp is not None:
        sp = SpacyBaseline(spacy_nlp)
        preds["spacy"], t = _timed(sp.predict_sentences, texts)
        systems["spacy"] = _system_entry("spacy", sp.predicts, test, preds["spacy"], t, pipeline=sp.version)

    return systems, compact_predictions(test, {k: v for k, v in preds.items() if k != "spacy"})


# ---------------------------------------------------------------------------- cross-validation


def cv_config(args):
    from eventnlp.trainer import TrainConfig

    cfg = TrainConfig.from_yaml(args.train_config)
    if args.cv_epochs is not None:
        cfg.num_train_epochs = args.cv_epochs
    if args.cv_max_train_samples:
        cfg.max_train_samples = args.cv_max_train_samples
    cfg.extra_args = {**cfg.extra_args, "disable_tqdm": True}
    return cfg


def run_fold(story: str, records: list[dict], splits: dict[str, Any], cfg_template, spacy_nlp,
             batch_size: int) -> dict[str, Any]:
    """Train on everything but ``story`` (authored + other seed stories), score on ``story``."""
    from eventnlp.data import split_records
    from eventnlp.inference import EventPipeline
    from eventnlp.trainer import train

    held = [r for r in records if r["doc_id"] == story]
    rest = [r for r in records if r["doc_id"] != story]
    fold_splits = {"test": [story], "dev": [], "dev_fraction": splits.get("dev_fraction", 0.1)}
    texts = [r["text"] for r in held]
    tmp = Path(tempfile.mkdtemp(prefix="eventnlp-cv-"))
    try:
        data = tmp / "annotations"
        data.mkdir()
        with open(data / "corpus.jsonl", "w", encoding="utf-8") as fh:
            for rec in rest:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        (data / "splits.json").write_text(json.dumps(fold_splits, indent=2), encoding="utf-8")
        cfg = dataclasses.replace(cfg_template, data=str(data), output_dir=str(tmp / "model"))
        fold_parts = split_records(rest, fold_splits)

        t = time.perf_counter()
        summary = train(cfg)
        train_s = time.perf_counter() - t
        pipe = EventPipeline.load(tmp / "model", device="cpu")
        preds = {"eventnlp": pipe.predict_sentences(texts, batch_size)}
        epochs = max((h.get("epoch", 0) for h in summary.get("log_history", [])), default=None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    train_part = fold_parts["train"][: cfg.max_train_samples] if cfg.max_train_samples else fold_parts["train"]
    tf = TfidfEventBaseline().fit(train_part, fold_parts["dev"])
    preds["tfidf"] = tf.predict_sentences(texts)
    preds["keyword"] = KeywordCoder().predict_sentences(texts)
    if spacy_nlp is not None:
        preds["spacy"] = SpacyBaseline(spacy_nlp).predict_sentences(texts)
    return {
        "story": story,
        "n_sentences": len(held),
        "train_sizes": {k: len(v) for k, v in fold_parts.items() if k != "test"},
        "eventnlp_train_s": round(train_s, 1),
        "eventnlp_epochs_run": epochs,
        "scores": {name: _score(held, p) for name, p in preds.items()},
        "predictions": preds,
    }


def _fold_key(story: str, records: list[dict], cfg, spacy_used: bool) -> str:
    blob = json.dumps({
        "v": CACHE_VERSION,
        "story": story,
        "records": _records_hash(records),
        "config": {k: v for k, v in dataclasses.asdict(cfg).items() if k not in ("data", "output_dir")},
        "code": _file_hash(Path(__file__).with_name("baselines.py"),
                           *sorted((ROOT / "src" / "eventnlp").rglob("*.py"))),
        "spacy": spacy_used,
    }, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


def _fold_metrics(scores: dict[str, Any]) -> dict[str, float | None]:
    """Flat per-fold figures; None where the held-out story gives no basis (no gold casualty / span of a label)."""
    out: dict[str, float | None] = {
        "event_micro_f1": scores["event_micro_f1"],
        "event_macro_f1": scores["event_macro_f1"],
        "span_f1": scores["span_f1"],
        "casualty_count_accuracy": scores["casualty_count_accuracy"] if scores["n_casualty_spans"] else None,
    }
    for label, s in scores["spans_per_label"].items():
        out[f"span_f1_{label}"] = s["f1"] if s["support"] else None
    return out


def _summary(values: list[float | None]) -> dict[str, Any]:
    vals = [v for v in values if v is not None]
    if not vals:
        return {"mean": None, "std": None, "min": None, "max": None, "n_folds": 0}
    return {
        "mean": statistics.fmean(vals),
        "std": statistics.stdev(vals) if len(vals) > 1 else 0.0,
        "min": min(vals),
        "max": max(vals),
        "n_folds": len(vals),
    }


def aggregate(folds: list[dict], records_by_story: dict[str, list[dict]]) -> dict[str, Any]:
    systems = sorted({s for f in folds for s in f["scores"]})
    out: dict[str, Any] = {"mean_std": {}, "pooled": {}}
    for name in systems:
        rows = [_fold_metrics(f["scores"][name]) for f in folds if name in f["scores"]]
        keys = list(rows[0]) if rows else []
        out["mean_std"][name] = {k: _summary([r[k] for r in rows]) for k in keys}
        gold = [r for f in folds for r in records_by_story[f["story"]]]
        pred = [p for f in folds for p in f["predictions"][name]]
        out["pooled"][name] = _score(gold, pred)
    return out


def run_cv(args, records: list[dict], splits: dict[str, Any], spacy_nlp, write_partial) -> dict[str, Any] | None:
    stories = sorted({r["doc_id"] for r in records if r["source"] == "seed"})
    if args.cv_stories:
        unknown = sorted(set(args.cv_stories) - set(stories))
        if unknown:
            raise SystemExit(f"--cv-stories: not seed stories: {', '.join(unknown)}")
        stories = [s for s in stories if s in args.cv_stories]
    elif args.cv_folds is not None:
        stories = stories[: args.cv_folds]
    if not stories:
        return None
    cfg = cv_config(args)
    cache_dir = CACHE / "cv"
    cache_dir.mkdir(parents=True, exist_ok=True)
    by_story = {s: [r for r in records if r["doc_id"] == s] for s in stories}
    folds: list[dict] = []
    started = time.perf_counter()
    for n, story in enumerate(stories, 1):
        key = _fold_key(story, records, cfg, spacy_nlp is not None)
        cached = cache_dir / f"{key}.json"
        if cached.exists() and not args.no_cache:
            fold = read_json(cached)
            fold["from_cache"] = True
            print(f"[cv {n}/{len(stories)}] {story}: cached ({cached.name})", flush=True)
        else:
            print(f"[cv {n}/{len(stories)}] {story}: training eventnlp without it "
                  f"({cfg.num_train_epochs} epochs max) ...", flush=True)
            fold = run_fold(story, records, splits, cfg, spacy_nlp, args.batch_size)
            write_json(cached, fold)
            fold["from_cache"] = False
        s = fold["scores"]
        print(f"[cv {n}/{len(stories)}] {story}: " + ", ".join(
            f"{name} ev-micro={s[name]['event_micro_f1']:.3f} span={s[name]['span_f1']:.3f}" for name in s), flush=True)
        folds.append(fold)
        write_partial(_cv_result(folds, by_story, cfg, stories, started, complete=False))
    return _cv_result(folds, by_story, cfg, stories, started, complete=True)


def _cv_result(folds, by_story, cfg, stories, started, complete: bool) -> dict[str, Any]:
    return {
        "complete": complete,
        "stories": stories,
        "n_folds": len(folds),
        "std": "sample standard deviation over folds (ddof=1)",
        "note": ("mean_std averages per-fold scores; a fold whose held-out story has no gold casualty span "
                 "(or no gold span of a label) is left out of that figure's mean (n_folds says how many count). "
                 "pooled scores all held-out sentences of all folds at once."),
        "train_config": dataclasses.asdict(cfg),
        "runtime_s": round(time.perf_counter() - started, 1),
        **aggregate(folds, by_story),
        "folds": [{k: v for k, v in f.items() if k != "predictions"} | {"metrics": {
            name: _fold_metrics(sc) for name, sc in f["scores"].items()}} for f in folds],
    }


# ---------------------------------------------------------------------------- goals


def goals(test: dict[str, Any], cv: dict[str, Any] | None) -> dict[str, Any]:
    """The targets of issue 5, checked against the figures of this run."""
    out: dict[str, Any] = {"targets": GOALS, "on_test": {}, "beats_every_baseline": {}}
    ours = test["eventnlp"]["scores"]
    for metric, target in GOALS.items():
        out["on_test"][metric] = {"value": ours[metric], "target": target, "met": ours[metric] >= target}
    if cv and cv.get("pooled", {}).get("eventnlp"):
        pooled = cv["pooled"]["eventnlp"]
        out["on_cv_pooled"] = {m: {"value": pooled[m], "target": t, "met": pooled[m] >= t} for m, t in GOALS.items()}

    def compare(where: str, get) -> dict[str, Any]:
        res = {}
        for name, entry in test.items():
            if name == "eventnlp":
                continue
            for part in entry["predicts"]:
                for metric in METRICS_OF[part]:
                    a, b = get("eventnlp", metric), get(name, metric)
                    if a is None or b is None:
                        continue
                    res[f"{metric} vs {name}"] = {"eventnlp": a, name: b, "beats": a > b}
        return {"all": all(v["beats"] for v in res.values()) if res else None, "comparisons": res, "on": where}

    out["beats_every_baseline"]["test"] = compare("test", lambda s, m: test[s]["scores"][m])
    if cv:
        def cv_mean(s, m):
            return cv["mean_std"].get(s, {}).get(m, {}).get("mean")

        out["beats_every_baseline"]["cv_mean"] = compare("cv mean", cv_mean)
    return out


# ---------------------------------------------------------------------------- main


def main(argv=None) -> None:
    args = parse_args(argv)
    from eventnlp.data import load_records, read_splits, split_records

    started = time.perf_counter()
    records = load_records(args.data)
    splits = read_splits(args.data)
    parts = split_records(records, splits)
    spacy_nlp, spacy_note = None, None
    if not args.no_spacy:
        try:
            from baselines import load_spacy

            spacy_nlp = load_spacy()
        except ImportError as exc:
            spacy_note = f"skipped: {exc}"
            print(spacy_note, file=sys.stderr)
    out = Path(args.output)
    result: dict[str, Any] = {
        **header(),
        "config": {**vars(args), "argv": sys.argv[1:]},
        "data": {"path": args.data, "records_sha1": _records_hash(records), "splits": splits,
                 "sizes": {k: len(v) for k, v in parts.items()},
                 "test_stories": sorted({r["doc_id"] for r in parts["test"]})},
        "metric_code": "eventnlp.evaluation.score_predictions (the evaluate modules in src/eventnlp/metrics/)",
        "systems": SYSTEMS,
    }
    if spacy_note:
        result["spacy"] = spacy_note

    print(f"[test] scoring eventnlp ({args.model}) and the baselines on {len(parts['test'])} test sentences",
          flush=True)
    result["test"], result["test_predictions"] = run_test(args, parts, spacy_nlp)
    for name, entry in result["test"].items():
        s = entry["scores"]
        print(f"[test] {name:9s} event micro-F1 {s['event_micro_f1']:.3f} macro-F1 {s['event_macro_f1']:.3f} "
              f"span F1 {s['span_f1']:.3f} casualty acc {s['casualty_count_accuracy']:.3f}", flush=True)
    result["cv"] = None
    result["goals"] = goals(result["test"], None)
    write_json(out, result)

    def write_partial(cv_part):
        write_json(out, {**result, "cv": cv_part, "runtime_s": round(time.perf_counter() - started, 1)})

    if args.cv_folds == 0 and not args.cv_stories:
        result["cv"] = {"skipped": "--cv-folds 0"}
    else:
        result["cv"] = run_cv(args, records, splits, spacy_nlp, write_partial)
    cv = result["cv"] if result["cv"] and "mean_std" in result["cv"] else None
    result["goals"] = goals(result["test"], cv)
    result["runtime_s"] = round(time.perf_counter() - started, 1)
    write_json(out, result)
    print(f"wrote {out} in {result['runtime_s']} s", flush=True)


if __name__ == "__main__":
    main()
