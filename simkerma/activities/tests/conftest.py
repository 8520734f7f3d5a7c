from simkerma.activities.tests.fixtures import *  # noqa: F403
