"""Settings for `manage.py test --settings=noctis.settings_test`: SQLite in memory and a local-memory cache, so the
tests need neither PostgreSQL nor Redis (the Debian packages of the app are still needed)."""
import os
import tempfile

# Fixed values, not the caller's environment: the tests must not depend on an env file that happens to be loaded.
os.environ.update(
    {
        "SECRET_KEY": "test-only-" + "k" * 50,
        "ALLOWED_HOSTS": "testserver",
        "PGDATABASE": "unused",
        "PGUSER": "unused",
        "PGPASSWORD": "unused",
        "REDIS_URL": "redis://unused",
        "MEDIA_ROOT": tempfile.gettempdir(),
        "STATIC_ROOT": tempfile.gettempdir(),
    }
)

from .settings import *  # the production settings; the overrides follow

DATABASES = {"default": {"ENGINE": "django_prometheus.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The default hasher is slow on purpose; the tests hash many passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
