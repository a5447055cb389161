"""`navigator run`: supervise the Rasa server, the action server and the gateway.

Logs are prefixed with the process name. A child that dies is restarted a few times; if it
keeps dying the whole stack stops with a non-zero exit and says why. Ctrl-C or SIGTERM
stops every child. Nothing is ever left half up.
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml
from sqlalchemy.engine import make_url

from bot.model import rasa_bin, rasa_env
from bot.settings import Settings

MAX_RESTARTS = 3
RESTART_WINDOW_S = 120.0
READY_TIMEOUT_S = 240.0


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    ready_url: str
    process: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv built below
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # our Ctrl-C handling decides how children stop
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            print(f"[{self.name}] {line}", flush=True)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def tracker_store_config(url: str, root: Path) -> dict[str, object]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db = Path(parsed.database or "var/tracker.db")
        return {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(db if db.is_absolute() else root / db),
        }
    config: dict[str, object] = {
        "type": "SQL",
        "dialect": "postgresql",
        "url": parsed.host or "127.0.0.1",
        "db": parsed.database,
    }
    if parsed.port:
        config["port"] = parsed.port
    if parsed.username:
        config["username"] = parsed.username
    if parsed.password:
        config["password"] = parsed.password
    return config


def write_rasa_files(settings: Settings) -> tuple[Path, Path]:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    endpoints = settings.var_dir / "endpoints.yml"
    credentials = settings.var_dir / "credentials.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {
                "action_endpoint": {"url": f"{settings.actions_url}/webhook"},
                "tracker_store": tracker_store_config(settings.tracker_url, settings.project_root),
            }
        )
    )
    credentials.write_text(yaml.safe_dump({"rest": None}))
    return endpoints, credentials


def build_children(settings: Settings, model: Path) -> list[Child]:
    # A fresh secret per start unless the operator set one (benchmarks reuse it). Hex: a
    # URL-safe token starts with "-" one time in 64, and Rasa's argument parser then took it
    # for an option and would not start.
    token = settings.rasa_token.get_secret_value() if settings.rasa_token else secrets.token_hex(24)
    endpoints, credentials = write_rasa_files(settings)
    env = rasa_env(settings)
    env["NAVIGATOR_RASA_TOKEN"] = token
    root = settings.project_root
    app = [sys.executable, "-m", "bot.cli"]
    return [
        Child(
            "rasa",
            [
                str(rasa_bin(settings)),
                "run",
                "--model",
                str(model),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(credentials),
                "--enable-api",
                f"--auth-token={token}",
                "--interface",
                "127.0.0.1",
                "--port",
                str(settings.rasa_port),
            ],
            env,
            root,
            f"{settings.rasa_url}/status?token={token}",
        ),
        Child("actions", [*app, "serve-actions"], env, root, f"{settings.actions_url}/health"),
        Child(
            "gateway",
            [*app, "serve-gateway"],
            # `navigator run --telegram-polling` reaches the gateway through its settings.
            {**env, "NAVIGATOR_TELEGRAM_POLLING": "1"} if settings.telegram_polling else env,
            root,
            f"http://127.0.0.1:{settings.port}/healthz",
        ),
    ]


def wait_ready(children: list[Child], stopping: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    pending = list(children)
    with httpx.Client(timeout=2.0) as http:
        while pending and time.monotonic() < deadline and not stopping():
            for child in list(pending):
                if not child.alive():
                    return False
                try:
                    if http.get(child.ready_url).status_code == 200:
                        pending.remove(child)
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
    return not pending


def supervise(settings: Settings, model: Path) -> int:
    children = build_children(settings, model)
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    for child in children:
        child.start()
    try:
        if not wait_ready(children, stop.is_set):
            if stop.is_set():
                return 0
            dead = [c.name for c in children if not c.alive()]
            print(
                f"navigator: the stack did not become ready (stopped: {', '.join(dead) or 'none'})",
                file=sys.stderr,
            )
            return 1
        host = "localhost" if settings.host in ("0.0.0.0", "127.0.0.1", "::") else settings.host  # noqa: S104
        print(
            f"navigator: ready in {time.monotonic() - started:.1f} s — web chat: http://{host}:{settings.port}/"
            f"  console: http://{host}:{settings.port}/console",
            flush=True,
        )
        while not stop.wait(1.0):
            for child in children:
                if child.alive():
                    continue
                now = time.monotonic()
                child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW_S]
                if len(child.restarts) >= MAX_RESTARTS:
                    print(
                        f"navigator: {child.name} keeps stopping; shutting everything down",
                        file=sys.stderr,
                    )
                    return 1
                child.restarts.append(now)
                code = child.process.returncode if child.process else "?"
                print(
                    f"navigator: {child.name} stopped (exit {code}); restarting",
                    file=sys.stderr,
                    flush=True,
                )
                child.start()
        return 0
    finally:
        for child in reversed(children):
            child.stop()
