"""A process of the stack that dies is restarted, and the assistant answers again."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


def _child(parent: int, marker: str) -> int:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(parent)], capture_output=True, text=True
    )
    for pid in map(int, out.stdout.split()):
        if marker in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return pid
    raise AssertionError(f"no child process with {marker!r}")


def test_a_killed_action_server_is_restarted(stack: Stack) -> None:
    os.kill(_child(stack.process.pid, "serve-actions"), signal.SIGKILL)
    deadline = time.monotonic() + 60
    healthy = False
    while time.monotonic() < deadline and not healthy:
        time.sleep(1)
        try:
            healthy = httpx.get(f"{stack.base_url}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            healthy = False
    assert healthy, stack.log.read_text()[-2000:]
    assert stack.try_("food bank in Surrey", user="after-restart")["services"]
    assert stack.process.poll() is None
