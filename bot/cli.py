"""The `navigator` command."""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.settings import Settings


def _database(settings: Settings) -> Any:
    from bot.wiring import build_database

    database = build_database(settings)
    database.migrate()
    return database


def cmd_kb_load(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge.loader import load_seed

    database = _database(settings)
    with database.session() as session:
        report = load_seed(session, args.path or settings.seed_dir)
    print(
        f"loaded {report.organizations} organisations, {report.services} services, "
        f"{report.locations} locations; {len(report.warnings)} warnings"
    )
    if args.verbose:
        for warning in report.warnings:
            print(f"  warning: {warning}")
    return 0


def cmd_kb_search(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge.places import resolve_place
    from knowledge.search import ServiceQuery, search_services

    near = resolve_place(args.place) if args.place else None
    if args.place and near is None:
        print(f"unknown place: {args.place}", file=sys.stderr)
        return 2
    query = ServiceQuery(
        categories=tuple(args.category or ()),
        near=near,
        language=args.language,
        open_now=args.open_now,
        eligibility=args.eligibility,
        display_language=args.lang,
        limit=args.limit,
        at=datetime.fromisoformat(args.at) if args.at else None,
    )
    database = _database(settings)
    with database.session() as session:
        result = search_services(session, query)
    if args.json:
        print(
            json.dumps(
                {"total": result.total, "hits": [h.__dict__ for h in result.hits]},
                default=str,
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{result.total} services match")
    for n, hit in enumerate(result.hits, 1):
        km = f"{hit.distance_km:.1f} km" if hit.distance_km is not None else "phone/online"
        print(f"{n}. {hit.name} — {hit.organization_name} [{', '.join(hit.categories)}] {km}")
        print(f"   {hit.description}")
        if hit.phones:
            print(f"   phone: {', '.join(hit.phones)}")
        if hit.address:
            print(f"   address: {hit.address}")
    return 0


def cmd_kb_stats(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge.search import directory_stats

    database = _database(settings)
    with database.session() as session:
        print(json.dumps(directory_stats(session), indent=2, ensure_ascii=False, default=str))
    return 0


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.model import train

    print(train(settings, force=args.force))
    return 0


def prepare(settings: Settings) -> Any:
    """What `run` needs before it starts: the directory loaded and a trained model."""
    from bot.model import train
    from knowledge.loader import load_seed

    database = _database(settings)
    with database.session() as session:
        load_seed(session, settings.seed_dir)
    database.dispose()
    return train(settings)


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.stack import supervise

    if getattr(args, "telegram_polling", False):
        # The gateway child reads its settings from the environment (bot.stack).
        settings = settings.model_copy(update={"telegram_polling": True})
    return supervise(settings, prepare(settings))


def cmd_telegram_set_webhook(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from telegram.error import TelegramError

    from bot.catalog import Catalog
    from channels.telegram.sender import make_bot
    from channels.telegram.setup import SetupError, register, valid_secret, webhook_url

    token, secret = settings.telegram_bot_token, settings.telegram_webhook_secret
    try:
        if token is None or not token.get_secret_value():
            raise SetupError("set TELEGRAM_BOT_TOKEN (from @BotFather)")
        if secret is None or not valid_secret(secret.get_secret_value()):
            raise SetupError("set TELEGRAM_WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)")
        url = webhook_url(settings.public_base_url)
        bot = make_bot(token.get_secret_value(), settings.telegram_api_base_url)
        done = asyncio.run(
            register(
                bot,
                url=url,
                secret=secret.get_secret_value(),
                catalog=Catalog.from_files(),
                languages=settings.languages,
                default_language=settings.default_language,
            )
        )
    except (SetupError, TelegramError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in done:
        print(line)
    return 0


def cmd_serve_gateway(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from bot.wiring import build_gateway

    uvicorn.run(
        build_gateway(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
    )
    return 0


def cmd_serve_actions(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from bot.wiring import build_action_server

    uvicorn.run(
        build_action_server(settings),
        host="127.0.0.1",
        port=settings.actions_port,
        log_level="warning",
        access_log=False,
    )
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    import httpx

    headers = {}
    if settings.admin_token:
        headers["Authorization"] = f"Bearer {settings.admin_token.get_secret_value()}"
    body = {"text": args.text, "language": args.lang, "channel": args.channel, "user": args.user}
    try:
        response = httpx.post(
            f"http://127.0.0.1:{settings.port}/api/try", json=body, headers=headers, timeout=30.0
        )
    except httpx.HTTPError:
        print("error: the assistant is not running; start it with 'navigator run'", file=sys.stderr)
        return 2
    if response.status_code != 200:
        print(f"error: {response.status_code} {response.text}", file=sys.stderr)
        return 2
    data = response.json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    intent = data.get("intent") or {}
    confidence = intent.get("confidence")
    print(f"language: {data['language']} ({data['language_source']})")
    shown = "-" if confidence is None else f"{confidence:.0%}"
    print(f"intent:   {intent.get('name')} ({shown})")
    entities = ", ".join(f"{e['entity']}={e['value']}" for e in data["entities"]) or "-"
    print(f"entities: {entities}")
    print(f"categories: {', '.join(data['categories']) or '-'}   emergency: {data['emergency']}")
    for service in data["services"]:
        print(f"  service {service['id']}  {service['name']}  {service.get('distance_km')} km")
    print("---")
    for message in data["messages"]:
        print(message["text"])
        print()
    return 0


def cmd_languages_list(settings: Settings, args: argparse.Namespace) -> int:
    from bot.languages import supported_languages
    from bot.wiring import build_translator

    known = supported_languages()
    print("conversation languages (curated texts and training examples):")
    for code in settings.languages:
        print(f"  {code:4} {known[code].name}")
    pairs = sorted(build_translator(settings).pairs())
    print(f"machine translation models in {settings.translation_dir}:")
    for source, target in pairs:
        print(f"  {source} → {target}")
    if not pairs:
        print("  none (install with: navigator languages install-file PATH.argosmodel)")
    return 0


def cmd_languages_install_file(settings: Settings, args: argparse.Namespace) -> int:
    from knowledge.translation import ArgosTranslator

    translator = ArgosTranslator(settings.translation_dir)
    status = 0
    for path in args.paths:
        try:
            source, target = translator.install_file(Path(path))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            print(f"error: {path}: not an installable Argos package ({exc})", file=sys.stderr)
            status = 2
            continue
        print(f"installed {source} → {target} from {path}")
    return status


def cmd_languages_install(settings: Settings, args: argparse.Namespace) -> int:
    """Install en↔CODE models from the Argos package index (needs internet, once)."""
    from knowledge.translation import ArgosTranslator

    translator = ArgosTranslator(settings.translation_dir)  # sets argostranslate's folders
    import argostranslate.package

    try:
        argostranslate.package.update_package_index()
        available = argostranslate.package.get_available_packages()
    except Exception as exc:  # the index is on the internet; say so plainly
        print(
            f"error: cannot reach the Argos package index ({exc}); "
            "download the .argosmodel files elsewhere and use 'install-file'",
            file=sys.stderr,
        )
        return 2
    status = 0
    for code in args.codes:
        wanted = [p for p in available if {p.from_code, p.to_code} == {"en", code}]
        if not wanted:
            print(f"no en↔{code} model in the Argos index", file=sys.stderr)
            status = 1
        for package in wanted:
            source, target = translator.install_file(Path(package.download()))
            print(f"installed {source} → {target}")
    return status


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.evaluation import run_evaluation

    return run_evaluation(settings, args)


def cmd_sms_purge(settings: Settings, args: argparse.Namespace) -> int:
    from channels.delivery import Delivery
    from channels.sms.choices import ChoiceStore
    from channels.sms.purge import purge_sms

    database = _database(settings)
    delivery = Delivery(database.engine)
    delivery.create_tables()
    choices = ChoiceStore(database.engine)
    choices.create_tables()
    try:
        counts = purge_sms(delivery, choices, args.days)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"forgot numbers not seen for {args.days} days: {counts['contacts']} numbers, "
        f"{counts['inbound'] + counts['outbound']} messages, {counts['choices']} reply menus"
    )
    return 0


def cmd_purge(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy import create_engine

    from bot.retention import purge

    database = _database(settings)
    try:
        report = purge(
            tracker=create_engine(settings.tracker_url), gateway=database.engine, days=args.days
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"forgot conversations idle for {args.days} days: {report.tracker_events} tracker "
        f"events, {report.conversations} language memories, {report.channel_messages} "
        f"channel messages, {report.channel_contacts} phone numbers or chat ids"
    )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="navigator", description="Newcomer Navigator")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="load the directory, train if needed, start everything")
    run.add_argument(
        "--telegram-polling",
        action="store_true",
        help="Telegram by long polling instead of the webhook (no public URL needed)",
    )
    run.set_defaults(func=cmd_run)
    telegram = sub.add_parser("telegram", help="the Telegram channel")
    telegram_sub = telegram.add_subparsers(dest="telegram", required=True)
    telegram_sub.add_parser(
        "set-webhook", help="register PUBLIC_BASE_URL's webhook, its secret and the commands"
    ).set_defaults(func=cmd_telegram_set_webhook)
    sms = sub.add_parser("sms", help="the SMS channel (Twilio)")
    sms_sub = sms.add_subparsers(dest="sms", required=True)
    sms_purge = sms_sub.add_parser(
        "purge", help="delete everything about numbers not seen for N days"
    )
    sms_purge.add_argument("--days", type=int, required=True)
    sms_purge.set_defaults(func=cmd_sms_purge)
    train = sub.add_parser("train", help="train the Rasa model if its inputs changed")
    train.add_argument("--force", action="store_true")
    train.set_defaults(func=cmd_train)

    ask = sub.add_parser("ask", help="ask the running assistant, as the tester API does")
    ask.add_argument("text")
    ask.add_argument("--lang", default="auto")
    ask.add_argument("--channel", default="web", choices=["web", "sms", "telegram"])
    ask.add_argument("--user", default="cli")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=cmd_ask)

    kb = sub.add_parser("kb", help="the service directory").add_subparsers(dest="kb", required=True)
    load = kb.add_parser("load", help="load the seed directory (idempotent)")
    load.add_argument("path", nargs="?")
    load.add_argument("--verbose", action="store_true", help="list the warnings")
    load.set_defaults(func=cmd_kb_load)
    search = kb.add_parser("search", help="search the directory")
    search.add_argument("--category", action="append")
    search.add_argument("--place")
    search.add_argument("--language", help="a language the staff should speak")
    search.add_argument("--open-now", action="store_true")
    search.add_argument("--eligibility")
    search.add_argument("--lang", default="en", help="language of the descriptions")
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--at", help="ISO date-time for open-now and today's hours")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_kb_search)
    stats = kb.add_parser("stats", help="counts per category, municipality, verification")
    stats.set_defaults(func=cmd_kb_stats)

    languages = sub.add_parser("languages", help="conversation languages and translation models")
    languages_sub = languages.add_subparsers(dest="languages", required=True)
    languages_sub.add_parser("list", help="what is installed").set_defaults(func=cmd_languages_list)
    install = languages_sub.add_parser("install", help="en↔CODE models from the index (internet)")
    install.add_argument("codes", nargs="+")
    install.set_defaults(func=cmd_languages_install)
    install_file = languages_sub.add_parser("install-file", help="a .argosmodel file (offline)")
    install_file.add_argument("paths", nargs="+")
    install_file.set_defaults(func=cmd_languages_install_file)

    evaluate = sub.add_parser("eval", help="accuracy on the held-out questions (stack running)")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument(
        "--newest",
        type=int,
        metavar="N",
        help="only each language's N newest rounds (the ones no training choice has seen)",
    )
    evaluate.add_argument(
        "--misses",
        action="store_true",
        help="after the table, every question answered wrongly and what the bot did",
    )
    evaluate.add_argument(
        "--unseen", action="store_true", help="languages without training examples"
    )
    evaluate.add_argument(
        "--cross-validation", type=int, metavar="FOLDS", help="Rasa's k-fold cross-validation"
    )
    evaluate.add_argument(
        "--questions",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="these question files instead of the whole held-out set (same YAML format)",
    )
    evaluate.set_defaults(func=cmd_eval)

    forget = sub.add_parser(
        "purge", help="delete conversations, numbers and chat ids not seen for N days"
    )
    forget.add_argument("--days", type=int, required=True)
    forget.set_defaults(func=cmd_purge)

    for name, func in (("serve-gateway", cmd_serve_gateway), ("serve-actions", cmd_serve_actions)):
        sub.add_parser(name, help=argparse.SUPPRESS).set_defaults(func=func)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings()
    return int(args.func(settings, args))


if __name__ == "__main__":
    sys.exit(main())
