"""The statistical fallback: a character n-gram model trained on the centre's own dispatches.

It is off until ``hotline rules train`` writes a model into the instance folder (weights are
never shipped), and it only speaks when no rule has evidence. The holder loads the file on
first use and again whenever it changes, so a retrain reaches running servers and workers.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
CHECK_INTERVAL = 5.0
MODEL_NAME = "fallback.joblib"
MIN_EXAMPLES = 20


def model_path(instance_path: Path | str) -> Path:
    """Return where the centre's fallback model lives."""
    return Path(instance_path) / "routing" / MODEL_NAME


@dataclass
class FallbackModel:
    """A fitted pipeline and what it was trained on."""

    pipeline: Any
    meta: dict[str, Any]
    _scorer: Scorer | None = None

    @property
    def min_probability(self) -> float:
        """Return the probability below which the model keeps quiet."""
        return float(self.meta.get("min_probability", 0.6))

    def predict(self, text: str) -> tuple[str, float]:
        """Return the most likely "function@level" label and its probability."""
        if self._scorer is None:
            self._scorer = Scorer(self.pipeline)
        return self._scorer.best(text)


class Scorer:
    """predict_proba of the TF-IDF + SGD pipeline for one text, without sklearn's per-call cost.

    sklearn validates and converts its inputs on every call (milliseconds for one text); the
    router decides one ticket at a time, so the same arithmetic is done here directly.
    """

    def __init__(self, pipeline: Any) -> None:
        import numpy as np

        vectoriser, model = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.analyse = vectoriser.build_analyzer()
        self.vocabulary: dict[str, int] = vectoriser.vocabulary_
        self.idf = np.asarray(vectoriser.idf_, dtype=np.float64)
        self.sublinear = vectoriser.sublinear_tf
        self.weights = np.asarray(model.coef_, dtype=np.float64).T.copy()  # features × classes
        self.intercept = np.asarray(model.intercept_, dtype=np.float64)
        self.classes = [str(c) for c in model.classes_]

    def probabilities(self, text: str) -> Any:
        """Return the class probabilities, as the pipeline's predict_proba would."""
        import numpy as np

        counts = Counter(
            index for gram in self.analyse(text) if (index := self.vocabulary.get(gram)) is not None
        )
        scores = self.intercept.copy()
        if counts:
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if self.sublinear:
                tf = np.log(tf) + 1.0
            tf *= self.idf[columns]
            tf /= np.sqrt(tf @ tf)
            scores += tf @ self.weights[columns]
        # One-vs-rest logistic outputs, normalised (sklearn's _predict_proba_lr).
        positive = 1.0 / (1.0 + np.exp(-scores))
        if len(self.classes) == 2:
            return np.array([1.0 - positive[0], positive[0]])
        return positive / positive.sum()

    def best(self, text: str) -> tuple[str, float]:
        """Return the most likely label and its probability."""
        probabilities = self.probabilities(text)
        index = int(probabilities.argmax())
        return self.classes[index], float(probabilities[index])


class FallbackHolder:
    """Give the current model (or None when untrained), reloading when the file changes."""

    def __init__(self, path: Path, interval: float = CHECK_INTERVAL) -> None:
        self.path = path
        self.interval = interval
        self._lock = threading.Lock()
        self._model: FallbackModel | None = None
        self._stamp: tuple[int, int] | None = None
        self._checked = float("-inf")

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def model(self) -> FallbackModel | None:
        """Return the model, looking at the file at most once per interval."""
        now = time.monotonic()
        if now - self._checked < self.interval:
            return self._model
        with self._lock:
            self._checked = now
            stamp = self._file_stamp()
            if stamp != self._stamp:
                self._stamp = stamp
                self._model = load(self.path) if stamp is not None else None
        return self._model


def load(path: Path) -> FallbackModel | None:
    """Load a model file written by ``save``; a broken file switches the fallback off."""
    try:
        import joblib

        payload = joblib.load(path)
        return FallbackModel(payload["pipeline"], payload["meta"])
    except Exception:  # noqa: BLE001 - any unreadable model means: no fallback
        log.exception("routing fallback model %s unreadable; fallback off", path)
        return None


def save(path: Path, model: FallbackModel) -> None:
    """Write the model atomically (a reader never sees half a file)."""
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    joblib.dump({"pipeline": model.pipeline, "meta": model.meta}, partial)
    os.replace(partial, path)
    path.with_suffix(".json").write_text(json.dumps(model.meta, ensure_ascii=False, indent=2))


def fit(
    examples: list[tuple[str, str]], min_probability: float = 0.6, holdout: float = 0.2
) -> FallbackModel:
    """Fit TF-IDF over character 1–3-grams + a logistic model; measure it on a holdout.

    The logistic loss is minimised by SGD: seconds for a year of tickets where a full solver
    takes minutes, and no less accurate on real messages.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_pipeline

    labels = sorted({label for _, label in examples})
    if len(examples) < MIN_EXAMPLES or len(labels) < 2:
        raise ValueError(
            f"need at least {MIN_EXAMPLES} dispatched tickets in 2 or more departments' "
            f"functions (have {len(examples)} in {len(labels)})"
        )

    def pipeline() -> Any:
        vectoriser = TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, 3),
            sublinear_tf=True,
            min_df=2 if len(examples) >= 1000 else 1,  # one-off n-grams are noise at scale
            max_features=300_000,
            dtype=np.float32,
        )
        model = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=50, tol=1e-4, random_state=0)
        return make_pipeline(vectoriser, model)

    shuffled = examples[:]
    random.Random(12345).shuffle(shuffled)
    cut = int(len(shuffled) * (1 - holdout))
    measured: dict[str, Any] = {}
    train, test = shuffled[:cut], shuffled[cut:]
    if test and len({label for _, label in train}) >= 2:
        trial = pipeline().fit([t for t, _ in train], [label for _, label in train])
        probabilities = trial.predict_proba([t for t, _ in test])
        best = probabilities.argmax(axis=1)
        guesses = [(trial.classes_[i], p[i]) for i, p in zip(best, probabilities, strict=True)]
        right = [g == label for (g, _), (_, label) in zip(guesses, test, strict=True)]
        sure = [r for r, (_, p) in zip(right, guesses, strict=True) if p >= min_probability]
        measured = {
            "holdout": len(test),
            "holdout_accuracy": sum(right) / len(test),
            "holdout_coverage": len(sure) / len(test),
            "holdout_accuracy_when_sure": (sum(sure) / len(sure)) if sure else None,
        }
    final = pipeline().fit([t for t, _ in examples], [label for _, label in examples])
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "examples": len(examples),
        "labels": labels,
        "min_probability": min_probability,
        **measured,
    }
    meta["version"] = f"fallback-{meta['trained_at']}"
    return FallbackModel(final, meta)
