"""Validation against history: patterns, scoring over seeds, null models and the report.

* :mod:`.runs`: model runs as :class:`~.runs.RunOutput` (the seam for the ensemble engine).
* :mod:`.statistics`: what the model says, measured on one run.
* :mod:`.patterns`: each statistic paired with its historical value and a criterion.
* :mod:`.nulls`: null model (a), the static ranking of the republics.
* :mod:`.scoring`: a pattern over many seeds: median, 90% interval, share matching, verdict.
* :mod:`.validate` and :mod:`.report`: the whole validation and its Markdown report.

Command line: ``soviet-cohesion validate [--seeds N] [--out DIR]``; see docs/validation.md.
"""
