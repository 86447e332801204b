"""Throttles whose rates are read on every request from REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES (set from API_ANON_RATE / API_USER_RATE). DRF's own classes copy the
rates once at import, so a changed setting (a test, a reload) would be ignored.

Their counters live in the shared cache; when it is away every request is allowed (and the
log says so, claimsite/shared_cache.py) rather than every request failing."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from claimsite.shared_cache import GuardedCache

throttle_cache = GuardedCache(purpose="throttle")


def _current_rate(scope: str | None) -> str | None:
    # The DRF stubs type these values as numbers; they are rates such as "120/minute".
    rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
    return rates.get(scope) if scope is not None else None


# DRF's throttles call only the cache's get() and set(), which GuardedCache has.
class AnonymousThrottle(AnonRateThrottle):
    cache = throttle_cache  # type: ignore[assignment]

    def get_rate(self) -> str | None:
        return _current_rate(self.scope)


class AuthenticatedThrottle(UserRateThrottle):
    """Signed-in users only: anonymous clients have their own rate (DRF's class would also
    count them, by address, against the users' rate)."""

    cache = throttle_cache  # type: ignore[assignment]

    def get_rate(self) -> str | None:
        return _current_rate(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
