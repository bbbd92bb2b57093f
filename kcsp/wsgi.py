"""WSGI entry point: `gunicorn kcsp.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcsp.settings")

application = get_wsgi_application()
