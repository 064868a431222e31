"""Exercise feedback (kitlib.checks) and figure export (kitlib.style)."""

import matplotlib as mpl
import numpy as np
import pytest

from kitlib import checks, style
from kitlib.figures import new_figure


@pytest.mark.parametrize("answer, ok, words", [
    (0.35, True, "is right"),
    ("0.35", True, "is right"),
    (0.5, False, "too large"),
    (0.1, False, "too small"),
    (..., False, "not answered"),
    ("abc", False, "expected a number"),
    (float("nan"), False, "not a finite"),
])
def test_check_number(capsys, answer, ok, words):
    verdict = checks.check_number(answer, 0.3499, rtol=0.01, hint="use the closed form")
    assert bool(verdict) is ok and isinstance(verdict, checks.Verdict)
    out = capsys.readouterr().out
    assert words in out
    assert ("Hint: use the closed form" in out) is (not ok)


def test_check_array(capsys):
    assert checks.check_array([1.0, 2.0], np.array([1.0, 2.0]))
    assert not checks.check_array([1.0, 2.5], [1.0, 2.0])
    assert "first at index (1,)" in capsys.readouterr().out
    assert not checks.check_array([1.0], [1.0, 2.0])
    assert "expected shape (2,)" in capsys.readouterr().out


def test_check_choice(capsys):
    opts = ["forward KL", "reverse KL"]
    assert checks.check_choice("  Reverse   kl", "reverse KL", opts)
    assert not checks.check_choice("forward KL", "reverse KL", opts)
    assert not checks.check_choice("JS", "reverse KL", opts)
    assert "not one of the options" in capsys.readouterr().out


def test_verdict_shows_nothing_extra_in_a_notebook(capsys):
    verdict = checks.check_number(1.0, 1.0)
    assert verdict._ipython_display_() is None
    assert verdict == True and repr(verdict) == "Verdict(ok=True)"  # noqa: E712
    assert "is right" in verdict.message


def test_instructor_errors_raise():
    with pytest.raises(ValueError, match="rtol"):
        checks.check_number(1.0, 1.0, rtol=-1)
    with pytest.raises(ValueError, match="choices"):
        checks.check_choice("a", "a", [])


def test_palette_is_okabe_ito_and_rc_is_not_global():
    assert len(set(style.OKABE_ITO.values())) == 8
    before = dict(mpl.rcParams)
    with style.context():
        assert mpl.rcParams["font.size"] == style.FONT_SIZES["base"]
    assert dict(mpl.rcParams) == before


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_save_figure_formats(tmp_path, suffix, magic):
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    path = style.save_figure(fig, tmp_path / "sub" / f"fig{suffix}")
    assert path.read_bytes().startswith(magic)


def test_save_figure_rejects_unknown_format(tmp_path):
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="must end in one of"):
        style.save_figure(fig, tmp_path / "fig.jpg")


def test_check_choices(capsys):
    opts = ["KL", "reverse KL", "TV", "chi2"]
    assert checks.check_choices(["reverse kl", "TV"], ["TV", "reverse KL"], opts)
    assert not checks.check_choices(["TV"], ["TV", "reverse KL"], opts)
    assert "1 missing and 0 wrong" in capsys.readouterr().out
    assert not checks.check_choices(["TV", "reverse KL", "KL"], ["TV", "reverse KL"], opts)
    assert not checks.check_choices("TV", ["TV"], opts)
    assert not checks.check_choices(["Hellinger"], ["TV"], opts)
    assert not checks.check_choices(..., ["TV"], opts)
    with pytest.raises(ValueError, match="subset"):
        checks.check_choices(["TV"], ["JS"], opts)


def test_check_function_accepts_right_code_and_reports_wrong_code(capsys):
    cases = [(np.array([0.2, 0.8]),), (np.array([0.5, 0.5]),)]

    def reference(p):
        return -np.sum(p * np.log(p))

    assert checks.check_function(lambda p: -np.sum(p * np.log(p)), reference, cases)
    assert not checks.check_function(lambda p: -np.sum(p * np.log2(p)), reference, cases)
    assert "case 1 of 2 is off" in capsys.readouterr().out
    assert not checks.check_function(lambda p: 1 / 0, reference, cases)
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not checks.check_function(lambda p: np.zeros(3), reference, cases)
    assert not checks.check_function(..., reference, cases)
    assert not checks.check_function(lambda p: ..., reference, cases)
    with pytest.raises(ValueError):
        checks.check_function(reference, reference, [])


def test_check_function_skips_the_reference_for_an_unfinished_function(capsys):
    # An exercise cell run as shipped (a body of ``...``) gets its verdict without the
    # reference being computed: some references are root searches taking a second.
    calls = []

    def reference(x):
        calls.append(x)
        return 2.0 * x

    def unfinished(x):
        ...

    assert not checks.check_function(unfinished, reference, [(1.0,), (2.0,)])
    assert "not finished yet" in capsys.readouterr().out
    assert not checks.check_function(lambda x: 1 / 0, reference, [(1.0,)])
    assert calls == []
    assert checks.check_function(lambda x: 2.0 * x, reference, [(1.0,), (2.0,)])
    assert calls == [1.0, 2.0]


def test_check_explanation(capsys):
    ideas = [["support", "zero mass", "p = 0"], ["infinite", "∞", "blows up"]]
    good = "Reverse KL is infinite when q puts mass where p = 0, so the fit avoids that region."
    assert checks.check_explanation(good, ideas)
    assert not checks.check_explanation("Because it is infinite there, sure, yes it is.", ideas)
    assert "1 of 2 key ideas missing" in capsys.readouterr().out
    assert not checks.check_explanation("short", ideas)
    assert not checks.check_explanation(..., ideas)
    wrong = good + " It covers every mode."
    assert not checks.check_explanation(wrong, ideas, must_not=["covers every mode"])


def test_check_function_reports_non_finite_output(capsys):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not checks.check_function(lambda x: np.full(2, np.nan), lambda x: np.ones(2), [(1.0,)])
    assert "non-finite" in capsys.readouterr().out
