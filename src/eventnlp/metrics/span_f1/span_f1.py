"""Entity-level span metric: exact-match precision, recall and F1, overall and per label.

A span is the string "LABEL start end"; a predicted span counts only if a reference
span of the same sentence has the same label and the same boundaries (as seqeval's
strict entity-level scores do).
"""

from collections import Counter

import datasets
import evaluate


class SpanF1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=__doc__,
            citation="",
            inputs_description='predictions, references: per sentence, a list of "LABEL start end" strings',
            features=datasets.Features(
                {
                    "predictions": datasets.Sequence(datasets.Value("string")),
                    "references": datasets.Sequence(datasets.Value("string")),
                }
            ),
        )

    def _compute(self, predictions, references, labels=None):
        tp, fp, fn = Counter(), Counter(), Counter()
        for pred, ref in zip(predictions, references):
            pred, ref = Counter(pred), Counter(ref)
            for span, n in (pred & ref).items():
                tp[span.split()[0]] += n
            for span, n in (pred - ref).items():
                fp[span.split()[0]] += n
            for span, n in (ref - pred).items():
                fn[span.split()[0]] += n
        labels = list(labels) if labels else sorted(set(tp) | set(fp) | set(fn))
        per_label = {lab: _prf(tp[lab], fp[lab], fn[lab]) for lab in labels}
        overall = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
        return {
            "precision": overall["precision"],
            "recall": overall["recall"],
            "f1": overall["f1"],
            "per_label": per_label,
        }


def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn, "predicted": tp + fp}
