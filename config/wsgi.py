import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Web workers get a database statement timeout (config/settings.py); commands do not.
os.environ.setdefault("FIELDWORK_WEB", "1")
application = get_wsgi_application()
