"""The centre's levers the teacher moves in class, with short labels (names from the model's
parameter registry)."""

from __future__ import annotations

#: the five levers the teacher sees first
CLASS_LEVERS = {
    "audit_capacity": "Audits",
    "punishment_severity": "Punishment",
    "supply_rate": "Supplies",
    "responsibility_shared": "Share responsibility",
    "openness": "Openness (glasnost)",
}
#: under "More levers"
MORE_CLASS_LEVERS = {
    "supply_reform": "Supply reform",
    "appeasement": "Appeasement",
    "decentralisation": "Decentralisation",
    "local_accountability": "Local accountability",
    "scarcity": "Scarcity",
}
ALL_CLASS_LEVERS = {**CLASS_LEVERS, **MORE_CLASS_LEVERS}
