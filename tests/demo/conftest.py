import pytest

from commsdesk.demo.newsroom import Newsroom


@pytest.fixture
def newsroom():
    """The demo newsroom on a free port of 127.0.0.1."""
    running = Newsroom(port=0).start()
    yield running
    running.stop()
