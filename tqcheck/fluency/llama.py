"""A Llama decoder in plain torch, loaded without transformers.

Importing transformers' Llama model costs about 2 s of CPU per process (its imports pull in
torch._dynamo, torch.distributed.tensor, sympy), more than the seed's forward passes: it was a
quarter of a warm ``tqcheck scan seeds/`` (docs/decisions.md).  This module runs the same
operations as transformers' ``LlamaModel`` with SDPA attention, in the same order and with the same
dtypes, so that its hidden states are bit for bit transformers' (``tests/test_llama.py`` compares
them in float32 and bf16 autocast, with and without padding).  It reads a converted model folder
(``config.json``, ``model.safetensors``, ``tokenizer.json``), as ``save_pretrained`` writes it;
a folder of another architecture, or with options this module does not implement, is loaded by
transformers instead (:func:`supports`).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional

from ..cache import write_atomic
from .scorer import cast_bfloat16

#: The bf16 weights of a converted folder, saved at its first bf16 load, with the output
#: projection's bf16 copy under :data:`HEAD`.
BFLOAT16_FILE = "model.bfloat16.safetensors"
HEAD = "tqcheck.bfloat16_head"
#: Projections of one input that run as one matrix product: fewer, larger products, and autocast
#: casts their input to bf16 once rather than once each.  Each output column is computed as it is
#: alone (oneDNN and MKL sum over the same inputs in the same order whatever the other columns;
#: tests/test_llama.py checks the bf16 product, and float32 scores against transformers'), so the
#: scores are the same bit for bit.  The files keep transformers' names: the matrices are joined
#: at load and split again at save.
FUSED = {"self_attn.qkv_proj": ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"),
         "mlp.gate_up_proj": ("mlp.gate_proj", "mlp.up_proj")}
#: ``config.json`` values this module implements; any other value goes to transformers.
_REQUIRED = {"model_type": "llama", "hidden_act": "silu", "attention_bias": False, "mlp_bias": False,
             "pretraining_tp": 1}


def supports(folder: Path) -> bool:
    """Whether the converted model in ``folder`` is a Llama this module runs exactly."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    rope = config.get("rope_parameters") or {}
    return (all(config.get(k, v) == v for k, v in _REQUIRED.items())
            and rope.get("rope_type", "default") == "default" and "rope_theta" in rope
            and (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file())


class _Linear(nn.Linear):
    def reset_parameters(self) -> None:
        """Nothing: the weights are loaded right after (random initialisation cost 0.3 s, and on
        torch's meta device it imports torch._dynamo)."""


class _Fused(_Linear):
    """Several projections of one input as one matrix (:data:`FUSED`), outputs of ``sizes``."""

    def __init__(self, size: int, sizes: list[int]) -> None:
        super().__init__(size, sum(sizes), bias=False)
        self.sizes = sizes


class _Embedding(nn.Embedding):
    def reset_parameters(self) -> None:
        """Nothing, as :meth:`_Linear.reset_parameters`."""


class RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        dtype = hidden.dtype
        hidden = hidden.to(torch.float32)
        variance = hidden.pow(2).mean(-1, keepdim=True)
        hidden = hidden * torch.rsqrt(variance + self.eps)
        return self.weight * hidden.to(dtype)


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.head_dim = config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]
        self.groups = config["num_attention_heads"] // config["num_key_value_heads"]
        self.scaling = self.head_dim ** -0.5
        size, heads, kv_heads = config["hidden_size"], config["num_attention_heads"], config["num_key_value_heads"]
        sizes = [heads * self.head_dim, kv_heads * self.head_dim, kv_heads * self.head_dim]
        self.qkv_proj = _Fused(size, sizes)
        self.o_proj = _Linear(heads * self.head_dim, size, bias=False)

    def forward(self, hidden: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                mask: torch.Tensor | None, rows: "Rows") -> torch.Tensor:
        query, key, value = rows.unpack(self.qkv_proj(hidden)).split(self.qkv_proj.sizes, dim=-1)
        shape = (*rows.shape, -1, self.head_dim)
        query, key, value = (t.reshape(shape).transpose(1, 2) for t in (query, key, value))
        cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
        query = query * cos + _rotate_half(query) * sin
        # transformers' key-value cache returns contiguous copies (torch.cat); the kernels see
        # the same layout here.
        key = (key * cos + _rotate_half(key) * sin).contiguous()
        value = value.contiguous()
        extra: dict[str, Any] = {}
        if self.groups > 1:
            if mask is None:
                extra["enable_gqa"] = True
            else:
                key, value = (_repeat_kv(t, self.groups) for t in (key, value))
        out = functional.scaled_dot_product_attention(query, key, value, attn_mask=mask, dropout_p=0.0,
                                                      scale=self.scaling, is_causal=mask is None, **extra)
        return self.o_proj(rows.pack(out.transpose(1, 2).flatten(2)))


