"""The composition root: every long-lived object is built here and passed down."""

from __future__ import annotations

from starlette.applications import Starlette

from bot.catalog import Catalog
from bot.settings import Settings
from channels.app import PlatformChannel
from channels.app import create_app as create_gateway_app
from channels.conversation import ConversationEngine
from channels.delivery import Delivery
from channels.pseudonym import Pseudonymizer
from channels.rasa_client import RasaClient
from channels.store import ConversationStore
from channels.vocabulary import VocabularyDetector
from knowledge.db import Database
from knowledge.translation import ArgosTranslator, NoTranslator, Translator
from nlu.danger import load_lexicon


def build_database(settings: Settings) -> Database:
    return Database(settings.db_url)


def build_translator(settings: Settings) -> Translator:
    """argostranslate when packages are installed, else nothing (curated text only)."""
    directory = settings.translation_dir
    if directory.exists() and any(directory.iterdir()):
        return ArgosTranslator(directory)
    return NoTranslator()


def build_platforms(
    settings: Settings, engine: ConversationEngine, delivery: Delivery
) -> list[PlatformChannel]:
    """Telegram and SMS, each on when its credentials are set."""
    platforms: list[PlatformChannel] = []
    if settings.telegram_enabled:
        from channels.telegram import build_telegram

        platforms.append(build_telegram(settings, engine, delivery))
    if settings.sms_enabled:
        from channels.sms import build_sms

        platforms.append(build_sms(settings, engine, delivery))
    return platforms


def build_engine(settings: Settings, store: ConversationStore) -> ConversationEngine:
    token = settings.rasa_token.get_secret_value() if settings.rasa_token else None
    return ConversationEngine(
        rasa=RasaClient(settings.rasa_url, token, settings.rasa_timeout),
        store=store,
        pseudonymize=Pseudonymizer(settings.secret_key()),
        catalog=Catalog.from_files(),
        danger=load_lexicon(),
        languages=settings.languages,
        default_language=settings.default_language,
        max_chars=settings.max_message_chars,
        vocabulary=VocabularyDetector.from_training_data(),
        translator=build_translator(settings),
    )


def build_gateway(settings: Settings) -> Starlette:
    database = build_database(settings)
    store = ConversationStore(database.engine)
    store.create_tables()
    delivery = Delivery(database.engine)
    delivery.create_tables()
    engine = build_engine(settings, store)
    return create_gateway_app(
        engine,
        database,
        actions_url=settings.actions_url,
        admin_token=settings.admin_token,
        platforms=build_platforms(settings, engine, delivery),
    )


def build_action_server(settings: Settings) -> Starlette:
    from actions.server import create_app

    return create_app(build_database(settings), build_translator(settings))
