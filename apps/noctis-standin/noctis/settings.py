"""Settings of the Noctis stand-in, all from environment variables (the env file that systemd hands to gunicorn).

Required: SECRET_KEY, ALLOWED_HOSTS (comma-separated), PGDATABASE, PGUSER, PGPASSWORD (PGHOST and PGPORT default to
libpq's: the local socket, 5432), REDIS_URL (redis://:PASSWORD@HOST:PORT/DB, the password URL-encoded), MEDIA_ROOT
and STATIC_ROOT (absolute paths). Optional: PROMETHEUS_MULTIPROC_DIR (see gunicorn.conf.py).
The database takes libpq's own PG* names so that psql and pg_dump (backups) read the same env file unchanged.
"""
import os

from django.core.exceptions import ImproperlyConfigured


def required(name):
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"the environment variable {name} is not set (see noctis/settings.py)")
    return value


BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SECRET_KEY = required("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_prometheus",
    "studies",
]

# The Prometheus pair wraps all the others, so request counts and latencies include every middleware's work.
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "noctis.urls"
WSGI_APPLICATION = "noctis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# django_prometheus's backends are Django's own plus query, error and connection counters on /metrics.
DATABASES = {
    "default": {
        "ENGINE": "django_prometheus.db.backends.postgresql",
        "NAME": required("PGDATABASE"),
        "USER": required("PGUSER"),
        "PASSWORD": required("PGPASSWORD"),
        "HOST": os.environ.get("PGHOST", ""),
        "PORT": os.environ.get("PGPORT", ""),
        # CONN_MAX_AGE stays at Django's 0, a connection per request: Django 3.2 has no CONN_HEALTH_CHECKS, and a
        # kept connection fails one request in each worker after PostgreSQL restarts (seen on a lab host).
        # /health answers within seconds when PostgreSQL is away, rather than hanging a worker.
        "OPTIONS": {"connect_timeout": 5},
    }
}

CACHES = {
    "default": {
        "BACKEND": "django_prometheus.cache.backends.redis.RedisCache",
        "LOCATION": required("REDIS_URL"),
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5},
    }
}
# Sessions are read from Redis and kept in PostgreSQL, so a Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# django_prometheus would otherwise query the database in every process at start, so gunicorn could not start
# while PostgreSQL is down, and /health could not answer why.
PROMETHEUS_EXPORT_MIGRATIONS = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_L10N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = required("STATIC_ROOT")
# DICOM files hold patient data: they are read by the app and never served as URLs (nginx must not expose them).
MEDIA_ROOT = required("MEDIA_ROOT")

# Security. nginx terminates TLS and sends the response headers (HSTS, Content-Security-Policy, X-Frame-Options,
# X-Content-Type-Options, Referrer-Policy) on every response, also on static files and error pages that Django never
# sees, so Django sends none of them (one place for each header, no duplicates) and leaves HTTP->HTTPS redirects to
# nginx. What only Django can do stays here: cookies sent over HTTPS only, and trusting nginx's X-Forwarded-Proto
# (gunicorn listens on 127.0.0.1 only, so nothing else can set it).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# `manage.py check --deploy` would warn that SecurityMiddleware (W001) and XFrameOptionsMiddleware (W002) are
# missing: their headers are nginx's.
SILENCED_SYSTEM_CHECKS = ["security.W001", "security.W002"]

# Without this, a production Django sends a 500's traceback only to ADMINS by mail; here it goes to stderr, the
# journal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
