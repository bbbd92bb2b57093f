"""Settings for the test suite: the real settings with test-only speed-ups.

The database is still whatever DATABASE_URL names (PostgreSQL in CI), so
tests exercise the same engine as production.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "insecure-test-key-" + "x" * 40)

from kcsp.settings import *  # noqa: F403
from kcsp.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kcsp-test-media-"))
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="kcsp-test-static-"))
# Two-factor sign-in is tested on its own (tests/security); elsewhere staff
# sign in with a password only, as in the demo.
STAFF_TWO_FACTOR = False
