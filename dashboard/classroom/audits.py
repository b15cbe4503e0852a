"""What the centre's auditors did to a region this quarter, read from the model's public surface.

After a step, a region's official was

* **caught** when it decided to hold back (manage risk) and ends the quarter obeying: the
  auditors found it out and it was reprimanded (the model puts a caught official back in line);
* **replaced** when, in addition, the official is a new agent: it was dismissed and a successor
  appointed;
* **audited** when the model says so (``model.audited``, one flag per region, when the model
  provides it); otherwise only the caught ones are known to have been audited.
"""

from __future__ import annotations

from soviet_cohesion import Stance


def audited_flags(model):
    """The model's per-region audit flags of the last step, or None if it does not keep them."""
    flags = getattr(model, "audited", None)
    try:
        return flags if flags is not None and len(flags) == model.n_regions else None
    except TypeError:
        return None


def outcome(model, region: int, decided: int, official_before) -> tuple[bool | None, bool, bool]:
    """(audited, caught, replaced) for ``region`` after a step; ``decided`` is the stance chosen
    for it this quarter (by the student or its official), ``official_before`` the official agent
    before the step."""
    stance = int(model.stance[region])
    caught = int(decided) == int(Stance.MANAGING_RISK) and stance == int(Stance.OBEYING)
    replaced = caught and model.officials[region] is not official_before
    flags = audited_flags(model)
    audited = bool(flags[region]) if flags is not None else (True if caught else None)
    return audited, caught, replaced
