"""Calibration by approximate Bayesian computation (ABC-SMC) over behavioural parameters.

* :mod:`.smc`: the algorithm (population Monte Carlo, adaptive tolerance, batch simulator);
* :mod:`.priors`, :mod:`.distance`: priors and the distance to the targets;
* :mod:`.store`: one Parquet file per complete generation (resume after a crash);
* :mod:`.simulator`: the model as a batch simulator (local, worker pool or Dask);
* :mod:`.spec`, :mod:`.session`, :mod:`.report`: the TOML spec, a whole run, the report.

Command line: ``soviet-cohesion calibrate SPEC.toml [--out DIR] [--workers N] [--scheduler ...]``;
docs/validation.md says why this is not pyabc.
"""
