"""Load the shared fixtures; helpers are imported from tests.support, never from a conftest."""

pytest_plugins = ("tests.support.plugin",)
