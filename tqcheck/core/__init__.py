"""The core layer: what every other layer speaks, and nothing that runs a check.

The document model (:mod:`.document`, :mod:`.segments`, the bilingual units of :mod:`.bilingual`
and their alignment :mod:`.align`), findings and severities (:mod:`.findings`), the options of a
run and the result of a checked file (:mod:`.results`), and the errors the CLI turns into one line
(:mod:`.errors`).  Modules here import only each other and the standard library: readers, checks,
the model, the pipeline and the reports are built on them, never the other way round
(``tests/test_architecture.py``).
"""
