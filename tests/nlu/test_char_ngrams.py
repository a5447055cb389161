"""Character n-grams per script (nlu/char_ngrams.py): the lexical view mixed into e5's."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from nlu.char_ngrams import ScriptModel, ScriptNgrams, ngrams
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"


def test_ngrams_mark_word_beginnings_and_endings_and_ignore_case_and_accents() -> None:
    grams = ngrams("ਲਾਇਰ Café")
    assert " ਲ" in grams and "ਰ " in grams
    assert " ca" in grams and "fe " in grams
    assert ngrams("CAFE") == ngrams("café")
    assert ngrams("") == []


def _housing_or_food() -> ScriptModel:
    """A hand-made Latin model: the n-gram " re" (rent) means housing, " fo" food."""
    vocabulary = {" re": 0, " fo": 1}
    weights = np.array([[4.0, -4.0], [-4.0, 4.0]])  # rows: housing, food
    return ScriptModel(
        vocabulary, np.ones(2), weights, np.zeros(2), ["housing", "food"], ["rent", "food"]
    )


def test_a_known_word_moves_the_ranking_toward_the_lexical_view() -> None:
    mixer = ScriptNgrams({"LATIN": _housing_or_food()}, weight=0.5)
    e5 = [("food", 0.6), ("housing", 0.4)]
    mixed = mixer.mix("rent", e5)
    assert mixed[0][0] == "housing"
    assert sum(p for _, p in mixed) == pytest.approx(1.0)


def test_unknown_words_and_other_scripts_keep_e5s_ranking() -> None:
    mixer = ScriptNgrams({"LATIN": _housing_or_food()}, weight=0.5)
    e5 = [("food", 0.6), ("housing", 0.4)]
    # Somali, Urdu: no word of ours, or a script without a model.
    assert mixer.mix("guri kiro ah", e5) == e5
    assert mixer.mix("کرایہ", e5) == e5
    # Half the words known: half the weight.
    assert _housing_or_food().coverage("rent please") == 0.5


def test_a_saved_model_gives_the_same_answers(tmp_path: Path) -> None:
    mixer = ScriptNgrams({"LATIN": _housing_or_food()}, weight=0.5)
    mixer.save(tmp_path)
    loaded = ScriptNgrams.load(tmp_path)
    assert loaded is not None
    e5 = [("food", 0.6), ("housing", 0.4)]
    for text in ("rent", "food", "rent food"):
        assert dict(loaded.mix(text, e5)) == pytest.approx(dict(mixer.mix(text, e5)))
    assert ScriptNgrams.load(tmp_path / "nothing") is None
    # Plain arrays and JSON: nothing executable in the model archive.
    assert json.loads((tmp_path / "latin" / "model.json").read_text())["labels"] == [
        "housing",
        "food",
    ]


FIT_CHECK = """
import sys
sys.path.insert(0, sys.argv[1])
from nlu.char_ngrams import ScriptNgrams
texts, labels = [], []
for i in range(30):
    texts += [f"need rent help {i}", f"food bank near {i}", f"кімната оренда {i}"]
    labels += ["housing", "food", "housing"]
model = ScriptNgrams.fit(texts, labels, c=8.0, weight=0.5, min_examples=40)
print(sorted(model.models))
print(model.mix("rent", [("food", 0.5), ("housing", 0.5)])[0][0])
print(model.mix("food", [("food", 0.5), ("housing", 0.5)])[0][0])
"""


@pytest.mark.rasa
def test_training_makes_one_model_per_script_with_enough_examples() -> None:
    require(RASA_PYTHON.exists(), "the Rasa runtime is missing: run `make setup`")
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", FIT_CHECK, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    scripts, rent, food = done.stdout.split("\n")[:3]
    # 60 Latin examples get a model; 30 Cyrillic ones are too few (e5 alone knows them).
    assert scripts == "['LATIN']"
    assert (rent, food) == ("housing", "food")
