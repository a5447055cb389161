"""`make bench`: the figures the issues ask for, measured in one run, printed as a table.

- reply latency p50/p95 through the gateway (/chat/message) against Rasa's own REST round
  trip for the same messages, and their ratio;
- directory search p50/p95 over 10 000 and 100 000 generated services (SQLite);
- training time (a forced retrain into a scratch folder), start-to-ready time;
- resident memory (RSS) of each process of the running stack;
- Telegram and SMS: webhook acknowledgement time, and the time from a question reaching the
  webhook to its answer reaching the (local fake) platform API, with Telegram and Twilio on.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from tests.e2e.conftest import free_port  # noqa: E402
from tests.support.fake_telegram import FakeTelegram  # noqa: E402
from tests.support.fake_twilio import FakeTwilio  # noqa: E402

MESSAGES = [
    "where can I take free English classes in Burnaby",
    "necesito un doctor de familia en Surrey",
    "أحتاج بنك طعام في سري",
    "我在列治文找工作",
    "ਮੈਨੂੰ ਸਰੀ ਵਿੱਚ ਵਕੀਲ ਚਾਹੀਦਾ",
    "je cherche un emploi à Surrey",
    "food bank in Vancouver",
    "I need a family doctor in Richmond",
    "help with my rent in Coquitlam",
    "cours de français à New Westminster",
    "hello",
    "2",
    "more",
    "merci",
    "legal help for refugee claim in Surrey",
    "daycare north vancouver",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def bench_search(sizes: list[int], queries: int) -> dict[int, tuple[float, float]]:
    from knowledge.db import Database
    from knowledge.places import resolve_place
    from knowledge.search import ServiceQuery, search_services
    from knowledge.synthetic import generate_services

    categories = ["settlement", "language", "employment", "housing", "health", "food", "legal"]
    places = [resolve_place(p) for p in ("Burnaby", "Surrey", "Vancouver", "Richmond", "V5K 0A1")]
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            database = Database(f"sqlite:///{tmp}/bench.db")
            database.migrate()
            with database.session() as session:
                generate_services(session, size, seed=7)
            rng = random.Random(11)
            timings = []
            with database.session() as session:
                for _ in range(queries):
                    query = ServiceQuery(
                        categories=(rng.choice(categories),),
                        near=rng.choice(places),
                        open_now=rng.random() < 0.3,
                    )
                    start = time.perf_counter()
                    search_services(session, query)
                    timings.append((time.perf_counter() - start) * 1000)
            database.dispose()
        results[size] = (statistics.median(timings), percentile(timings, 95))
    return results


def time_training(settings: Settings) -> float:
    from bot.locales_build import build_domain
    from bot.model import rasa_bin, rasa_env

    with tempfile.TemporaryDirectory() as out:
        domain = build_domain(Path(out) / "domain")
        start = time.perf_counter()
        subprocess.run(
            [
                str(rasa_bin(settings)),
                "train",
                "--config",
                "config.yml",
                "--domain",
                str(domain),
                "--data",
                "bot/data",
                "--out",
                out,
                "--quiet",
                "--force",
            ],
            cwd=ROOT,
            env=rasa_env(settings),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def _p(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {percentile(values, 95):.1f} ms"


def bench_telegram(fake: FakeTelegram, gateway: str, rounds: int) -> list[tuple[str, str]]:
    """Each question from a new chat: webhook acknowledgement, and until its first reply."""
    acks, answers = [], []
    questions = [m for m in MESSAGES if len(m) > 8]
    for n in range(rounds * len(questions)):
        chat = 7_000_000 + n
        update = fake.text_update(chat, questions[n % len(questions)])
        t0 = time.perf_counter()
        response = fake.post(gateway, update)
        acks.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.text
        fake.wait_for_messages(chat, 1, timeout=60)
        answers.append((time.perf_counter() - t0) * 1000)
    return [
        ("Telegram webhook acknowledged p50 / p95", _p(acks)),
        ("Telegram question to first reply sent p50 / p95", _p(answers)),
    ]


def bench_sms(fake: FakeTwilio, gateway: str, rounds: int) -> list[tuple[str, str]]:
    """Each question from a new number: the webhook's response time (with the answer inline
    as TwiML when it is ready within the deadline), and the answers' size in segments."""
    from channels.sms.segments import count

    times, sizes, inline = [], [], 0
    questions = [m for m in MESSAGES if len(m) > 8]
    for n in range(rounds * len(questions)):
        params = {
            "MessageSid": f"SMbench{os.getpid()}{n:06d}",
            "AccountSid": fake.account_sid,
            "From": f"+1604555{n:04d}",
            "To": fake.from_number,
            "Body": questions[n % len(questions)],
            "NumMedia": "0",
        }
        url = f"{gateway}/channels/sms"
        headers = {"X-Twilio-Signature": fake.sign(url, params)}
        t0 = time.perf_counter()
        response = httpx.post(url, data=params, headers=headers, timeout=30)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.text
        bodies = re.findall(r"<Message>(.*?)</Message>", response.text, re.S)
        inline += bool(bodies)
        sizes.extend(count(html.unescape(b)).count for b in bodies)
    return [
        ("SMS webhook response (TwiML) p50 / p95", _p(times)),
        ("SMS answered inline (within the deadline)", f"{inline} of {len(times)}"),
        ("SMS segments per answer, max / mean", f"{max(sizes)} / {statistics.mean(sizes):.1f}"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="passes over the message list")
    parser.add_argument("--search-queries", type=int, default=300)
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()

    settings = Settings()
    from bot.cli import prepare

    prepare(settings)  # the model exists before start-up is timed
    var = Path(tempfile.mkdtemp(prefix="navigator-bench-"))
    port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "NAVIGATOR_VAR_DIR": str(var),
        "NAVIGATOR_MODELS_DIR": str(settings.models_dir),
        "NAVIGATOR_PORT": str(port),
        "NAVIGATOR_RASA_PORT": str(rasa_port),
        "NAVIGATOR_ACTIONS_PORT": str(free_port()),
    }
    env.pop("NAVIGATOR_ADMIN_TOKEN", None)
    telegram, twilio = FakeTelegram().start(), FakeTwilio()
    twilio.start()
    env.update(telegram.stack_env())
    env.update(twilio.stack_env())
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    token = "bench-" + os.urandom(8).hex()
    env["NAVIGATOR_RASA_TOKEN"] = token
    started = time.perf_counter()
    stack = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    gateway = f"http://127.0.0.1:{port}"
    rasa = f"http://127.0.0.1:{rasa_port}"
    figures: list[tuple[str, str]] = []
    try:
        with httpx.Client(timeout=60) as http:
            while True:
                try:
                    if http.get(f"{gateway}/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if stack.poll() is not None or time.perf_counter() - started > 600:
                    print("the stack did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            ready_s = time.perf_counter() - started
            figures.append(("start to ready (model trained)", f"{ready_s:.1f} s"))

            via_gateway, via_rasa = [], []
            for round_ in range(args.rounds):
                for n, text in enumerate(MESSAGES):
                    t0 = time.perf_counter()
                    r = http.post(
                        f"{gateway}/chat/message",
                        json={
                            "conversation": f"bench-gw-{round_}-{n // 3:04d}",
                            "text": text,
                            "language": "auto",
                        },
                    )
                    via_gateway.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200, r.text
                    t0 = time.perf_counter()
                    r = http.post(
                        f"{rasa}/webhooks/rest/webhook",
                        json={
                            "sender": f"bench-rasa-{round_}-{n // 3:04d}",
                            "message": text,
                            "metadata": {"language": "en", "channel": "web"},
                        },
                    )
                    via_rasa.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200, r.text
            # Every text once: the e5 featurizer caches vectors of texts it has seen, and
            # a parse of a new question is what a user waits for.
            from bot.evaluation import load_questions

            fresh = [q["text"] for items in load_questions().values() for q in items]
            parse = []
            for text in fresh:
                t0 = time.perf_counter()
                r = http.post(f"{rasa}/model/parse", params={"token": token}, json={"text": text})
                parse.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, r.text
            figures.append(
                (
                    f"NLU parse of {len(parse)} new questions p50 / p95 (target p95 ≤ 30 ms)",
                    f"{statistics.median(parse):.1f} / {percentile(parse, 95):.1f} ms",
                )
            )
            g50, g95 = statistics.median(via_gateway), percentile(via_gateway, 95)
            r50, r95 = statistics.median(via_rasa), percentile(via_rasa, 95)
            figures.append(("reply via gateway p50 / p95", f"{g50:.1f} / {g95:.1f} ms"))
            figures.append(("Rasa REST round trip p50 / p95", f"{r50:.1f} / {r95:.1f} ms"))
            figures.append(("ratio p50 / p95 (target ≤ 1.5)", f"{g50 / r50:.2f} / {g95 / r95:.2f}"))

            figures.extend(bench_telegram(telegram, gateway, args.rounds))
            figures.extend(bench_sms(twilio, gateway, args.rounds))

            total = 0.0
            processes = [(command_of(pid), pid) for pid in children_of(stack.pid)]
            for cmd, pid in processes:
                name = (
                    "rasa"
                    if " run " in f"{cmd} " and "rasa" in cmd
                    else (
                        "actions"
                        if "serve-actions" in cmd
                        else "gateway"
                        if "serve-gateway" in cmd
                        else cmd[:30]
                    )
                )
                mb = rss_mb(pid) + sum(rss_mb(c) for c in children_of(pid))
                total += mb
                figures.append((f"RSS {name}", f"{mb:.0f} MB"))
            supervisor = rss_mb(stack.pid)
            figures.append(("RSS supervisor", f"{supervisor:.0f} MB"))
            figures.append(
                ("RSS whole stack (target ≤ 2.5 GB)", f"{(total + supervisor) / 1024:.2f} GB")
            )
    finally:
        stack.send_signal(signal.SIGTERM)
        stack.wait(60)
        telegram.stop()
        twilio.stop()
        shutil.rmtree(var, ignore_errors=True)

    sizes = [] if args.skip_search else [10_000, 100_000]
    for size, (p50, p95) in bench_search(sizes, args.search_queries).items():
        figures.append(
            (
                f"search {size:,} services p50 / p95 (target p95 ≤ 20 ms)",
                f"{p50:.1f} / {p95:.1f} ms",
            )
        )
    width = max(len(k) for k, _ in figures)
    for key, value in figures:
        print(f"{key:<{width}}  {value}", flush=True)
    if not args.skip_training:
        print(f"{'training (forced, 2 cores)':<{width}}  {time_training(settings):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
