"""The statistical intent model: a linear classifier over character and word n-grams.

It stands beside the phrase rules and covers what they miss: sentences said in words no
template foresaw, misspellings, recogniser errors. Character n-grams carry it across both
languages (word n-grams are added where words are separated by spaces). Its answer counts
only above a threshold calibrated on held-back sentences, so that its precision there is
at least MIN_PRECISION with 95% confidence; for help a lower bar applies, since a missed call for help costs
more than a false alarm.

Training (scikit-learn, deterministic, from text only: nothing binary is kept) takes well
under a second per language; prediction does not go through scikit-learn, whose per-call
checks cost more than the arithmetic: the fitted vocabulary, idf and weights are read once
into plain arrays.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from assistant.nlu.training import NULL, Sample

MIN_PRECISION = 0.75
"""The threshold is the lowest at which the held-back sentences show, with 95% confidence
(the Wilson bound), that the model's answers are right at least this often."""
HELP_BAR = 0.5
"""Help is taken at this fraction of the threshold."""
THRESHOLDS = tuple(t / 100 for t in range(20, 96, 5))
HOLD_BACK_EVERY = 3
"""Every 3rd sentence (example or correction) is held back to calibrate the threshold."""
_Z = 1.645
_EPOCHS = 40


@dataclass(frozen=True)
class Prediction:
    intent: str | None
    """The likeliest intent, None when it is "nothing the hotline does"."""
    probability: float
    probabilities: dict[str, float]
    """Every label's probability (NULL for nothing)."""


@dataclass(frozen=True)
class Calibration:
    threshold: float
    """The lowest probability at which the model's answers on held-back sentences were
    right, with 95% confidence, at least MIN_PRECISION of the time (1.0: never)."""
    held_back: int
    accuracy: float
    """Of the held-back sentences, the share the model got right (NULL included)."""


class _Features:
    """One fitted TfidfVectorizer, read into a dictionary for fast transforms."""

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        self.analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
        idf = vectorizer.idf_
        self.columns = {term: (offset + j, float(idf[j])) for term, j in vectorizer.vocabulary_.items()}

    def weights(self, text: str) -> list[tuple[int, float]]:
        counts = Counter(self.analyze(text))
        found = [(self.columns[t], n) for t, n in counts.items() if t in self.columns]
        values = [(column, (1 + math.log(n)) * idf) for (column, idf), n in found]
        norm = math.sqrt(sum(v * v for _, v in values)) or 1.0
        return [(column, v / norm) for column, v in values]


def _vectorizers(spaced: bool) -> list[TfidfVectorizer]:
    chars = TfidfVectorizer(analyzer="char_wb" if spaced else "char",
                            ngram_range=(2, 4) if spaced else (1, 3), sublinear_tf=True,
                            dtype=np.float32)
    if not spaced:
        return [chars]
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                            token_pattern=r"[^ |]+", dtype=np.float32)
    return [chars, words]


class IntentModel:
    """A trained model of one language. Texts given to it are already normalised and
    repaired, as the phrase rules read them."""

    def __init__(self, samples: Sequence[Sample], spaced: bool, threshold: float = 1.0) -> None:
        if not samples:
            raise ValueError("an intent model needs training samples")
        vectorizers = _vectorizers(spaced)
        texts = [s.text for s in samples]
        matrices = [v.fit_transform(texts) for v in vectorizers]
        from scipy.sparse import hstack   # noqa: PLC0415 - only training needs it
        classifier = SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=_EPOCHS, tol=None,
                                   random_state=0)
        classifier.fit(hstack(matrices).tocsr(), [s.label for s in samples],
                       sample_weight=[s.weight for s in samples])
        self.labels: tuple[str, ...] = tuple(str(c) for c in classifier.classes_)
        self._coef = np.ascontiguousarray(classifier.coef_, dtype=np.float64)
        self._intercept = np.asarray(classifier.intercept_, dtype=np.float64)
        self._features: list[_Features] = []
        offset = 0
        for vectorizer in vectorizers:
            self._features.append(_Features(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        self.threshold = threshold

    def predict(self, text: str) -> Prediction:
        """The likeliest intent of prepared `text` and its probability."""
        columns: list[int] = []
        values: list[float] = []
        for features in self._features:
            for column, value in features.weights(text):
                columns.append(column)
                values.append(value)
        scores = self._intercept + (self._coef[:, columns] @ np.asarray(values)
                                    if columns else 0.0)
        if len(self.labels) == 2:   # a binary model has one score: the second label's
            scores = np.array([-scores[0], scores[0]])
        odds = 1.0 / (1.0 + np.exp(-scores))
        probabilities = odds / odds.sum()
        best = int(np.argmax(probabilities))
        label = self.labels[best]
        return Prediction(None if label == NULL else label, float(probabilities[best]),
                          dict(zip(self.labels, probabilities.tolist())))

    def bar(self, intent: str) -> float:
        """The probability at which the model's `intent` is taken."""
        return self.threshold * HELP_BAR if intent == "help" else self.threshold


def train(samples: Sequence[Sample], spaced: bool) -> tuple[IntentModel, Calibration]:
    """A model trained on every sample, with its threshold calibrated by a first model that
    did not see every HOLD_BACK_EVERY-th sentence."""
    sentences = [i for i, s in enumerate(samples) if s.sentence]
    held = {i for n, i in enumerate(sentences) if n % HOLD_BACK_EVERY == HOLD_BACK_EVERY - 1}
    calibration = Calibration(1.0, 0, 0.0)
    if held:
        trial = IntentModel([s for i, s in enumerate(samples) if i not in held], spaced)
        results = [(p.probability, (p.intent or NULL) == samples[i].label)
                   for i in sorted(held) for p in (trial.predict(samples[i].text),)]
        calibration = Calibration(_threshold(results), len(results),
                                  sum(ok for _, ok in results) / len(results))
    return IntentModel(samples, spaced, calibration.threshold), calibration


def _threshold(results: list[tuple[float, bool]]) -> float:
    for threshold in THRESHOLDS:
        taken = [ok for probability, ok in results if probability >= threshold]
        if taken and _lower_bound(sum(taken), len(taken)) >= MIN_PRECISION:
            return threshold
    return 1.0


def _lower_bound(right: int, tried: int) -> float:
    """The Wilson score lower bound of a proportion (one-sided, 95%): small samples count
    for less than their raw share."""
    share = right / tried
    centre = share + _Z * _Z / (2 * tried)
    spread = _Z * math.sqrt(share * (1 - share) / tried + _Z * _Z / (4 * tried * tried))
    return (centre - spread) / (1 + _Z * _Z / tried)
