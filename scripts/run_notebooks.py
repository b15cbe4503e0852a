"""Run notebooks from top to bottom in a fresh kernel of this Python; fail on the first error.

    python scripts/run_notebooks.py examples/*.ipynb                 # in a temporary folder
    python scripts/run_notebooks.py --cwd DIR examples/*.ipynb       # in DIR (results land there)

The kernel is this interpreter's own (``sys.executable``), whatever Jupyter kernels the machine
has. A code cell tagged ``expect-widget`` must display a Jupyter widget (the dashboard). The
notebooks are not changed: what a run produced is thrown away, so the committed files carry no
outputs. Exit status 1 if a notebook fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

WIDGET = "application/vnd.jupyter.widget-view+json"
KERNEL = "soviet-cohesion-notebooks"


def private_kernel(folder: Path) -> None:
    """A kernel spec for this interpreter, found first through JUPYTER_PATH."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"soviet-cohesion ({sys.executable})", "language": "python",
    }))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("JUPYTER_PATH")]))


def run(path: Path, cwd: Path, timeout: int) -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute()
    for i, cell in enumerate(nb.cells):
        wants_widget = cell.cell_type == "code" and "expect-widget" in cell.metadata.get("tags", [])
        if wants_widget and not any(WIDGET in output.get("data", {}) for output in cell.outputs):
            raise AssertionError(f"{path}: cell {i} is tagged expect-widget but displayed no widget")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--cwd", type=Path, default=None,
                        help="working directory of the kernels (default: a temporary one)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a cell may take (default 600)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")
    with tempfile.TemporaryDirectory() as tmp:
        private_kernel(Path(tmp) / "jupyter")
        cwd = (args.cwd or Path(tmp) / "work").resolve()
        cwd.mkdir(parents=True, exist_ok=True)
        failed = 0
        for path in args.notebooks:
            started = time.perf_counter()
            try:
                run(path.resolve(), cwd, args.timeout)
            except Exception as exc:  # noqa: BLE001 - report every notebook, then fail
                failed += 1
                print(f"FAILED {path} ({time.perf_counter() - started:.1f} s): {exc}", file=sys.stderr)
                continue
            print(f"ok {path} ({time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
