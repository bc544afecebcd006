"""Load the shared fixtures; helpers are imported from tests.support, never from a conftest."""

pytest_plugins = ("tests.support.plugin",)


def pytest_report_header(config):  # noqa: ANN001, ANN201
    """Say up front which files from outside the repository are missing (their tests skip)."""
    from tests.open311.conftest import MISSING_SCHEMAS, schemas_present

    if schemas_present():
        return ["outside files: Open311 GeoReport v2 schemas found"]
    return ["outside files: " + MISSING_SCHEMAS.replace("SKIPPED: this test", "the tests that")]
