"""The browser fixtures (a served app, headless Chromium) for every browser test module."""

from tests.browser.test_walkthrough import browser, server  # noqa: F401
