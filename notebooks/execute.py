"""Re-execute notebooks in place from a clean kernel (``make notebooks``).

Each notebook runs top to bottom in a fresh kernel of the current environment, with the
notebooks folder as working directory, and is written back with its outputs. Any cell error
(other than in a cell tagged ``raises-exception``) stops with a non-zero exit status and leaves
the file untouched.

Usage: ``python notebooks/execute.py [NOTEBOOK ...]`` (default: every numbered notebook in
``notebooks/`` and the instructors' model answers in ``solutions/``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent
SOLUTIONS = HERE.parent / "solutions"


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive stream outputs of the same stream (stdout, stderr) into one: how a
    cell's prints are split into messages depends on when the kernel flushed, and a stored
    output should not."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None
                and prev.get("output_type") == "stream" and prev.get("name") == out.get("name")):
            prev["text"] = "".join(prev["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def execute(path: Path, *, timeout: int = 600) -> float:
    """Execute one notebook in place; return its wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    # No widget state is stored: it is most of a notebook's size and useless without a kernel,
    # and with it nbconvert, nbviewer and GitHub would try to draw empty widgets (from a CDN)
    # instead of the static PNG that each explorer's output carries (kitlib.explore).
    nb.metadata.pop("widgets", None)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - t0
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                          "language": "python"})
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or (sorted(HERE.glob("[0-9][0-9]_*.ipynb"))
                                                  + sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")))
    failed = []
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        try:
            print(f"  done in {execute(path):.1f} s", flush=True)
        except CellExecutionError as exc:
            failed.append(path.name)
            print(f"  FAILED: {str(exc).splitlines()[0] if str(exc) else exc}", flush=True)
            print(exc, file=sys.stderr)
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
