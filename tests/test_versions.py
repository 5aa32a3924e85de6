"""The start-up check of whoosh's and underthesea's versions against setup.cfg's pins."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.errors import LibraryVersionError
from indexer.internals import versions
from indexer.internals.versions import check_versions, pins, release, satisfies
from web import create_app

WHOOSH_PIN = pins(metadata.requires("vanban") or [])["whoosh-reloaded"]


@pytest.mark.parametrize(
    ("version", "specifiers", "ok"),
    [
        ("2.7.5", "<2.8,>=2.7.5", True),
        ("2.7.10", "<2.8,>=2.7.5", True),
        ("2.7.4", "<2.8,>=2.7.5", False),
        ("2.8", "<2.8,>=2.7.5", False),
        ("2.8.0rc1", "<2.8", False),
        ("9.5.0", "<10,>=9.5", True),
        ("10.0", "<10,>=9.5", False),
        ("9.5.3", "~=9.5.0", True),
        ("9.6", "~=9.5.0", False),
        ("2.7.9", "==2.7.*", True),
        ("2.8.1", "==2.7.*", False),
        ("1.0", "!=1.0", False),
        ("1.0", "", True),
    ],
)
def test_satisfies(version: str, specifiers: str, ok: bool) -> None:
    assert satisfies(version, specifiers) is ok


def test_pins_read_the_requirements_setup_cfg_declares() -> None:
    declared = pins(metadata.requires("vanban") or [])
    assert set(versions.CHECKED) <= set(declared)
    assert all(not name.startswith(("pytest", "ruff")) for name in declared)  # dev extras
    assert release("2.7.5") == (2, 7, 5)


def test_the_installed_versions_pass() -> None:
    check_versions()


@pytest.fixture
def old_whoosh(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = versions.installed_version
    monkeypatch.setattr(
        versions,
        "installed_version",
        lambda name: "2.6.0" if name == "whoosh-reloaded" else installed(name),
    )


def test_a_mismatch_names_the_pin_and_the_fix(old_whoosh: None) -> None:
    with pytest.raises(LibraryVersionError) as caught:
        check_versions()
    assert f"whoosh-reloaded{WHOOSH_PIN}" in str(caught.value)
    assert "2.6.0" in str(caught.value) and "make install" in str(caught.value)


def test_a_missing_library_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(versions, "installed_version", missing)
    with pytest.raises(LibraryVersionError, match="whoosh-reloaded.*chưa được cài"):
        check_versions()


def test_nothing_to_check_when_vanban_is_not_installed(
    monkeypatch: pytest.MonkeyPatch, old_whoosh: None
) -> None:
    def not_installed() -> list[str]:
        raise metadata.PackageNotFoundError("vanban")

    monkeypatch.setattr(versions, "declared_requirements", not_installed)
    check_versions()


def test_the_cli_exits_with_one_line(
    old_whoosh: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "giáo dục", "--index", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"whoosh-reloaded{WHOOSH_PIN}" in err and "make install" in err


def test_the_web_app_exits_with_one_line(old_whoosh: None, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        create_app({"INDEX_DIR": str(tmp_path / "none"), "OPEN_AT_START": False})
    message = str(caught.value.code)
    assert message.startswith("vanban: ") and "\n" not in message
    assert f"whoosh-reloaded{WHOOSH_PIN}" in message and "make install" in message
