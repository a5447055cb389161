"""The supervisor never leaves the stack half up."""

from __future__ import annotations

import socket
import stat
import time
from pathlib import Path

from bot.settings import Settings
from bot.stack import supervise


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_a_child_that_cannot_start_stops_the_whole_stack_with_an_error(tmp_path: Path) -> None:
    # A Rasa "installation" whose server exits at once, as a broken model or venv would.
    venv = tmp_path / "rasa-venv"
    (venv / "bin").mkdir(parents=True)
    rasa = venv / "bin" / "rasa"
    rasa.write_text("#!/bin/sh\necho 'cannot load model' >&2\nexit 3\n")
    rasa.chmod(rasa.stat().st_mode | stat.S_IEXEC)
    port, actions_port = _free_port(), _free_port()
    settings = Settings(  # type: ignore[call-arg]
        NAVIGATOR_VAR_DIR=tmp_path / "var",
        NAVIGATOR_RASA_VENV=venv,
        NAVIGATOR_PORT=port,
        NAVIGATOR_ACTIONS_PORT=actions_port,
        NAVIGATOR_RASA_PORT=_free_port(),
    )
    started = time.monotonic()
    assert supervise(settings, tmp_path / "model.tar.gz") == 1
    assert time.monotonic() - started < 60
    assert not _listening(port) and not _listening(actions_port)


def test_the_rasa_token_reaches_rasa_as_one_argument_whatever_it_starts_with(
    tmp_path: Path,
) -> None:
    from bot.stack import build_children

    settings = Settings(  # type: ignore[call-arg]
        NAVIGATOR_VAR_DIR=tmp_path / "var",
        NAVIGATOR_RASA_TOKEN="-starts-with-a-dash",
    )
    (rasa,) = [c for c in build_children(settings, tmp_path / "model.tar.gz") if c.name == "rasa"]
    assert "--auth-token=-starts-with-a-dash" in rasa.argv
    # A generated token never looks like an option.
    fresh = Settings(NAVIGATOR_VAR_DIR=tmp_path / "var2")  # type: ignore[call-arg]
    (rasa,) = [c for c in build_children(fresh, tmp_path / "model.tar.gz") if c.name == "rasa"]
    token = next(a for a in rasa.argv if a.startswith("--auth-token=")).split("=", 1)[1]
    assert len(token) == 48 and all(ch in "0123456789abcdef" for ch in token)
