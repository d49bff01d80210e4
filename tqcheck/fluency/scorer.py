"""Token surprisals of many texts at once: the only module that runs the network.

A text is scored as the document separator followed by the text (``"<|endoftext|>" + text``
for SmolLM2, no other special token: that tokenizer's default BOS makes scores worse; ``"<bos>"``
for Gemma, whose scores are noise without it), so the first word is scored as the start of a
document.  For each token we keep its surprisal (negative log
probability, in nats) and the entropy of the model's prediction at that place: what the model
*expected* to pay there, which tells a surprising word from a place where anything could come.

Speed: texts are sorted by length and scored in batches of at most ``BATCH_TOKENS`` tokens
(little padding, bounded memory; widths padded to a multiple of ``WIDTH_STEP``), under
``torch.inference_mode`` and in the precision measured fastest on this CPU (``precision.py``): bf16
autocast or float32; the vocabulary projection runs over chunks of positions so that its logits per
token (49,152 for SmolLM2, 262,144 for Gemma) never all sit in memory at once.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from .environment import pass_threads
from .failures import ModelUnavailable, out_of_memory

#: Most tokens (padding included) in one forward pass; bounds activation memory.
BATCH_TOKENS = 2048
#: Most texts in one forward pass (more costs speed on a CPU: measured in bench_fluency.py).
BATCH_TEXTS = 32
#: Longer texts are scored in windows of this many tokens, each starting a fresh context.
WINDOW = 512
#: Positions per vocabulary projection chunk: 128 × 49,152 float32 logits (25 MB) is the fastest
#: here (bigger chunks spill out of the caches, smaller ones starve the matrix product).
LOGIT_CHUNK = 128
#: Padded widths of a forward pass: a row of n positions is padded to the next multiple of
#: ``WIDTH_STEP``, at least ``MIN_WIDTH``, and a batch holds rows of one width only.  The
#: attention kernels take other paths at other widths (below 16, from 32, from 128, ...) whose bf16
#: results differ in the second decimal, so a text padded to whatever its batch-mates needed
#: would score differently alone than beside longer texts.  With the width a function of the
#: text's own length, its scores do not depend on the texts in its batch (the number of rows does
#: not change them): a file's findings are the same whatever files are checked with it
#: (tests/test_runner.py).
MIN_WIDTH = 16
WIDTH_STEP = 8
#: Texts whose scores are kept for reuse.
MEMO = 20_000
#: Document separator tokens tried in turn; the first the vocabulary has starts every text
#: (``<bos>`` before ``<s>``: Gemma's vocabulary has ``<s>`` as an ordinary token).
_STARTS = ("<|endoftext|>", "<|begin_of_text|>", "<bos>", "<s>")


@dataclass
class TokenScores:
    """One text's tokens: character spans in the text, surprisal and expected surprisal (nats)."""

    text: str
    spans: list[tuple[int, int]]
    surprisal: list[float]
    entropy: list[float]

    @property
    def total(self) -> float:
        return sum(self.surprisal)

    @property
    def tokens(self) -> int:
        return len(self.surprisal)

    @property
    def perplexity(self) -> float:
        return math.exp(self.total / self.tokens) if self.tokens else 1.0