def _repeat_kv(states: torch.Tensor, groups: int) -> torch.Tensor:
    batch, heads, length, dim = states.shape
    return states[:, :, None].expand(batch, heads, groups, length, dim).reshape(batch, heads * groups, length, dim)


class MLP(nn.Module):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        size, inner = config["hidden_size"], config["intermediate_size"]
        self.gate_up_proj = _Fused(size, [inner, inner])
        self.down_proj = _Linear(inner, size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up_proj(x).split(self.gate_up_proj.sizes, dim=-1)
        return self.down_proj(functional.silu(gate) * up)


class Layer(nn.Module):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.self_attn = Attention(config)
        self.mlp = MLP(config)
        self.input_layernorm = RMSNorm(config["hidden_size"], config["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(config["hidden_size"], config["rms_norm_eps"])

    def forward(self, hidden: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                mask: torch.Tensor | None, rows: "Rows") -> torch.Tensor:
        hidden = hidden + self.self_attn(self.input_layernorm(hidden), cos, sin, mask, rows)
        return hidden + self.mlp(self.post_attention_layernorm(hidden))


class Decoder(nn.Module):
    """The decoder stack (transformers' ``LlamaModel``): token ids → final hidden states."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.embed_tokens = _Embedding(config["vocab_size"], config["hidden_size"])
        self.layers = nn.ModuleList(Layer(config) for _ in range(config["num_hidden_layers"]))
        self.norm = RMSNorm(config["hidden_size"], config["rms_norm_eps"])
        self.inv_freq = _inverse_frequencies(config)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        positions = torch.arange(length)[None]
        freqs = positions[..., None].float() * self.inv_freq
        angles = torch.cat((freqs, freqs), dim=-1)
        dtype = self.embed_tokens.weight.dtype
        cos, sin = angles.cos().to(dtype), angles.sin().to(dtype)
        padding = attention_mask.bool()
        mask = None
        if not bool(padding.all()):  # SDPA's causal flag when nothing is padded, as transformers does
            causal = torch.arange(length)[None, None, None, :] <= torch.arange(length)[None, None, :, None]
            mask = causal & padding[:, None, None, :]
        bfloat16 = next(self.layers.parameters()).dtype == torch.bfloat16  # the matrices' (Rows says why)
        rows = Rows(padding, packed=mask is not None and bfloat16)
        hidden = self.embed_tokens(rows.pack(input_ids))
        for layer in self.layers:
            hidden = layer(hidden, cos, sin, mask, rows)
        return rows.unpack(self.norm(hidden))


class Rows:
    """A padded batch's positions, and the real ones among them.

    Everything but attention works position by position, so it runs on the real positions only
    (``packed``): a batch of sentences padded to a multiple of 8 wastes an eighth of its positions
    or more, and the matrix products cost per position.  Attention needs the padded layout, so
    the attention block unpacks its inputs (padded positions zero: they are masked) and packs its
    output.  The scores stay bit for bit the same: oneDNN's bf16 matrix product gives each row the
    same result whatever the number of rows beside it, and masked positions add exact zeros.
    MKL's float32 product, with two threads and a few rows, does not (it splits the sums
    differently), so float32 runs unpacked, as transformers does."""

    def __init__(self, padding: torch.Tensor, packed: bool) -> None:
        self.shape = padding.shape
        self.index = padding.flatten().nonzero()[:, 0] if packed else None

    def pack(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` of shape (rows, width, ...) → (positions, ...): the real ones when packed."""
        flat = x.reshape(-1, *x.shape[2:])
        return flat if self.index is None else flat.index_select(0, self.index)

    def unpack(self, x: torch.Tensor) -> torch.Tensor:
        """The inverse of :meth:`pack`, padded positions zero."""
        if self.index is not None:
            x = x.new_zeros((self.shape.numel(), *x.shape[1:])).index_copy_(0, self.index, x)
        return x.view(*self.shape, *x.shape[1:])


def _inverse_frequencies(config: dict[str, Any]) -> torch.Tensor:
    """The rotary embedding's frequencies, computed as transformers computes them."""
    dim = config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]
    base = config["rope_parameters"]["rope_theta"]
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float) / dim))


