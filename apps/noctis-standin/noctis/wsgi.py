"""The WSGI app for gunicorn: `gunicorn noctis.wsgi:application` from the app directory."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noctis.settings")
application = get_wsgi_application()
