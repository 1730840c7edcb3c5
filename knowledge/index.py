"""The search index: passage embeddings plus their metadata, saved under var/.

Rebuilt only when a topic file, the way passages are cut or the model changed
(one hash over all three, kept in the manifest).

    python -m knowledge.index      (make index)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import content_check, documents, encoder
from knowledge.passages import PASSAGE_FORMAT, Passage, passages
from knowledge.settings import KnowledgeSettings, get_settings

EMBEDDINGS, PASSAGES, MANIFEST = "embeddings.npy", "passages.json", "manifest.json"


@dataclass
class Index:
    passages: list[Passage]
    embeddings: np.ndarray  # one L2-normalised row per passage
    manifest: dict


def fingerprint(settings: KnowledgeSettings) -> str:
    digest = hashlib.sha256(f"passages v{PASSAGE_FORMAT}\n{encoder.fingerprint(settings)}\n".encode())
    for path in sorted(settings.content_dir.glob("*.md")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_current(settings: KnowledgeSettings) -> bool:
    manifest = settings.index_dir / MANIFEST
    return manifest.is_file() and json.loads(manifest.read_text()).get("fingerprint") == fingerprint(settings)


def build(settings: KnowledgeSettings, model: encoder.Encoder | None = None) -> Index:
    model = model or encoder.load(settings)
    started = time.perf_counter()
    found = [p for document in documents.read_all(settings.content_dir) for p in passages(document)]
    embeddings = model.encode([p.for_embedding() for p in found], "passage")
    manifest = {
        "fingerprint": fingerprint(settings),
        "model": f"{encoder.PACKAGE} {encoder.VARIANT}",
        "passages": len(found),
        "seconds": round(time.perf_counter() - started, 1),
    }
    settings.index_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="index.", dir=settings.index_dir.parent))
    np.save(staging / EMBEDDINGS, embeddings)
    (staging / PASSAGES).write_text(json.dumps([p.to_dict() for p in found], ensure_ascii=False))
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    if settings.index_dir.exists():
        shutil.rmtree(settings.index_dir)
    staging.rename(settings.index_dir)
    return Index(found, embeddings, manifest)


def load(settings: KnowledgeSettings) -> Index:
    found = [Passage(**p) for p in json.loads((settings.index_dir / PASSAGES).read_text())]
    return Index(
        found, np.load(settings.index_dir / EMBEDDINGS), json.loads((settings.index_dir / MANIFEST).read_text())
    )


def load_or_build(settings: KnowledgeSettings, model: encoder.Encoder | None = None) -> Index:
    return load(settings) if is_current(settings) else build(settings, model)


def main() -> int:
    settings = get_settings()
    problems = content_check.check(settings.content_dir)
    if problems:
        print("\n".join(problems + ["Fix these topic files first; the index was not rebuilt."]))
        return 1
    if is_current(settings):
        print(f"The index in {settings.index_dir} is up to date.")
        return 0
    index = build(settings)
    print(f"Indexed {index.manifest['passages']} passages in {index.manifest['seconds']} s into {settings.index_dir}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
