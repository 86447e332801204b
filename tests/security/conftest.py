# The API's fixtures: a client per user token, and throttle counts reset for each test.
from tests.api.conftest import _fresh_throttle_counts, api_client, token_client  # noqa: F401
