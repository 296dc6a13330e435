import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _indonesian():
    """A request under /en/ leaves English active in the thread; reverse() would follow it."""
    translation.activate("id")
    yield
    translation.activate("id")
