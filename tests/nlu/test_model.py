"""The statistical intent model: trained from the data, deterministic, and kept in its place
beside the rules."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.nlu import load_intent_data, understand
from assistant.nlu.classifier import IntentModel, Prediction, train
from assistant.nlu.danger import DangerReading
from assistant.nlu.scoring import MODEL_CEILING, from_model
from assistant.nlu.data import _prepared_samples
from assistant.nlu.loader import read_intent_files
from assistant.nlu.training import NULL, samples


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_training_is_deterministic(lang: str) -> None:
    _, raw = read_intent_files()
    language = load_intent_data().language(lang)
    first, first_calibration = train(_prepared_samples(raw[lang], language, {}), language.spaced)
    second, second_calibration = train(_prepared_samples(raw[lang], language, {}), language.spaced)
    assert first_calibration == second_calibration
    text = language.prepare("my husband is not right at all").text
    assert first.predict(text) == second.predict(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_intent_and_nothing_are_learnt(lang: str) -> None:
    model = load_intent_data().models[lang]
    assert set(model.labels) == {*load_intent_data().intents, NULL}
    assert 0.2 <= model.threshold < 1.0


def test_template_sayings_take_alternatives_options_and_placeholders() -> None:
    _, raw = read_intent_files()
    said = [s.text for s in samples(raw["en"]) if s.label == "order_meal" and not s.sentence]
    assert said and all("(" not in s and "[" not in s and "{" not in s and "..." not in s for s in said)


def test_fast_prediction_agrees_with_scikit_learn() -> None:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    texts = ["i want my lunch", "i want a doctor", "bye now", "lunch please", "doctor please",
             "bye bye", "the weather is nice"]
    labels = ["order_meal", "book_doctor", "goodbye", "order_meal", "book_doctor", "goodbye", NULL]
    from assistant.nlu.training import Sample
    model = IntentModel([Sample(t, label) for t, label in zip(texts, labels)], spaced=True)
    vectorizers = [TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                                   dtype=np.float32),
                   TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                   token_pattern=r"[^ |]+", dtype=np.float32)]
    matrix = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    reference = SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=40, tol=None, random_state=0)
    reference.fit(matrix, labels)
    probe = "could i have lunch"
    expected = reference.predict_proba(hstack([v.transform([probe]) for v in vectorizers]).tocsr())[0]
    got = model.predict(probe).probabilities
    assert [round(got[str(c)], 4) for c in reference.classes_] == [round(p, 4) for p in expected]


def test_the_model_covers_what_the_rules_miss_and_is_read_back() -> None:
    result = understand("done", "en")
    assert result.intent == "medicine_taken"
    assert result.confidence < 0.9


def _prediction(**probabilities: float) -> Prediction:
    best = max(probabilities, key=probabilities.__getitem__)
    return Prediction(best or None, probabilities[best], probabilities)


@pytest.mark.parametrize("probabilities, expected, ruled_out, chosen", [
    ({"order_meal": 0.8, NULL: 0.2}, (), False, "order_meal"),
    ({"order_meal": 0.5, NULL: 0.5}, (), False, None),                  # below the bar
    ({"no": 0.45, "order_meal": 0.5, NULL: 0.05}, ("no",), False, "no"),  # expected: a lower bar
    ({"help": 0.4, NULL: 0.6}, (), False, "help"),                       # help: half the bar
    ({"help": 0.4, NULL: 0.6}, (), True, None),                          # unless ruled out
])
def test_the_model_decides_above_its_calibrated_bar(probabilities: dict[str, float],
                                                    expected: tuple[str, ...], ruled_out: bool,
                                                    chosen: str | None) -> None:
    model = load_intent_data().models["en"]
    bar = model.threshold
    scaled = {k: v * bar / 0.75 if k != NULL else v for k, v in probabilities.items()}
    choice = from_model(_prediction(**scaled), model, expected, DangerReading(ruled_out=ruled_out))
    assert choice.intent == chosen
    assert choice.confidence <= MODEL_CEILING


def test_the_rules_keep_their_precision_over_the_model() -> None:
    assert understand("book me in with the doctor on Friday", "en").confidence >= 0.9


def test_small_talk_is_nothing() -> None:
    assert understand("the roses in my garden are lovely this year", "en").intent is None
    assert understand("今天的太阳真好", "zh").intent is None


def test_danger_words_ruled_out_by_the_concepts_are_not_taken_for_help_by_the_model() -> None:
    assert understand("the smoke alarm keeps chirping, it wants a new battery", "en").intent != "help"
