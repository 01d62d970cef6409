import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Web workers get the web's database statement timeout (config/settings.py); commands a longer one.
os.environ.setdefault("FIELDWORK_WEB", "1")
application = get_wsgi_application()
