"""A newcomer types a question in the web chat, in headless Chromium, and sees services."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import require
from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    require(shutil.which("chromium") is not None, "Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_typing_a_question_shows_services(stack: Stack, browser: object) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(stack.base_url + "/")
    page.fill("#message", "where can I take free English classes in Burnaby")
    page.click("#send")
    page.wait_for_selector(".msg.msg-bot .msg-text >> text=/^1\\. /", timeout=30_000)
    texts = page.locator(".msg.msg-bot .msg-text").all_inner_texts()
    assert any(t.startswith("1. ") for t in texts), texts
    assert page.locator(".buttons > button.reply-btn").count() >= 1
    # a details button sends its payload and shows the service
    page.locator(".buttons > button.reply-btn").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.msg.msg-bot .msg-text')]"
        ".filter(e => e.innerText.startsWith('1. ')).length >= 2",
        timeout=30_000,
    )
    page.close()


def test_french_question_answers_in_french_and_sets_lang(stack: Stack, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(stack.base_url + "/")
    page.fill("#message", "je cherche un emploi à Surrey")
    page.press("#message", "Enter")
    page.wait_for_selector(".msg.msg-bot .msg-text >> text=/^1\\. /", timeout=30_000)
    assert page.get_attribute("html", "lang") == "fr"
    page.close()


def test_markup_from_the_user_is_shown_as_text(stack: Stack, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(stack.base_url + "/")
    page.fill("#message", "<img src=x onerror=alert(1)> food bank in Vancouver")
    page.click("#send")
    page.wait_for_selector(".msg.msg-bot .msg-text >> text=/^1\\. /", timeout=30_000)
    assert page.locator("#log img").count() == 0
    assert "<img" in page.locator(".msg.msg-user .msg-text").first.inner_text()
    page.close()
