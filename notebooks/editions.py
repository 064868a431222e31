"""Build the student and the instructor editions of the kit (``make editions``).

Both editions come from the same sources, ``notebooks/NN_*.ipynb`` and
``solutions/NN_solutions.ipynb``, by cell tags:

``solution``, ``model-answer``, ``instructor``
    The cell is for instructors only: a worked solution, a model answer, or a teaching remark.
    **Removed** from the student edition.
``answer-output``
    The cell stays, but its stored output would give an exercise's answer away (a plot or a
    printed number that *is* the answer). Its **outputs are cleared** in the student edition;
    students see them when they run the cell.

The student edition (``editions/student/``) is the numbered notebooks with those cells removed
or cleared. Its exercise checks still work: they call ``kitlib.checks.nbNN``, which computes
the right answer at call time. After writing it, the build *verifies* it and stops with a
non-zero exit status if any tagged cell survived or if any model answer of
``kitlib.checks.nbNN.MODEL_ANSWERS`` occurs in a student notebook (see :func:`answer_needles`).

The instructor edition (``editions/instructor/``) is the numbered notebooks unchanged except for
a first markdown cell with the teaching notes of ``solutions/notes/NN.md`` (timing for a 50- and
a 90-minute session, prerequisites, misconceptions and how the explorers correct them,
in-class questions), plus ``solutions/`` with the executed model-answer notebooks.

Builds are deterministic: building twice gives byte-identical files.

Usage: ``python notebooks/editions.py [--out editions]``.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import math
import re
import shutil
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOLUTIONS = ROOT / "solutions"
NOTES = SOLUTIONS / "notes"

#: Cells removed from the student edition.
INSTRUCTOR_TAGS = frozenset({"solution", "model-answer", "instructor"})
#: Cells whose stored outputs are cleared in the student edition.
ANSWER_OUTPUT_TAG = "answer-output"
NOTES_CELL_ID = "teaching-notes"


class EditionError(RuntimeError):
    """A student edition would give answers away (the build stops)."""


def numbered_notebooks(folder: Path = HERE) -> list[Path]:
    """The kit's notebooks ``NN_*.ipynb``, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def _number(path: Path) -> str:
    return path.name[:2]


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def student_notebook(nb):
    """A copy of ``nb`` without instructor cells and with answer outputs cleared."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not (_tags(c) & INSTRUCTOR_TAGS)]
    for cell in out.cells:
        if cell.cell_type == "code" and ANSWER_OUTPUT_TAG in _tags(cell):
            cell.outputs = []
            cell.execution_count = None
    return out


def instructor_notebook(nb, notes: str | None, number: str):
    """A copy of ``nb`` with the teaching notes as its first (markdown) cell."""
    out = copy.deepcopy(nb)
    if notes is None:
        notes = (f"**Teaching notes for notebook {number} are missing** "
                 f"(expected `solutions/notes/{number}.md`).")
    cell = nbformat.v4.new_markdown_cell(notes.strip() + "\n")
    cell.id = NOTES_CELL_ID
    cell.metadata["tags"] = ["instructor"]
    out.cells.insert(0, cell)
    return out


# -- what must not reach students -----------------------------------------------------------------
def model_answers(number: str) -> dict | None:
    """``kitlib.checks.nbNN.MODEL_ANSWERS``, or None when that module does not exist (yet)."""
    name = f"kitlib.checks.nb{number}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (name, "kitlib.checks"):
            return None
        raise
    return dict(getattr(module, "MODEL_ANSWERS", {}))


_WORDS_PER_PHRASE = 8


def _number_forms(value: float) -> list[str]:
    """How a student would type a non-trivial number: 3 and 4 significant digits (numbers
    with fewer significant digits, like 0.5 or 2, occur everywhere and are not searched)."""
    forms = []
    for digits in (3, 4):
        text = f"{value:.{digits}g}"
        if "e" in text:
            continue
        if len(re.sub(r"[^0-9]", "", text).lstrip("0")) >= 3:
            forms.append(text)
    return forms


def _phrases(text: str) -> list[str]:
    """Distinctive phrases of a model text: the first eight words of every sentence that has
    at least eight."""
    out = []
    for sentence in re.split(r"(?<=[.!?;:])\s+", " ".join(text.split())):
        words = sentence.split()
        if len(words) >= _WORDS_PER_PHRASE:
            out.append(" ".join(words[:_WORDS_PER_PHRASE]))
    return out


def answer_needles(answers) -> list[str]:
    """Strings whose presence in a student notebook would reveal a model answer."""
    needles: list[str] = []

    def walk(value):
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, (int, float)):
            # Whole numbers are left out: they are sample sizes, counts and years all over
            # the prose. A fractional answer is searched in the forms a student would type.
            v = float(value)
            if math.isfinite(v) and v != round(v):
                needles.extend(_number_forms(v))
            return
        if isinstance(value, str):
            needles.extend(_phrases(value))
            return
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
            return
        try:
            import numpy as np

            if isinstance(value, np.ndarray):
                for v in value.ravel().tolist():
                    walk(v)
                return
            if isinstance(value, np.generic):
                walk(value.item())
                return
        except ImportError:  # pragma: no cover
            pass
        if isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                walk(v)

    walk(answers)
    return sorted(set(needles))


def notebook_text(nb) -> str:
    """Every source and every stored text output of ``nb``, whitespace collapsed (what a
    student can read in the file)."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            if "text" in output:
                parts.append(output.text)
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    parts.append(data if isinstance(data, str) else json.dumps(data))
    return " ".join(" ".join(parts).split())


