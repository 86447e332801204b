"""Throttles whose rates are read on every request from REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES (set from API_ANON_RATE / API_USER_RATE). DRF's own classes copy the
rates once at import, so a changed setting (a test, a reload) would be ignored."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _current_rate(scope: str | None) -> str | None:
    # The DRF stubs type these values as numbers; they are rates such as "120/minute".
    rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
    return rates.get(scope) if scope is not None else None


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return _current_rate(self.scope)


class AuthenticatedThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return _current_rate(self.scope)
