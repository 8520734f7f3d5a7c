"""Settings for a worker process that a fault test starts and kills: its mail goes to files, or is
refused when SIMKERMA_TEST_REFUSE is set."""

import os

from config.settings_test import *  # noqa: F403

EMAIL_BACKEND = (
    "simkerma.core.tests.blocking_mail.RefusingBackend"
    if os.environ.get("SIMKERMA_TEST_REFUSE")
    else "simkerma.core.tests.blocking_mail.EmailBackend"
)
