"""Binder builds from binder/: repo2docker (without building, offline) picks
binder/environment.yml and runs binder/postBuild, and ignores the root environment files."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dockerfile():
    exe = shutil.which("repo2docker") or str(Path(sys.executable).parent / "repo2docker")
    if not Path(exe).exists():
        pytest.fail("repo2docker is not installed (jupyter-repo2docker is in requirements.txt)")
    out = subprocess.run([exe, "--no-build", "--no-run", "--debug", str(ROOT)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout + out.stderr


def test_binder_environment_is_the_one_used(dockerfile):
    assert '--file "binder/environment.yml"' in dockerfile
    assert "python=3.11" in dockerfile
    assert 'file "environment.yml"' not in dockerfile
    assert "requirements.txt" not in dockerfile


def test_postbuild_runs_after_the_environment(dockerfile):
    env_at = dockerfile.index('--file "binder/environment.yml"')
    post_at = dockerfile.index("RUN ./binder/postBuild")
    assert post_at > env_at
