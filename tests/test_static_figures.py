"""Notebooks show every explorer's figure without a kernel (issue 13 §1).

The committed notebooks must carry, for each displayed explorer, one output bundle with the
widget view *and* a PNG, and no widget state (with it, nbconvert and nbviewer would pick the
widget view and try to draw it from a CDN instead of showing the image). An nbconvert HTML
export of an executed notebook then has one ``<img>`` per explorer.
"""

import base64
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def _explorer_outputs(nb: dict) -> list[dict]:
    """Outputs that display an explorer (its text is the Explorer's repr, or, in notebooks
    executed before explorers had a static image, the repr of its VBox)."""
    out = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = "".join(data.get("text/plain", ""))
            if WIDGET in data and text.startswith(("<Explorer", "VBox(")):
                out.append(output)
    return out


def _non_blank(png_b64: str) -> bool:
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(png_b64))).convert("L"))
    return pixels.std() > 10 and (pixels < 128).mean() > 0.002


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_carry_a_png_per_explorer(path):
    nb = json.loads(path.read_text())
    assert "widgets" not in nb["metadata"], (
        f"{path.name} stores widget state; re-execute it with notebooks/execute.py")
    outputs = _explorer_outputs(nb)
    assert outputs, f"{path.name} displays no explorer"
    missing = [o["data"]["text/plain"][:60] for o in outputs if "image/png" not in o["data"]]
    assert not missing, f"{path.name}: explorers without a static image (re-execute): {missing}"
    assert all(_non_blank(o["data"]["image/png"]) for o in outputs)


@pytest.mark.slow
def test_nbconvert_html_of_an_executed_notebook_has_an_img_per_explorer(tmp_path):
    source = ROOT / "notebooks" / "00_start_here.ipynb"
    work = tmp_path / "00_start_here.ipynb"
    shutil.copy(source, work)
    env_py = sys.executable
    run = subprocess.run([env_py, str(ROOT / "notebooks" / "execute.py"), str(work)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    nb = json.loads(work.read_text())
    outputs = _explorer_outputs(nb)
    assert outputs and all("image/png" in o["data"] for o in outputs)
    assert "widgets" not in nb["metadata"]
    conv = subprocess.run([env_py, "-m", "jupyter", "nbconvert", "--to", "html", str(work)],
                          capture_output=True, text=True, timeout=300)
    assert conv.returncode == 0, conv.stderr[-2000:]
    page = work.with_suffix(".html").read_text()
    images = re.findall(r'<img[^>]*src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == len(outputs)
    assert all(_non_blank(b) for b in images)
