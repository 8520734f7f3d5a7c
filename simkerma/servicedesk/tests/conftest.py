import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit lives in the cache, which outlives a test; start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _draft_templates_in_tmp(settings, tmp_path_factory):
    settings.SIMKERMA_DRAFT_TEMPLATE_DIR = tmp_path_factory.getbasetemp() / "draft-templates"
