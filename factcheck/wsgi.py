import os

from django.core.wsgi import get_wsgi_application

from factcheck.frame_room import roomy

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

application = roomy(get_wsgi_application())