def leaks(nb, number: str) -> list[str]:
    """What in a student notebook gives answers away: tagged cells and model answers."""
    problems = [f"cell {i} is tagged {sorted(_tags(c) & INSTRUCTOR_TAGS)}"
                for i, c in enumerate(nb.cells) if _tags(c) & INSTRUCTOR_TAGS]
    problems += [f"cell {i} (tagged {ANSWER_OUTPUT_TAG}) still has outputs"
                 for i, c in enumerate(nb.cells)
                 if ANSWER_OUTPUT_TAG in _tags(c) and c.get("outputs")]
    answers = model_answers(number)
    if answers:
        text = notebook_text(nb).lower()
        problems += [f"model answer text {needle!r} occurs in it"
                     for needle in answer_needles(answers) if needle.lower() in text]
    return problems


# -- the build ------------------------------------------------------------------------------------
def _write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def build(out: Path, *, sources: Path = HERE, solutions: Path = SOLUTIONS,
          notes: Path = NOTES) -> dict:
    """Write ``out/student`` and ``out/instructor``; return ``{"student": [...], "instructor": [...]}``
    (the written paths). Raises :class:`EditionError` when a student notebook leaks answers."""
    written = {"student": [], "instructor": []}
    for edition in ("student", "instructor"):
        shutil.rmtree(out / edition, ignore_errors=True)
    problems = []
    for path in numbered_notebooks(sources):
        number = _number(path)
        nb = nbformat.read(path, as_version=4)
        student = student_notebook(nb)
        bad = leaks(student, number)
        problems += [f"{path.name}: {p}" for p in bad]
        target = out / "student" / path.name
        _write(student, target)
        written["student"].append(target)
        note_path = notes / f"{number}.md"
        note = note_path.read_text(encoding="utf-8") if note_path.exists() else None
        target = out / "instructor" / "notebooks" / path.name
        _write(instructor_notebook(nb, note, number), target)
        written["instructor"].append(target)
    for path in numbered_notebooks(solutions):
        target = out / "instructor" / "solutions" / path.name
        _write(nbformat.read(path, as_version=4), target)
        written["instructor"].append(target)
    if problems:
        shutil.rmtree(out / "student", ignore_errors=True)
        raise EditionError("the student edition would give answers away (nothing written to "
                           f"{out / 'student'}):\n  " + "\n  ".join(problems))
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "editions")
    args = parser.parse_args(argv)
    try:
        written = build(args.out)
    except EditionError as exc:
        print(f"editions: FAILED: {exc}", file=sys.stderr)
        return 1
    for edition, paths in written.items():
        print(f"{edition}: {len(paths)} notebooks in {args.out / edition}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
