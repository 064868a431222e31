"""Stored notebook outputs do not depend on when the kernel flushed its output.

A cell that prints in a loop may reach the notebook as one stream message or several,
depending on timing; ``notebooks/execute.py`` merges consecutive stream outputs so that
re-executing a notebook stores the same outputs.
"""

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
STORED = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))


def _execute_module():
    spec = importlib.util.spec_from_file_location("kit_execute", ROOT / "notebooks" / "execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coalesce_streams_merges_only_neighbours_of_one_stream():
    out = nbformat.v4.new_output
    merged = _execute_module().coalesce_streams([
        out("stream", name="stdout", text="a\n"), out("stream", name="stdout", text=["b\n", "c\n"]),
        out("stream", name="stderr", text="warn\n"), out("stream", name="stdout", text="d\n"),
        out("execute_result", data={"text/plain": "1"}, execution_count=1),
        out("stream", name="stdout", text="e\n")])
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "a\nb\nc\n"), ("stream", "stderr", "warn\n"),
        ("stream", "stdout", "d\n"), ("execute_result", None, None), ("stream", "stdout", "e\n")]


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_stored_notebooks_have_no_split_streams(path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        outputs = cell.get("outputs", [])
        for a, b in zip(outputs, outputs[1:]):
            assert not (a["output_type"] == b["output_type"] == "stream"
                        and a["name"] == b["name"]), (
                f"{path.name} cell {i}: a stream output split in two (re-execute it with "
                "notebooks/execute.py)")