class LanguageModel:
    """A causal LM and its tokenizer, ready to score text."""

    def __init__(self, model: Any, tokenizer: Any, name: str, bfloat16: bool) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.bfloat16 = bfloat16
        self.start_id = self._start_token()
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.start_id
        self._memo: dict[str, TokenScores] = {}
        #: The output projection's weights in the precision the scores are computed in.
        self.head = _output_weights(model, bfloat16)

    def _start_token(self) -> int:
        vocab = self.tokenizer.get_vocab()
        for token in (*_STARTS, self.tokenizer.bos_token, self.tokenizer.eos_token):
            if token and token in vocab:
                return int(vocab[token])
        raise ModelUnavailable(f"{self.name}: the tokenizer has no document separator token")

    @property
    def precision(self) -> str:
        return "bfloat16 autocast" if self.bfloat16 else "float32"

    def _encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return list(enc["input_ids"]), [tuple(span) for span in enc["offset_mapping"]]

    def score(self, texts: Sequence[str]) -> list[TokenScores]:
        """Surprisal and entropy of every token of every text, in the order given.

        A text seen lately is not scored again (headings and boilerplate repeat across files; the
        reranker asks for sentences already scored).  Raises :class:`ModelUnavailable` when the
        machine runs out of memory.
        """
        new = list(dict.fromkeys(t for t in texts if t not in self._memo))
        self._memo.update(zip(new, self._score(new)))
        out = [self._memo[t] for t in texts]
        for old in list(self._memo)[:max(len(self._memo) - MEMO, 0)]:
            del self._memo[old]
        return out

    def _score(self, texts: list[str]) -> list[TokenScores]:
        encoded = [self._encode(t) for t in texts]
        pieces: list[tuple[int, int, int]] = []  # (text index, first token, end token)
        for i, (ids, _) in enumerate(encoded):
            pieces.extend((i, s, min(s + WINDOW, len(ids))) for s in range(0, len(ids), WINDOW))
        pieces.sort(key=lambda p: p[2] - p[1])
        results: dict[tuple[int, int], tuple[list[float], list[float]]] = {}
        batches = self._batches(pieces)
        try:
            passes = self._passes([[[self.start_id, *encoded[i][0][s:e]] for i, s, e in b] for b in batches])
            for batch, scored_rows in zip(batches, passes):
                for (i, s, _), scored in zip(batch, scored_rows):
                    results[(i, s)] = scored
        except (MemoryError, RuntimeError) as exc:
            if not out_of_memory(exc):
                raise
            raise ModelUnavailable(f"{self.name}: out of memory while scoring") from None
        out = []
        for i, (text, (ids, spans)) in enumerate(zip(texts, encoded)):
            surprisal: list[float] = []
            entropy: list[float] = []
            for s in range(0, len(ids), WINDOW):
                surprisal += results[(i, s)][0]
                entropy += results[(i, s)][1]
            out.append(TokenScores(text, spans, surprisal, entropy))
        return out

    @staticmethod
    def _batches(pieces: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
        """Consecutive pieces (sorted by length) of one padded width while the batch stays within
        the limits."""
        batches: list[list[tuple[int, int, int]]] = []
        width = 0
        for piece in pieces:
            same = _width(piece[2] - piece[1] + 1) == width
            if same and len(batches[-1]) < BATCH_TEXTS and width * (len(batches[-1]) + 1) <= BATCH_TOKENS:
                batches[-1].append(piece)
            else:
                batches.append([piece])
                width = _width(piece[2] - piece[1] + 1)
        return batches

    def _passes(self, passes: list[list[list[int]]]) -> list[list[tuple[list[float], list[float]]]]:
        """:meth:`_forward` of each pass's rows, in order.

        With several passes to run, they run side by side on :func:`pass_threads` Python
        threads, one torch thread each (torch releases the interpreter lock inside its
        operations), the largest first.  One pass split across threads meets them at a barrier
        after every operation, a few thousand times for the seed's short rows; whole passes side
        by side never wait for each other, so a busy neighbour slows one of them and stalls
        none: they may take every usable core, where one pass split across threads takes only the
        free ones (docs/decisions.md).  A row's scores are the same with one thread or more and
        whatever runs beside it (tests/test_llama.py)."""
        import torch

        threads = torch.get_num_threads()
        side_by_side = pass_threads()
        if side_by_side < 2 or len(passes) < 2:
            return [self._forward(rows) for rows in passes]
        from concurrent.futures import ThreadPoolExecutor

        largest_first = sorted(range(len(passes)), key=lambda k: -len(passes[k]) * max(map(len, passes[k])))
        torch.set_num_threads(1)
        try:
            with ThreadPoolExecutor(min(side_by_side, len(passes))) as pool:
                done = dict(zip(largest_first, pool.map(lambda k: self._forward(passes[k]), largest_first)))
        finally:
            torch.set_num_threads(threads)
        return [done[k] for k in range(len(passes))]

    def _forward(self, rows: list[list[int]]) -> list[tuple[list[float], list[float]]]:
        """Surprisal and entropy of tokens 1.. of each row (row[0] is the separator)."""
        import torch

        width = _width(max(len(r) for r in rows))
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for n, row in enumerate(rows):
            ids[n, :len(row)] = torch.tensor(row)
            mask[n, :len(row)] = 1
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16):
            hidden = self.model.base_model(input_ids=ids, attention_mask=mask)
            hidden = getattr(hidden, "last_hidden_state", hidden)  # transformers wraps it, llama.py does not
            valid = mask[:, 1:].bool()
            states = hidden[:, :-1][valid]
            targets = ids[:, 1:][valid]
            surprisal, entropy = [], []
            for c in range(0, len(states), LOGIT_CHUNK):
                logits = torch.nn.functional.linear(states[c:c + LOGIT_CHUNK].to(self.head.dtype), self.head)
                # float32 softmax; the exponentials multiplied in place: one 25 MB pass less each
                logp = torch.log_softmax(logits, dim=-1, dtype=torch.float32)
                surprisal.append(-logp.gather(1, targets[c:c + LOGIT_CHUNK, None])[:, 0])
                entropy.append(-logp.exp().mul_(logp).sum(-1))
        flat_s = torch.cat(surprisal).tolist()
        flat_e = torch.cat(entropy).tolist()
        out, pos = [], 0
        for row in rows:
            n = len(row) - 1
            out.append((flat_s[pos:pos + n], flat_e[pos:pos + n]))
            pos += n
        return out


def _width(positions: int) -> int:
    """The padded width of a row of ``positions`` (see :data:`MIN_WIDTH`)."""
    return max(MIN_WIDTH, -(-positions // WIDTH_STEP) * WIDTH_STEP)


def _output_weights(model: Any, bfloat16: bool) -> Any:
    """The vocabulary projection's weight matrix, in bf16 when scoring in bf16.

    In bf16 the decoder's matrix weights are cast once here, rather than by autocast on every
    forward pass: the same numbers (autocast rounds them the same way), 18% faster.  The output
    projection gets its own bf16 copy, since it is tied to the float32 input embeddings: autocast
    would cast the whole matrix again for every chunk of positions (262,144 × 640 for Gemma 3).
    Embeddings and norms stay float32, copied off the memory-mapped safetensors file so that its
    mapping is released: a SmolLM2 scan's peak memory falls from 1.7 to 1.2 GB."""
    if not bfloat16:
        return model.get_output_embeddings().weight
    prepared = getattr(model, "bfloat16_head", None)  # cast once and kept in the cache (llama.py)
    return prepared if prepared is not None else cast_bfloat16(model)


def cast_bfloat16(model: Any) -> Any:
    """Cast the decoder's matrix weights to bf16 in place, copy the rest off the weights file, and
    return the output projection's bf16 copy (:func:`_output_weights` says why)."""
    import torch

    weight = model.get_output_embeddings().weight
    for module in model.base_model.modules():
        if isinstance(module, torch.nn.Linear):
            module.to(torch.bfloat16)
        else:
            for param in module.parameters(recurse=False):
                param.data = param.data.clone()
    return weight.detach().to(torch.bfloat16)
