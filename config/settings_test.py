"""Settings for the test suite: a fast hasher, locmem mail and cache, files in a temp dir."""

import os
import tempfile

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="simkerma-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
SIMKERMA_DRAFT_TEMPLATE_DIR = tempfile.mkdtemp(prefix="simkerma-test-drafts-")

# Several test runs may share one PostgreSQL server (a developer's runs beside CI's): a suffix in
# SIMKERMA_TEST_DB_SUFFIX keeps their test databases apart. pytest-django adds the xdist worker's.
if (suffix := os.environ.get("SIMKERMA_TEST_DB_SUFFIX", "")) and "postgresql" in DATABASES["default"]["ENGINE"]:  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{suffix}"}  # noqa: F405