class Llama(nn.Module):
    """A causal LM with the interface the scorer uses: ``base_model`` (ids → hidden states) and
    ``get_output_embeddings()`` (the vocabulary projection)."""

    #: The output projection in bf16, once the weights are (:func:`load`).
    bfloat16_head: torch.Tensor | None = None

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.model = Decoder(config)
        self.lm_head = None if config.get("tie_word_embeddings", True) else \
            _Linear(config["hidden_size"], config["vocab_size"], bias=False)

    @property
    def base_model(self) -> Decoder:
        return self.model

    def get_output_embeddings(self) -> nn.Module:
        return self.model.embed_tokens if self.lm_head is None else self.lm_head


def load(folder: Path, bfloat16: bool = False, keep: bool = False) -> Llama:
    """The model of a converted folder, in eval mode: float32, or with ``bfloat16`` its matrix
    weights in bf16 and ``bfloat16_head`` the output projection's bf16 copy, as the scorer uses
    them.  The bf16 weights are read from :data:`BFLOAT16_FILE` when the folder has it; otherwise
    they are cast (0.3 s of CPU on SmolLM2, a sixth of the seed's model stage) and, with ``keep``
    (a folder of tqcheck's cache), saved there for the next process."""
    from safetensors.torch import load_file

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    model = Llama(config)
    copy = folder / BFLOAT16_FILE
    cached = bfloat16 and copy.is_file()
    weights = load_file(copy if cached else folder / "model.safetensors")
    head = weights.pop(HEAD, None)
    if model.lm_head is None:
        weights.pop("lm_head.weight", None)  # tied: the embeddings
    model.load_state_dict(_join(weights, config["num_hidden_layers"]), strict=True, assign=True)
    if cached:
        model.bfloat16_head = head
    elif bfloat16:
        model.bfloat16_head = cast_bfloat16(model)
        if keep:
            _save_copy(model, copy)
    return model.eval()


def _save_copy(model: Llama, path: Path) -> None:
    """Write the bf16 weights; a cache that cannot be written only means casting again."""
    from safetensors.torch import save

    tensors = _split(model)
    assert model.bfloat16_head is not None  # saved after the cast
    tensors[HEAD] = model.bfloat16_head
    try:
        write_atomic(path, save(tensors))
    except OSError:
        pass


def _join(weights: dict[str, torch.Tensor], layers: int) -> dict[str, torch.Tensor]:
    """The weights of a transformers Llama with each of :data:`FUSED`'s groups joined."""
    for n in range(layers):
        for fused, parts in FUSED.items():
            weights[f"model.layers.{n}.{fused}.weight"] = torch.cat(
                [weights.pop(f"model.layers.{n}.{part}.weight") for part in parts])
    return weights


def _split(model: Llama) -> dict[str, torch.Tensor]:
    """The model's weights under transformers' names (the inverse of :func:`_join`), each a
    tensor of its own (safetensors stores no views)."""
    tensors = {name: tensor.contiguous() for name, tensor in model.state_dict().items()}
    for n, layer in enumerate(model.model.layers):
        for fused, parts in FUSED.items():
            pieces = tensors.pop(f"model.layers.{n}.{fused}.weight").split(layer.get_submodule(fused).sizes)
            tensors.update((f"model.layers.{n}.{part}.weight", piece.clone()) for part, piece in zip(parts, pieces))
    return tensors


class Tokenizer:
    """A converted folder's ``tokenizer.json`` through the ``tokenizers`` library (which
    transformers' fast tokenizers wrap), with the members of a transformers tokenizer the scorer
    uses: calling it for ids and offsets, ``get_vocab``, and the special tokens."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer as Backend

        self.backend = Backend.from_file(str(folder / "tokenizer.json"))
        try:
            config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            config = {}
        self.bos_token, self.eos_token, pad = (_token(config.get(k)) for k in ("bos_token", "eos_token", "pad_token"))
        self.pad_token_id = self.backend.token_to_id(pad) if pad else None

    def __call__(self, text: str, add_special_tokens: bool = True,
                 return_offsets_mapping: bool = False) -> dict[str, list[Any]]:
        encoding = self.backend.encode(text, add_special_tokens=add_special_tokens)
        return {"input_ids": encoding.ids, "offset_mapping": encoding.offsets}

    def get_vocab(self) -> dict[str, int]:
        return dict(self.backend.get_vocab(with_added_tokens=True))


def _token(value: Any) -> str | None:
    """A special token as ``tokenizer_config.json`` gives it: a string or ``{"content": ...}``."""
    return value.get("content") if isinstance(value, dict) else value
