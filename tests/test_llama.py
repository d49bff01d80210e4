"""tqcheck's own Llama decoder (``fluency/llama.py``) against transformers' on the converted
SmolLM2: the same token ids and offsets, and bit for bit the same surprisals and entropies in
float32 and in bf16 autocast, on batches with and without padding.  A warm scan must not import
transformers at all (its imports cost seconds)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tqcheck.fluency.environment import missing_packages
from tqcheck.fluency.scorer import LanguageModel

from .conftest import SEED

pytestmark = pytest.mark.skipif(bool(missing_packages()), reason="model packages not installed")


@pytest.fixture(scope="module")
def folder():
    from tqcheck.fluency.convert import prepare

    converted = prepare("smollm2").converted
    assert converted is not None
    return converted


@pytest.fixture(scope="module")
def texts(demetr_rows) -> list[str]:
    rows = demetr_rows[:12]
    # Lengths from 2 tokens to a few dozen: batches of one width with padded rows, and rows alone.
    return ["Yes.", "It rained."] + [r["mt_sent"] for r in rows] + [r["pert_sent"] for r in rows]


def test_a_converted_smollm2_is_run_by_llama_py(folder):
    from tqcheck.fluency import llama

    assert llama.supports(folder)


def test_tokenizer_matches_transformers(folder, texts):
    from transformers import AutoTokenizer

    from tqcheck.fluency import llama

    theirs, ours = AutoTokenizer.from_pretrained(folder, local_files_only=True), llama.Tokenizer(folder)
    for text in texts:
        a = theirs(text, add_special_tokens=False, return_offsets_mapping=True)
        b = ours(text, add_special_tokens=False, return_offsets_mapping=True)
        assert list(a["input_ids"]) == list(b["input_ids"])
        assert [tuple(x) for x in a["offset_mapping"]] == [tuple(x) for x in b["offset_mapping"]]
    assert (theirs.pad_token_id, theirs.bos_token, theirs.eos_token) == (ours.pad_token_id, ours.bos_token,
                                                                          ours.eos_token)
    assert theirs.get_vocab() == ours.get_vocab()


@pytest.mark.parametrize("bfloat16", [False, True])
def test_scores_are_transformers_scores_bit_for_bit(folder, texts, bfloat16):
    import torch
    from transformers import AutoModelForCausalLM

    from tqcheck.fluency import llama

    tokenizer = llama.Tokenizer(folder)
    theirs = LanguageModel(AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32,
                                                                local_files_only=True).eval(),
                           tokenizer, "smollm2", bfloat16)
    ours = LanguageModel(llama.load(folder), tokenizer, "smollm2", bfloat16)
    for a, b in zip(theirs._score(texts), ours._score(texts), strict=True):
        assert (a.surprisal, a.entropy) == (b.surprisal, b.entropy), a.text


def test_a_scan_with_the_model_never_imports_transformers():
    code = ("import sys; from tqcheck.cli import main; main(['scan', '--fail-on', 'never', sys.argv[1]]); "
            "print('torch' in sys.modules, 'transformers' in sys.modules, file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True,
                         env={**os.environ, "TQCHECK_DTYPE": "bfloat16"}, timeout=300)
    assert run.stderr.strip().splitlines()[-1] == "True False", run.stderr


def test_bf16_weights_are_kept_once_cast_and_score_the_same(folder, texts, tmp_path):
    """The first bf16 load of a cached model casts and saves the bf16 weights; the next reads
    them (no cast) and scores bit for bit as the cast model does."""
    from tqcheck.fluency import llama

    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (tmp_path / name).symlink_to(folder / name)
    tokenizer = llama.Tokenizer(tmp_path)
    cast = llama.load(tmp_path, bfloat16=True, keep=True)
    assert (tmp_path / llama.BFLOAT16_FILE).is_file()
    kept = llama.load(tmp_path, bfloat16=True)
    assert kept.bfloat16_head is not None
    assert kept.model.layers[0].mlp.gate_up_proj.weight.dtype == cast.bfloat16_head.dtype
    a = LanguageModel(cast, tokenizer, "smollm2", True)._score(texts[:8])
    b = LanguageModel(kept, tokenizer, "smollm2", True)._score(texts[:8])
    assert [(x.surprisal, x.entropy) for x in a] == [(x.surprisal, x.entropy) for x in b]


def test_passes_side_by_side_score_as_one_after_the_other(folder, texts, monkeypatch):
    """With two passes allowed side by side, the passes of one call run on two Python threads,
    one torch thread each, even where torch itself was given one thread (a busy neighbour took
    the other core's free share), and every score is the one computed pass after pass."""
    import threading

    import torch

    from tqcheck.fluency import llama

    lm = LanguageModel(llama.load(folder), llama.Tokenizer(folder), "smollm2", True)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        monkeypatch.setenv("OMP_NUM_THREADS", "1")
        alone = lm._score(texts)
        monkeypatch.delenv("OMP_NUM_THREADS")
        monkeypatch.setattr("tqcheck.fluency.environment.usable_cores", lambda: 2)
        seen: set[tuple[int, int]] = set()
        forward = LanguageModel._forward

        def recorded(self, rows):
            seen.add((threading.get_ident(), torch.get_num_threads()))
            return forward(self, rows)

        monkeypatch.setattr(LanguageModel, "_forward", recorded)
        side_by_side = lm._score(texts)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    assert {n for _, n in seen} == {1} and threading.get_ident() not in {ident for ident, _ in seen}
    assert [(x.surprisal, x.entropy) for x in side_by_side] == [(x.surprisal, x.entropy) for x in alone]


def test_the_file_keeps_transformers_names_and_the_products_see_real_positions_only(folder, texts, tmp_path):
    """The kept bf16 file names q/k/v and gate/up as transformers does (the joined matrices are
    split again), and in bf16 the matrix products run over the real positions of a padded batch
    only, the attention over the padded layout (``llama.Rows``)."""
    import torch
    from safetensors import safe_open

    from tqcheck.fluency import llama

    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (tmp_path / name).symlink_to(folder / name)
    model = llama.load(tmp_path, bfloat16=True, keep=True)
    with safe_open(tmp_path / llama.BFLOAT16_FILE, "pt") as kept:
        names = set(kept.keys())
        assert {"model.layers.0.self_attn.q_proj.weight", "model.layers.0.mlp.up_proj.weight"} <= names
        assert not any("qkv_proj" in n or "gate_up_proj" in n for n in names)
        assert torch.equal(kept.get_tensor("model.layers.3.self_attn.k_proj.weight"),
                           model.model.layers[3].self_attn.qkv_proj.weight.split(
                               model.model.layers[3].self_attn.qkv_proj.sizes)[1])
    seen: list[int] = []
    model.model.layers[0].mlp.gate_up_proj.register_forward_hook(lambda _m, args, _o: seen.append(len(args[0])))
    lm = LanguageModel(model, llama.Tokenizer(tmp_path), "smollm2", True)
    lm._score(texts)
    tokens = sum(len(lm._encode(t)[0]) + 1 for t in texts)  # each row starts with the separator
    assert sum(seen) == tokens


@pytest.mark.parametrize("threads", [1, 2])
def test_bf16_products_keep_rows_and_columns_independent(threads):
    """What packing and fusing (``llama.Rows``, ``llama.FUSED``) rest on: a bf16 matrix product
    gives a row the same result whatever rows are beside it, and a column whatever columns."""
    import torch

    generator = torch.Generator().manual_seed(0)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(threads)
        for size, out in ((576, 960), (576, 3072), (1536, 576)):
            weight = torch.randn(out, size, generator=generator).to(torch.bfloat16)
            states = torch.randn(700, size, generator=generator).to(torch.bfloat16)
            full = torch.nn.functional.linear(states, weight)
            for first, rows in ((0, 1), (3, 16), (100, 37), (200, 500)):
                assert torch.equal(torch.nn.functional.linear(states[first:first + rows], weight),
                                   full[first:first + rows])
            assert torch.equal(torch.nn.functional.linear(states, weight[:out // 3]), full[:, :out // 3])
    finally:
        torch.set_num_threads(before)


def test_pass_threads_follow_the_usable_cores_unless_told(monkeypatch):
    """Passes side by side take every usable core (they never wait at a barrier), but
    ``OMP_NUM_THREADS``, set by the user or by a ``--jobs`` worker, is the limit."""
    from tqcheck.fluency import environment

    monkeypatch.setattr(environment, "usable_cores", lambda: 2)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert environment.pass_threads() == 2
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert environment.pass_threads() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "four")
    assert environment.pass_threads() == 2
