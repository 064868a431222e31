"""The pip route (requirements.txt, pyproject.toml) and the conda route (environment.yml,
binder/) describe one environment. conda cannot run here, so this is checked statically."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

#: conda-forge name -> PyPI name where they differ.
CONDA_TO_PIP = {"pytorch-cpu": "torch", "pytorch": "torch"}
#: conda-only tooling that has no PyPI counterpart in requirements.txt.
CONDA_ONLY = {"python", "pip"}
CUDA_MARKERS = re.compile(r"cuda|cudnn|pytorch-gpu|cudatoolkit|nvidia|\+cu\d", re.I)


def _name(spec: str) -> str:
    return re.split(r"[\s=<>!~\[;@]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _is_local(spec: str) -> bool:
    return spec.startswith(("-e", "--editable", ".", "/")) or spec.startswith("file:")


def load_env(path: Path) -> dict:
    env = yaml.safe_load(path.read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep.get("pip", []))
        else:
            conda.append(str(dep))
    return {"raw": env, "conda": conda, "pip": pip}


def env_packages(env: dict) -> set[str]:
    names = {CONDA_TO_PIP.get(_name(s), _name(s)) for s in env["conda"]} - CONDA_ONLY
    return names | {_name(s) for s in env["pip"] if not _is_local(s)}


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


ROOT_ENV = load_env(ROOT / "environment.yml")
BINDER_ENV = load_env(ROOT / "binder" / "environment.yml")


def test_python_pinned_to_311_everywhere():
    for env in (ROOT_ENV, BINDER_ENV):
        assert "python=3.11" in [s.replace(" ", "") for s in env["conda"]]
    assert pyproject()["project"]["requires-python"].startswith(">=3.11")
    assert "<3.12" in pyproject()["project"]["requires-python"]


def test_requirements_and_environment_list_the_same_packages():
    reqs = {_name(s) for s in requirement_lines()}
    env = env_packages(ROOT_ENV)
    assert reqs - env == set(), f"in requirements.txt, missing from environment.yml: {reqs - env}"
    assert env - reqs == set(), f"in environment.yml, missing from requirements.txt: {env - reqs}"


def test_pyproject_dependencies_are_in_requirements():
    proj = pyproject()["project"]
    declared = {_name(s) for s in proj["dependencies"]}
    declared |= {_name(s) for group in proj["optional-dependencies"].values() for s in group}
    reqs = {_name(s) for s in requirement_lines()}
    assert declared == reqs, f"pyproject only: {declared - reqs}; requirements only: {reqs - declared}"


def test_requirements_are_pinned_and_torch_is_the_cpu_pin():
    for line in requirement_lines():
        assert "==" in line, f"requirements.txt pins every package exactly: {line!r}"
    assert "torch==2.13.0" in requirement_lines()
    torch_specs = [s for s in pyproject()["project"]["dependencies"] if _name(s) == "torch"]
    assert torch_specs == ["torch==2.13.0"]
    makefile = (ROOT / "Makefile").read_text()
    assert "torch==2.13.0" in makefile  # installed first, before anything can pull a CUDA build


def test_no_cuda_build_of_torch_anywhere():
    texts = [(ROOT / p).read_text() for p in ("environment.yml", "binder/environment.yml",
                                              "requirements.txt", "pyproject.toml")]
    for env in (ROOT_ENV, BINDER_ENV):
        for spec in env["conda"] + env["pip"]:
            assert not CUDA_MARKERS.search(spec), f"CUDA package in an environment file: {spec}"
    assert any("pytorch-cpu" in s for s in ROOT_ENV["conda"])
    for text in texts:
        assert "download.pytorch.org/whl/cu" not in text


def test_binder_environment_is_the_root_one_without_the_local_install():
    assert BINDER_ENV["raw"]["channels"] == ROOT_ENV["raw"]["channels"] == ["conda-forge"]
    assert BINDER_ENV["conda"] == ROOT_ENV["conda"]
    assert BINDER_ENV["pip"] == [s for s in ROOT_ENV["pip"] if not _is_local(s)]
    assert any(_is_local(s) for s in ROOT_ENV["pip"]), "root environment.yml installs kitlib via pip"


def test_binder_postbuild_installs_kitlib_and_fails_fast():
    post = ROOT / "binder" / "postBuild"
    lines = [ln for ln in post.read_text().splitlines() if ln.strip() and not ln.startswith("#!")]
    assert lines[0].strip() == "set -e"
    assert any(re.search(r"pip install .*-e \.", ln) for ln in lines)
    assert post.stat().st_mode & 0o111, "postBuild must be executable"


@pytest.mark.parametrize("spec, name", [("numpy==2.4.6", "numpy"), ("POT>=0.9", "pot"),
                                        ("pytorch-cpu", "torch"), ("scikit_learn", "scikit-learn")])
def test_name_normalisation(spec, name):
    assert CONDA_TO_PIP.get(_name(spec), _name(spec)) == name
