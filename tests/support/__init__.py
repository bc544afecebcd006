"""Shared test helpers: ``plugin`` is the pytest plugin every test run loads (see
tests/conftest.py); the other modules hold the helpers tests import, grouped by topic."""
