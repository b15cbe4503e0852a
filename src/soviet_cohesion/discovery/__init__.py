"""Scenario discovery: which of the centre's levers, set when, kept the union together?

* :mod:`.prim`: PRIM (Friedman and Fisher 1999): peeling, pasting, covering;
* :mod:`.experiment`: the sampled levers and dates over the Gorbachev years, and the runs;
* :mod:`.report`: boxes, trajectory, figures, report.

Command line: ``soviet-cohesion discover [--runs N] [--out DIR]``; docs/validation.md says why this
is not the EMA Workbench.
"""
