"""Student and instructor editions (``make editions``, notebooks/editions.py; issue 13 §3).

The student edition must contain no instructor cell and no model answer; both editions must run;
two builds must be byte-identical. Model answers come from ``kitlib.checks.nbNN.MODEL_ANSWERS``:
a notebook whose checks module does not exist yet is skipped with a reason, so the test covers
every notebook as soon as its module is merged.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "notebooks"))
import editions  # noqa: E402  (notebooks/editions.py)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("editions")
    editions.build(out)
    return out


def _files(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(built, tmp_path):
    editions.build(tmp_path)
    first, second = _files(built), _files(tmp_path)
    assert first.keys() == second.keys() and first
    assert [k for k in first if first[k] != second[k]] == []


def test_every_notebook_is_in_both_editions(built):
    names = [p.name for p in NOTEBOOKS]
    assert sorted(p.name for p in (built / "student").glob("*.ipynb")) == names
    assert sorted(p.name for p in (built / "instructor" / "notebooks").glob("*.ipynb")) == names
    solutions = sorted(p.name for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.name for p in (built / "instructor" / "solutions").glob("*.ipynb")) == solutions


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_has_no_instructor_cell(built, path):
    nb = nbformat.read(built / "student" / path.name, as_version=4)
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        assert not tags & editions.INSTRUCTOR_TAGS, cell.source[:80]
        if editions.ANSWER_OUTPUT_TAG in tags:
            assert cell.get("outputs", []) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_contains_no_model_answer(built, path):
    number = path.name[:2]
    if importlib.util.find_spec(f"kitlib.checks.nb{number}") is None:
        pytest.skip(f"kitlib.checks.nb{number} does not exist yet: no MODEL_ANSWERS to search for")
    answers = editions.model_answers(number)
    assert answers, f"kitlib.checks.nb{number}.MODEL_ANSWERS is empty"
    needles = editions.answer_needles(answers)
    text = editions.notebook_text(nbformat.read(built / "student" / path.name, as_version=4)).lower()
    assert [n for n in needles if n.lower() in text] == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_instructor_edition_opens_with_the_teaching_notes(built, path):
    nb = nbformat.read(built / "instructor" / "notebooks" / path.name, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.id == editions.NOTES_CELL_ID
    notes = (ROOT / "solutions" / "notes" / f"{path.name[:2]}.md").read_text()
    assert first.source.strip() == notes.strip()
    for heading in ("50-minute", "90-minute", "Prerequisites", "Misconceptions", "questions"):
        assert heading in first.source
    source = nbformat.read(path, as_version=4)
    assert [c.source for c in nb.cells[1:]] == [c.source for c in source.cells]


def test_teaching_notes_exist_for_00_to_05():
    for number in ("00", "01", "02", "03", "04", "05"):
        text = (ROOT / "solutions" / "notes" / f"{number}.md").read_text()
        assert "50-minute" in text and "90-minute" in text and "Misconceptions" in text


# -- the rules on a made-up notebook --------------------------------------------------------------
def _toy(tmp_path: Path, answer_cell_tags=("solution",), leak: str = "") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · toy\n\nSome prose. " + leak),
                nbformat.v4.new_code_cell("answer = ...", metadata={"tags": ["answer-output"]},
                                          outputs=[nbformat.v4.new_output("stream", text="0.3181\n")]),
                nbformat.v4.new_code_cell("print(0.318)", metadata={"tags": list(answer_cell_tags)})]
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(nb, src / "99_toy.ipynb")
    return src


def test_tagged_cells_are_removed_and_answer_outputs_cleared(tmp_path):
    src = _toy(tmp_path, answer_cell_tags=("model-answer",))
    editions.build(tmp_path / "out", sources=src, solutions=tmp_path / "none", notes=tmp_path / "none")
    nb = nbformat.read(tmp_path / "out" / "student" / "99_toy.ipynb", as_version=4)
    assert [c.source for c in nb.cells] == [nb.cells[0].source, "answer = ..."]
    assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None
    inst = nbformat.read(tmp_path / "out" / "instructor" / "notebooks" / "99_toy.ipynb", as_version=4)
    assert len(inst.cells) == 4 and "missing" in inst.cells[0].source


def test_a_leaked_model_answer_fails_the_build_loudly(tmp_path, monkeypatch):
    src = _toy(tmp_path, leak="The answer is 0.3181, because the narrow model misses the tails of p.")
    monkeypatch.setattr(editions, "model_answers", lambda number: {
        "exercise_1": 0.31814718, "exercise_2": "forward",
        "think_1": "The narrow model misses the tails of p where log(p/q) grows quadratically."})
    with pytest.raises(editions.EditionError, match=r"0\.3181(.|\n)*narrow model misses"):
        editions.build(tmp_path / "out", sources=src, solutions=tmp_path / "none",
                       notes=tmp_path / "none")
    assert not (tmp_path / "out" / "student").exists()
    run = subprocess.run([sys.executable, str(ROOT / "notebooks" / "editions.py"), "--out",
                          str(tmp_path / "cli")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr  # the real sources build


def test_answer_needles_pick_distinctive_forms():
    needles = editions.answer_needles({"a": 0.31814718, "b": 2, "c": 0.5, "d": [1.4608],
                                       "e": "Short.", "f": "One two three four five six seven eight nine."})
    assert "0.318" in needles and "0.3181" in needles and "1.461" in needles
    assert "2" not in needles and "0.5" not in needles
    assert "One two three four five six seven eight" in needles
    assert not any(n.startswith("Short") for n in needles)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_editions_execute_cleanly_under_nbval(built, edition):
    folder = built / edition
    paths = sorted(str(p) for p in folder.rglob("*.ipynb"))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         "--rootdir", str(folder), *paths],
        cwd=folder, capture_output=True, text=True, timeout=3000)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
