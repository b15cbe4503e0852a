"""Wheel build hook: copy the data kept at the top of the repository into the package.

The repository keeps three folders beside ``src/`` because people edit them as data, not code:
``agents/`` (the archetypes), ``dashboard/`` (the Solara app) and ``experiments/`` (the sweep
specifications; only its ``*.toml`` files ship, its scripts and README stay in the repository).
A wheel holds them as ``soviet_cohesion/agents/``, ``soviet_cohesion/dashboard/`` (with its
``data/``, the discovery panel's file) and ``soviet_cohesion/experiments/``. Compiled files
(``__pycache__``) are left out. Editable installs need nothing: the package finds these folders
in the repository.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: folder -> file patterns that ship (relative to the folder; a pattern may name a subfolder)
SHIPPED = {"agents": ("*.toml",), "dashboard": ("*", "data/*", "classroom/*"), "experiments": ("*.toml",)}


def shipped_files(root: Path) -> dict[str, str]:
    """{file in the repository: its path in the wheel} for every file that ships."""
    out = {}
    for folder, patterns in SHIPPED.items():
        files = {p for pattern in patterns for p in (root / folder).glob(pattern)}
        for path in sorted(files):
            if path.is_file() and path.suffix != ".pyc":
                out[str(path)] = f"soviet_cohesion/{folder}/{path.relative_to(root / folder).as_posix()}"
    return out


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        build_data["force_include"].update(shipped_files(Path(self.root)))
