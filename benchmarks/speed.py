"""Throughput and memory of eventnlp ``tag()`` against spaCy small and two transformers pipelines.

Everything is measured in one run on the same text: the seed articles (``data/raw/*.txt``)
repeated until they hold at least ``--sentences`` sentences (as eventnlp's splitter counts
them). Each system runs in its own fresh process, so its peak memory (``ru_maxrss``) is
its own; model loading and one warm-up call are not timed, sentence splitting is.

* eventnlp ``tag(docs, batch_size=b)`` for b in 1, 8, 32, 128 (CPU), in fp32 (the default) and
  in bf16 (``dtype="bfloat16"``, fast on CPUs with AVX512-BF16 or AMX, slow elsewhere);
* spaCy small ``nlp.pipe(docs)`` (full pipeline, and NER only);
* two separate ``transformers`` pipelines, ``text-classification`` (BertForSequenceClassification,
  16 event types) and ``token-classification`` (BertForTokenClassification, 11 BIO tags), both
  initialised from the local all-MiniLM-L6-v2 weights — the same encoder size run twice, on
  the sentences given by eventnlp's splitter;
* cost growth: eventnlp at batch 32 on 1k and 10k sentences, 100k extrapolated by a straight
  line through those two points (not measured; the JSON says so);
* GPU (when ``torch.cuda.is_available()``): eventnlp at batch 512 in fp32 and bf16.

Writes ``benchmarks/results/speed.json``.

    python benchmarks/speed.py                                  # the full run (20-45 min on 2 CPU cores)
    python benchmarks/speed.py --sentences 300 --growth 200,400 --output /tmp/s.json   # quick check
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS, ROOT, header, write_json  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(ROOT / "models" / "eventnlp-minilm"))
    ap.add_argument("--raw", default=str(ROOT / "data" / "raw"), help="folder of .txt articles")
    ap.add_argument("--sentences", type=int, default=5000, help="minimum sentences in the timed text")
    ap.add_argument("--batch-sizes", default="1,8,32,128", help="eventnlp CPU batch sizes")
    ap.add_argument("--ratio-batch-size", type=int, default=32,
                    help="eventnlp batch size used for the ratios and the transformers pipelines (tag()'s default)")
    ap.add_argument("--growth", default="1000,10000", help="sentence counts timed for cost growth")
    ap.add_argument("--extrapolate", type=int, default=100_000, help="sentence count extrapolated from --growth")
    ap.add_argument("--gpu-batch-size", type=int, default=512)
    ap.add_argument("--gpu-sentences", type=int, default=50_000)
    ap.add_argument("--threads", type=int, default=None,
                    help="torch intra-op threads in the eventnlp and transformers processes (default: torch's own, "
                         "one per core); set 1 when other jobs share the CPU")
    ap.add_argument("--repeats", type=int, default=1, help="timed runs per measurement (the fastest is kept)")
    ap.add_argument("--skip", default="", help="comma list of parts to leave out: bf16,spacy,hf,growth,gpu")
    ap.add_argument("--output", default=str(RESULTS / "speed.json"))
    return ap.parse_args(argv)


# ---------------------------------------------------------------------------- text


def build_corpus(raw: str, min_sentences: int) -> dict[str, Any]:
    """The seed articles repeated (whole, in order) until they hold ``min_sentences`` sentences."""
    from eventnlp.splitting import split_sentences

    articles = [p.read_text(encoding="utf-8") for p in sorted(Path(raw).glob("*.txt"))]
    if not articles:
        raise SystemExit(f"no .txt articles in {raw}")
    spans = [split_sentences(a) for a in articles]
    n_sent = [len(s) for s in spans]
    n_words = [sum(len(a[s:e].split()) for s, e in sp) for a, sp in zip(articles, spans)]
    docs, sentences, words, i = [], 0, 0, 0
    while sentences < min_sentences:
        k = i % len(articles)
        docs.append(articles[k])
        sentences += n_sent[k]
        words += n_words[k]
        i += 1
    return {"docs": docs, "sentences": sentences, "words": words, "chars": sum(map(len, docs))}


# ---------------------------------------------------------------------------- workers (fresh processes)


def _rss_mib() -> float:
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        return float("nan")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _best_time(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(max(1, repeats)):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _rates(n_sent: int, n_words: int, seconds: float) -> dict[str, float]:
    return {"seconds": round(seconds, 3), "sentences_per_s": round(n_sent / seconds, 1),
            "words_per_s": round(n_words / seconds, 1)}


def _set_threads(spec: dict[str, Any]) -> int:
    import torch

    if spec.get("threads"):
        torch.set_num_threads(spec["threads"])
    return torch.get_num_threads()


def _load_eventnlp(model: str, device: str = "cpu", dtype=None):
    from eventnlp.inference import EventPipeline

    return EventPipeline.load(model, device=device, dtype=dtype)


def work_eventnlp(spec: dict[str, Any]) -> dict[str, Any]:
    import torch

    from eventnlp import tag

    threads = _set_threads(spec)
    rss0 = _rss_mib()
    dtype = spec.get("dtype")
    pipe = _load_eventnlp(spec["model"], dtype=getattr(torch, dtype) if dtype else None)
    out: dict[str, Any] = {"dtype": dtype or "float32", "cpu_capability": torch.backends.cpu.get_cpu_capability(),
                           "torch_threads": threads, "rss_after_imports_mib": round(rss0, 1),
                           "rss_after_load_mib": round(_rss_mib(), 1)}
    corpus = spec["corpus"]
    tag(corpus["docs"][0], model=pipe)  # warm-up
    out["by_batch_size"] = {}
    for b in spec["batch_sizes"]:
        t = _best_time(lambda b=b: tag(corpus["docs"], model=pipe, batch_size=b), spec["repeats"])
        out["by_batch_size"][str(b)] = _rates(corpus["sentences"], corpus["words"], t)
        out["by_batch_size"][str(b)]["loadavg_1m"] = round(os.getloadavg()[0], 2)
        print(f"  eventnlp {out['dtype']} batch {b:4d}: {out['by_batch_size'][str(b)]['sentences_per_s']:8.1f} "
              "sentences/s", flush=True)
    out["peak_rss_mib"] = round(_peak_mib(), 1)
    return out


def work_growth(spec: dict[str, Any]) -> dict[str, Any]:
    from eventnlp import tag

    threads = _set_threads(spec)
    pipe = _load_eventnlp(spec["model"])
    tag(spec["corpora"][0]["docs"][0], model=pipe)
    points = []
    for corpus in spec["corpora"]:
        t = _best_time(lambda c=corpus: tag(c["docs"], model=pipe, batch_size=spec["batch_size"]), spec["repeats"])
        points.append({"target_sentences": corpus["target"], "sentences": corpus["sentences"],
                       "words": corpus["words"], **_rates(corpus["sentences"], corpus["words"], t), "measured": True})
        print(f"  growth {corpus['sentences']:6d} sentences: {t:7.1f} s", flush=True)
    return {"points": points, "torch_threads": threads, "peak_rss_mib": round(_peak_mib(), 1)}


def work_spacy(spec: dict[str, Any]) -> dict[str, Any]:
    from baselines import load_spacy

    rss0 = _rss_mib()
    kwargs = {"disable": ["tagger", "parser", "attribute_ruler", "lemmatizer"]} if spec["ner_only"] else {}
    nlp = load_spacy(**kwargs)
    out = {"rss_after_imports_mib": round(rss0, 1), "rss_after_load_mib": round(_rss_mib(), 1),
           "pipeline": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}",
           "components": list(nlp.pipe_names)}
    corpus = spec["corpus"]
    list(nlp.pipe(corpus["docs"][:1]))
    t = _best_time(lambda: list(nlp.pipe(corpus["docs"])), spec["repeats"])
    out.update(_rates(corpus["sentences"], corpus["words"], t))
    out["loadavg_1m"] = round(os.getloadavg()[0], 2)
    out["peak_rss_mib"] = round(_peak_mib(), 1)
    return out


def work_hf(spec: dict[str, Any]) -> dict[str, Any]:
    import torch
    import transformers
    from transformers import AutoTokenizer, BertForSequenceClassification, BertForTokenClassification, pipeline

    from eventnlp.config import default_encoder
    from eventnlp.labels import BIO_TAGS, EVENT_LABELS
    from eventnlp.splitting import split_sentences

    transformers.logging.set_verbosity_error()
    threads = _set_threads(spec)
    rss0 = _rss_mib()
    path = default_encoder()
    tok = AutoTokenizer.from_pretrained(path)
    seq = BertForSequenceClassification.from_pretrained(
        path, num_labels=len(EVENT_LABELS), problem_type="multi_label_classification",
        id2label=dict(enumerate(EVENT_LABELS)), label2id={k: i for i, k in enumerate(EVENT_LABELS)}).eval()
    tokc = BertForTokenClassification.from_pretrained(
        path, num_labels=len(BIO_TAGS), id2label=dict(enumerate(BIO_TAGS)),
        label2id={k: i for i, k in enumerate(BIO_TAGS)}).eval()
    clf = pipeline("text-classification", model=seq, tokenizer=tok, device=torch.device("cpu"), top_k=None,
                   function_to_apply="sigmoid")
    ner = pipeline("token-classification", model=tokc, tokenizer=tok, device=torch.device("cpu"),
                   aggregation_strategy="simple")
    out: dict[str, Any] = {"rss_after_imports_mib": round(rss0, 1), "rss_after_load_mib": round(_rss_mib(), 1),
                           "encoder": path, "batch_size": spec["batch_size"], "torch_threads": threads,
                           "pipelines": ["text-classification (BertForSequenceClassification, sigmoid, top_k=None)",
                                         "token-classification (BertForTokenClassification, aggregation 'simple')"]}
    corpus = spec["corpus"]
    b = spec["batch_size"]
    warm = [corpus["docs"][0][s:e] for s, e in split_sentences(corpus["docs"][0])][:8]
    clf(warm, batch_size=b)
    ner(warm, batch_size=b)
    timing = {"split": 0.0, "text_classification": 0.0, "token_classification": 0.0}

    def run():
        t0 = time.perf_counter()
        sents = [d[s:e] for d in corpus["docs"] for s, e in split_sentences(d)]
        t1 = time.perf_counter()
        with torch.inference_mode():
            clf(sents, batch_size=b)
            t2 = time.perf_counter()
            ner(sents, batch_size=b)
        t3 = time.perf_counter()
        timing.update(split=t1 - t0, text_classification=t2 - t1, token_classification=t3 - t2)

    total = _best_time(run, spec["repeats"])
    out.update(_rates(corpus["sentences"], corpus["words"], total))
    out["seconds_by_part"] = {k: round(v, 3) for k, v in timing.items()}
    out["loadavg_1m"] = round(os.getloadavg()[0], 2)
    out["peak_rss_mib"] = round(_peak_mib(), 1)
    return out


def work_gpu(spec: dict[str, Any]) -> dict[str, Any]:
    import torch

    from eventnlp import tag

    out: dict[str, Any] = {"device": torch.cuda.get_device_name(0), "batch_size": spec["batch_size"]}
    corpus = spec["corpus"]
    for name, dtype in (("fp32", None), ("bf16", torch.bfloat16)):
        pipe = _load_eventnlp(spec["model"], device="cuda", dtype=dtype)
        tag(corpus["docs"][:3], model=pipe, batch_size=spec["batch_size"])
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()

        def run(p=pipe):
            tag(corpus["docs"], model=p, batch_size=spec["batch_size"])
            torch.cuda.synchronize()

        t = _best_time(run, spec["repeats"])
        out[name] = {**_rates(corpus["sentences"], corpus["words"], t),
                     "peak_gpu_mib": round(torch.cuda.max_memory_allocated() / 2**20, 1)}
        print(f"  GPU {name}: {out[name]['sentences_per_s']:10.1f} sentences/s", flush=True)
        del pipe
        torch.cuda.empty_cache()
    return out


def in_fresh_process(fn, spec: dict[str, Any]) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as ex:
        return ex.submit(fn, spec).result()


# ---------------------------------------------------------------------------- main


def main(argv=None) -> None:
    args = parse_args(argv)
    import torch

    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    model = Path(args.model)
    if not (model / "config.json").exists():
        raise SystemExit(f"no eventnlp model at {model}: train it first "
                         "(eventnlp train --config training/configs/cpu.yaml) or pass --model")
    started = time.perf_counter()
    corpus = build_corpus(args.raw, args.sentences)
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    text_info = {k: corpus[k] for k in ("sentences", "words", "chars")} | {
        "documents": len(corpus["docs"]), "source": f"{args.raw}/*.txt repeated whole until >= {args.sentences} "
        "sentences", "words_are": "whitespace-separated tokens of the sentences"}
    result: dict[str, Any] = {**header(), "config": {**vars(args), "argv": sys.argv[1:]}, "text": text_info,
                              "timing_notes": ("wall-clock seconds of one call over the whole text (fastest of "
                                               "--repeats), after model loading and one warm-up call; sentence "
                                               "splitting included; each system in its own fresh process; "
                                               "peak_rss_mib is that process's ru_maxrss (whole process: "
                                               "Python, torch and the model)")}
    print(f"text: {corpus['sentences']} sentences, {corpus['words']} words in {len(corpus['docs'])} documents",
          flush=True)

    print("eventnlp (CPU) ...", flush=True)
    common = {"repeats": args.repeats, "threads": args.threads}
    result["loadavg_at_start"] = [round(x, 2) for x in os.getloadavg()]
    result["eventnlp_cpu"] = in_fresh_process(work_eventnlp, {"model": str(model), "corpus": corpus,
                                                              "batch_sizes": batch_sizes, **common})
    if "bf16" in skip:
        result["eventnlp_cpu_bf16"] = {"skipped": "--skip bf16"}
    else:
        print("eventnlp (CPU, bfloat16) ...", flush=True)
        result["eventnlp_cpu_bf16"] = in_fresh_process(work_eventnlp, {"model": str(model), "corpus": corpus,
                                                                       "batch_sizes": batch_sizes,
                                                                       "dtype": "bfloat16", **common})
    if "spacy" in skip:
        result["spacy_sm"] = result["spacy_sm_ner_only"] = {"skipped": "--skip spacy"}
    else:
        for key, ner_only in (("spacy_sm", False), ("spacy_sm_ner_only", True)):
            print(f"{key} ...", flush=True)
            try:
                result[key] = in_fresh_process(work_spacy, {"corpus": corpus, "ner_only": ner_only, **common})
            except ImportError as exc:
                result[key] = {"skipped": str(exc)}
                print(f"  skipped: {exc}", flush=True)
    if "hf" in skip:
        result["transformers_two_pipelines"] = {"skipped": "--skip hf"}
    else:
        print("transformers text-classification + token-classification pipelines ...", flush=True)
        result["transformers_two_pipelines"] = in_fresh_process(
            work_hf, {"corpus": corpus, "batch_size": args.ratio_batch_size, **common})

    result["ratios"] = ratios(result, args.ratio_batch_size)

    if "growth" in skip:
        result["growth"] = {"skipped": "--skip growth"}
    else:
        sizes = [int(n) for n in args.growth.split(",") if n.strip()]
        corpora = [build_corpus(args.raw, n) | {"target": n} for n in sizes]
        print(f"cost growth at batch {args.ratio_batch_size}: {sizes} sentences ...", flush=True)
        g = in_fresh_process(work_growth, {"model": str(model), "corpora": corpora,
                                           "batch_size": args.ratio_batch_size, **common})
        result["growth"] = growth(g, args.extrapolate, args.ratio_batch_size)

    if "gpu" in skip:
        result["gpu"] = {"skipped": "--skip gpu"}
    elif not torch.cuda.is_available():
        result["gpu"] = {"skipped": "no GPU: torch.cuda.is_available() is False on this machine; "
                                    "rerun benchmarks/speed.py on a CUDA machine for the fp32/bf16 figures"}
        print("GPU: skipped (no CUDA GPU on this machine)", flush=True)
    else:
        print(f"GPU at batch {args.gpu_batch_size} ...", flush=True)
        gcorpus = build_corpus(args.raw, args.gpu_sentences)
        result["gpu"] = {"text": {k: gcorpus[k] for k in ("sentences", "words")},
                         **in_fresh_process(work_gpu, {"model": str(model), "corpus": gcorpus,
                                                       "batch_size": args.gpu_batch_size,
                                                       **common})}
    result["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["runtime_s"] = round(time.perf_counter() - started, 1)
    write_json(Path(args.output), result)
    print(f"wrote {args.output} in {result['runtime_s']} s", flush=True)


def ratios(result: dict[str, Any], batch: int) -> dict[str, Any]:
    """eventnlp's throughput (fp32 and bf16, at ``batch`` and at its best batch size) over each other system's."""
    out: dict[str, Any] = {"eventnlp_batch_size": batch}
    for variant, key in (("", "eventnlp_cpu"), ("_bf16", "eventnlp_cpu_bf16")):
        ev = result.get(key, {}).get("by_batch_size")
        if not ev:
            continue
        ours = ev.get(str(batch))
        best_b = max(ev, key=lambda b: ev[b]["sentences_per_s"])
        out[f"eventnlp{variant}_best_batch_size"] = int(best_b)
        for other_key in ("spacy_sm", "spacy_sm_ner_only", "transformers_two_pipelines"):
            other = result.get(other_key, {})
            if "sentences_per_s" not in other:
                continue
            if ours:
                out[f"eventnlp{variant}_vs_{other_key}"] = round(ours["sentences_per_s"] / other["sentences_per_s"], 3)
            out[f"eventnlp{variant}_best_vs_{other_key}"] = round(
                ev[best_b]["sentences_per_s"] / other["sentences_per_s"], 3)
    out["meaning"] = "throughput of eventnlp / throughput of the other system (> 1: eventnlp is faster)"
    return out


def growth(g: dict[str, Any], extrapolate: int, batch: int) -> dict[str, Any]:
    pts = g["points"]
    out: dict[str, Any] = {"batch_size": batch, "points": list(pts), "peak_rss_mib": g["peak_rss_mib"]}
    if len(pts) >= 2:
        (n1, t1), (n2, t2) = (pts[-2]["sentences"], pts[-2]["seconds"]), (pts[-1]["sentences"], pts[-1]["seconds"])
        slope = (t2 - t1) / (n2 - n1) if n2 != n1 else t2 / n2
        fixed = t2 - slope * n2
        est = fixed + slope * extrapolate
        out["points"].append({"target_sentences": extrapolate, "sentences": extrapolate,
                              "seconds": round(est, 1), "sentences_per_s": round(extrapolate / est, 1),
                              "measured": False})
        out["extrapolation"] = (f"{extrapolate} sentences NOT measured: seconds = {fixed:.3f} + {slope * 1000:.4f} "
                                f"* (sentences / 1000), the straight line through the {n1}- and {n2}-sentence "
                                "runs (tag() works in chunks of 2048 sentences, so time grows linearly and memory "
                                "stays flat)")
    return out


if __name__ == "__main__":
    main()
