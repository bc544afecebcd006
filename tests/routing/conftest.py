"""Shared fixtures: the real Chengdu extract, its departments and a router over the default rules."""

from __future__ import annotations

import pytest

from hotline.routing.address import AddressIndex
from hotline.routing.directory import Directory
from hotline.routing.engine import Router
from hotline.routing.rules import load_ruleset
from tests.support.plugin import RULES_DIR


@pytest.fixture(scope="session")
def places():
    divisions = pytest.importorskip("hotline.org.divisions")
    return divisions.load_extract()


@pytest.fixture(scope="session")
def specs(places):
    templates = pytest.importorskip("hotline.org.templates")
    return templates.department_specs(places)


@pytest.fixture(scope="session")
def index(places):
    return AddressIndex(places)


@pytest.fixture(scope="session")
def router(places, specs, index):
    ruleset = load_ruleset(RULES_DIR, place_codes=[p.code for p in places])
    return Router(ruleset, index, Directory(specs))
