"""Multi-label event-type metric: micro/macro F1 and per-label precision, recall, F1.

Inputs are the label names per sentence (a sentence may have none). Macro F1 averages
over the labels that occur in the references or the predictions.
"""

import datasets
import evaluate


class EventF1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=__doc__,
            citation="",
            inputs_description="predictions, references: lists of label-name lists, one per sentence",
            features=datasets.Features(
                {
                    "predictions": datasets.Sequence(datasets.Value("string")),
                    "references": datasets.Sequence(datasets.Value("string")),
                }
            ),
        )

    def _compute(self, predictions, references, labels=None):
        labels = list(labels) if labels else sorted({lab for row in predictions + references for lab in row})
        per_label, tp_all, fp_all, fn_all = {}, 0, 0, 0
        for lab in labels:
            tp = sum(lab in p and lab in r for p, r in zip(predictions, references))
            fp = sum(lab in p and lab not in r for p, r in zip(predictions, references))
            fn = sum(lab not in p and lab in r for p, r in zip(predictions, references))
            tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
            per_label[lab] = _prf(tp, fp, fn)
        seen = [lab for lab in labels if per_label[lab]["support"] or per_label[lab]["predicted"]]
        micro = _prf(tp_all, fp_all, fn_all)
        return {
            "micro_precision": micro["precision"],
            "micro_recall": micro["recall"],
            "micro_f1": micro["f1"],
            "macro_f1": sum(per_label[lab]["f1"] for lab in seen) / len(seen) if seen else 0.0,
            "per_label": per_label,
        }


def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn, "predicted": tp + fp}
