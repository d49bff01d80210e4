"""The fluency model: a causal language model that scores sentences, points at unexpected words
and ranks candidate corrections.

Nothing in this package imports torch or transformers at import time: they load when a model is
first used, so ``tqcheck scan --no-model`` starts fast and the reports can import ``scoring``.

- ``catalogue`` the packaged models, what a ``--model`` value names, the model per language
- ``environment`` torch and transformers: installed?, imported with tqcheck's thread settings
- ``convert``   GGUF → safetensors, once, into the cache
- ``loader``    loads a model once per process; ``precision`` picks bf16 or float32 for this CPU
- ``info``      what ``tqcheck model info`` prints
- ``failures``  how the model fails (shared, so that no module imports another for it)
- ``calibration`` the fitted constants of each model on each language
- ``scorer``    token surprisals of many texts, batched
- ``sentences`` per-sentence and per-file fluency (perplexity, 0-100 score)
- ``spans``     findings for words that surprise the model far more than it expected
- ``rerank``    orders a finding's suggestions by the likelihood of the corrected sentence
- ``surprisal`` how token surprisals become a sentence score (the file penalty: ``tqcheck/scoring.py``)
- ``stage``     the pipeline stage that runs all of the above on one document
"""
