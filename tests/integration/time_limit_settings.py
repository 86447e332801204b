"""Settings for the workers of the time-limit tests: the test settings with limits of seconds,
so that a slow parse reaches them within a test. Production keeps 300 s and 360 s."""

from claimsite.settings.test import *  # noqa: F403

CELERY_TASK_SOFT_TIME_LIMIT = 2
CELERY_TASK_TIME_LIMIT = 4
