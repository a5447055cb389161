"""A tiny but real `.argosmodel`, built offline in well under a second, for tests.

A SentencePiece model trained on a phrasebook and a 1+1-layer CTranslate2 Transformer with
random weights, packaged the way argostranslate expects (model/, sentencepiece.model,
metadata.json, zipped under one top folder). Its output is gibberish, which is the point:
the code around the model (install from a file, no network, protected values, caching,
fallbacks) is exercised for real.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import model_spec, transformer_spec

PHRASEBOOK = [
    "Call 604-555-0100 for help.",
    "Free English classes near you.",
    "Food bank in Surrey.",
    "Open today from 9 am to 5 pm.",
    "Find a family doctor.",
    "Help to find a job.",
    "Housing help for newcomers.",
    "Legal aid for refugee claimants.",
]


def _fill(spec: model_spec.LayerSpec, fn: object, scope: str = "") -> None:
    for name, value in list(spec.__dict__.items()):
        full = f"{scope}/{name}" if scope else name
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, model_spec.LayerSpec):
                    _fill(item, fn, f"{full}_{i}")
        elif isinstance(value, model_spec.LayerSpec):
            _fill(value, fn, full)
        elif value is None:
            fn(spec, name, full)  # type: ignore[operator]


def build_model(out: Path, source: str = "en", target: str = "so", d: int = 32) -> Path:
    top = out / f"translate-{source}_{target}"
    (top / "model").mkdir(parents=True)
    corpus = out / "phrasebook.txt"
    corpus.write_text("\n".join(PHRASEBOOK * 20), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(top / "sentencepiece"),
        vocab_size=50,
        model_type="unigram",
        character_coverage=1.0,
        minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_file=str(top / "sentencepiece.model"))
    vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    rng = np.random.default_rng(0)
    size = len(vocabulary)

    def weights(layer: model_spec.LayerSpec, name: str, full: str) -> None:
        if name == "gamma":
            value = np.ones(d)
        elif name == "beta":
            value = np.zeros(d)
        elif "embeddings" in full or "projection" in full:
            value = rng.normal(0, 0.1, (size, d))
        elif "self_attention/linear_0" in full:
            value = rng.normal(0, 0.1, (3 * d, d))
        elif "/attention/linear_1" in full:
            value = rng.normal(0, 0.1, (2 * d, d))
        elif "ffn/linear_0" in full:
            value = rng.normal(0, 0.1, (2 * d, d))
        elif "ffn/linear_1" in full:
            value = rng.normal(0, 0.1, (d, 2 * d))
        else:
            value = rng.normal(0, 0.1, (d, d))
        setattr(layer, name, value.astype(np.float32))

    spec = transformer_spec.TransformerSpec.from_config((1, 1), 2)
    _fill(spec, weights)
    for side in (spec.encoder, spec.decoder):
        side.position_encodings.encodings = rng.normal(0, 0.1, (512, d)).astype(np.float32)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=None)
    spec.save(str(top / "model"))
    (top / "metadata.json").write_text(
        json.dumps(
            {
                "package_version": "0.1",
                "argos_version": "1.9.0",
                "type": "translate",
                "from_code": source,
                "from_name": source,
                "to_code": target,
                "to_name": target,
            }
        )
    )
    package = out / f"{source}_{target}.argosmodel"
    with zipfile.ZipFile(package, "w") as archive:
        for file in top.rglob("*"):
            archive.write(file, file.relative_to(out))
    return package
