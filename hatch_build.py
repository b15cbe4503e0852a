"""Wheel build hook: copy the data kept at the top of the repository into the package.

The repository keeps three folders beside ``src/`` because people edit them as data, not code:
``agents/`` (the archetypes), ``dashboard/`` (the Solara app) and ``experiments/`` (the sweep
specifications; only its ``*.toml`` files ship, its scripts and README stay in the repository).
A wheel holds them as ``soviet_cohesion/agents/``, ``soviet_cohesion/dashboard/`` and
``soviet_cohesion/experiments/``. Compiled files (``__pycache__``) are left out. Editable installs
need nothing: the package finds these folders in the repository.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: folder -> file patterns that ship
SHIPPED = {"agents": ("*.toml",), "dashboard": ("*",), "experiments": ("*.toml",)}


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        for folder, patterns in SHIPPED.items():
            files = {p for pattern in patterns for p in (root / folder).glob(pattern)}
            for path in sorted(files):
                if path.is_file() and path.suffix != ".pyc":
                    build_data["force_include"][str(path)] = f"soviet_cohesion/{folder}/{path.name}"
