"""Casualty count accuracy: the share of gold casualty figures reproduced exactly.

One pair per gold KILLED/INJURED span: the reference is its gold count, the prediction
the count eventnlp gives for the predicted span of the same kind covering it
(-1 when no predicted span covers it, which counts as wrong).
"""

import datasets
import evaluate


class CasualtyAccuracy(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=__doc__,
            citation="",
            inputs_description="predictions, references: one integer per gold casualty span (-1 = none)",
            features=datasets.Features(
                {"predictions": datasets.Value("int64"), "references": datasets.Value("int64")}
            ),
        )

    def _compute(self, predictions, references):
        n = len(references)
        hits = sum(p == r for p, r in zip(predictions, references))
        return {"accuracy": hits / n if n else 0.0, "n": n}
