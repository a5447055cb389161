"""The composition root: every long-lived object is built here and passed down."""

from __future__ import annotations

from starlette.applications import Starlette

from bot.catalog import Catalog
from bot.settings import Settings
from channels.app import create_app as create_gateway_app
from channels.conversation import ConversationEngine
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


def build_gateway(settings: Settings) -> Starlette:
    database = build_database(settings)
    store = ConversationStore(database.engine)
    store.create_tables()
    token = settings.rasa_token.get_secret_value() if settings.rasa_token else None
    engine = ConversationEngine(
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
    return create_gateway_app(
        engine, database, actions_url=settings.actions_url, admin_token=settings.admin_token
    )


def build_action_server(settings: Settings) -> Starlette:
    from actions.server import create_app

    return create_app(build_database(settings), build_translator(settings))
