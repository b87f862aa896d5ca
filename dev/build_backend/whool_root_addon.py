"""PEP 517 build backend: whool, for an addon that is the root of its git repository.

whool names the package after the addon's folder and packs every file git tracks in it. Here that
folder is the repository root: a clone or worktree may have any name, and git also tracks the
development tooling (dev/, .ci/, Makefile, lint configuration). This backend copies the addon's own
files into a temporary folder named after the addon and lets whool build from there, so the wheel,
its name, version and dependencies (from the manifest) are whool's own.
Settings: [tool.whool-root-addon] in pyproject.toml (addon, exclude).
"""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from whool import buildapi

try:
    import tomllib
except ImportError:  # Python 3.10: whool depends on tomli there
    import tomli as tomllib

# Needed to build a wheel from the sdist, not part of the addon.
SDIST_KEEP = ("pyproject.toml", "dev/build_backend/")


def _settings(root):
    with open(root / "pyproject.toml", "rb") as f:
        conf = tomllib.load(f).get("tool", {}).get("whool-root-addon", {})
    return conf["addon"], tuple(conf.get("exclude", ()))


def _source_files(root):
    """Files git tracks under root; every file when building from an sdist (no git)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
        files = [f for f in out.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in (".git", "__pycache__")]
            files += [os.path.relpath(os.path.join(folder, name), root) for name in names]
    # A file git tracks but the work tree lacks (deleted, not yet committed) is not packed.
    return sorted(f for f in files if (root / f).is_file())


def _excluded(path, patterns):
    return any(path.startswith(p) if p.endswith("/") else path == p for p in patterns)


@contextmanager
def _addon_copy(for_sdist=False):
    """A temporary copy of the addon, in a folder named after it; the current directory while building."""
    root = Path.cwd()
    addon, exclude = _settings(root)
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / addon
        for f in _source_files(root):
            if _excluded(f, exclude) and not (for_sdist and _excluded(f, SDIST_KEEP)):
                continue
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / f, dst / f)
        if not (dst / "pyproject.toml").exists():
            shutil.copy2(root / "pyproject.toml", dst / "pyproject.toml")  # whool reads [tool.whool] there
        os.chdir(dst)
        try:
            yield
        finally:
            os.chdir(cwd)


def _abs(directory):
    return os.path.abspath(directory)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = _abs(wheel_directory)
    with _addon_copy():
        return buildapi.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = _abs(sdist_directory)
    with _addon_copy(for_sdist=True):
        return buildapi.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = _abs(metadata_directory)
    with _addon_copy():
        return buildapi.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
