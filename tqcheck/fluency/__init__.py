"""The fluency model: a causal language model that scores sentences, points at unexpected words
and ranks candidate corrections.

Nothing in this package imports torch or transformers at import time: they load when a model is
first used, so ``tqcheck scan --no-model`` starts fast and the reports can import ``scoring``.

- ``model``     finds, chooses per language, converts (GGUF → safetensors, once, into the cache)
                and loads the model
- ``calibration`` the fitted constants of each model on each language
- ``scorer``    token surprisals of many texts, batched
- ``sentences`` per-sentence and per-file fluency (perplexity, 0-100 score)
- ``spans``     findings for words that surprise the model far more than it expected
- ``rerank``    orders a finding's suggestions by the likelihood of the corrected sentence
- ``scoring``   how fluency enters the file penalty and score
- ``stage``     the pipeline stage that runs all of the above on one document
"""
