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
        self.q_proj = _Linear(size, heads * self.head_dim, bias=False)
        self.k_proj = _Linear(size, kv_heads * self.head_dim, bias=False)
        self.v_proj = _Linear(size, kv_heads * self.head_dim, bias=False)
        self.o_proj = _Linear(heads * self.head_dim, size, bias=False)

    def forward(self, hidden: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                mask: torch.Tensor | None) -> torch.Tensor:
        shape = (*hidden.shape[:-1], -1, self.head_dim)
        query = self.q_proj(hidden).view(shape).transpose(1, 2)
        key = self.k_proj(hidden).view(shape).transpose(1, 2)
        value = self.v_proj(hidden).view(shape).transpose(1, 2)
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
        out = out.reshape(out.shape[0], -1, hidden.shape[1], value.shape[-1]).transpose(1, 2).contiguous()
        return self.o_proj(out.reshape(*hidden.shape[:-1], -1).contiguous())


def _repeat_kv(states: torch.Tensor, groups: int) -> torch.Tensor:
    batch, heads, length, dim = states.shape
    return states[:, :, None].expand(batch, heads, groups, length, dim).reshape(batch, heads * groups, length, dim)


class MLP(nn.Module):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        size, inner = config["hidden_size"], config["intermediate_size"]
        self.gate_proj = _Linear(size, inner, bias=False)
        self.up_proj = _Linear(size, inner, bias=False)
        self.down_proj = _Linear(inner, size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(functional.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.self_attn = Attention(config)
        self.mlp = MLP(config)
        self.input_layernorm = RMSNorm(config["hidden_size"], config["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(config["hidden_size"], config["rms_norm_eps"])

    def forward(self, hidden: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                mask: torch.Tensor | None) -> torch.Tensor:
        hidden = hidden + self.self_attn(self.input_layernorm(hidden), cos, sin, mask)
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
        hidden = self.embed_tokens(input_ids)
        length = input_ids.shape[1]
        positions = torch.arange(length)[None]
        freqs = positions[..., None].float() * self.inv_freq
        angles = torch.cat((freqs, freqs), dim=-1)
        cos, sin = angles.cos().to(hidden.dtype), angles.sin().to(hidden.dtype)
        padding = attention_mask.bool()
        mask = None
        if not bool(padding.all()):  # SDPA's causal flag when nothing is padded, as transformers does
            causal = torch.arange(length)[None, None, None, :] <= torch.arange(length)[None, None, :, None]
            mask = causal & padding[:, None, None, :]
        for layer in self.layers:
            hidden = layer(hidden, cos, sin, mask)
        return self.norm(hidden)


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
    model.load_state_dict(weights, strict=True, assign=True)
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

    tensors = {name: tensor.contiguous() for name, tensor in model.state_dict().items()}
    tensors[HEAD] = model.bfloat16_head
    try:
        write_atomic(path, save(tensors))
    except OSError:
        pass


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
