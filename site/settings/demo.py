"""The served demo (`make run`): the pages users will see, so DEBUG is off and a missing or
forbidden page gets Renfort's own 404/403/500, never Django's technical page. Developers who
want DEBUG run `make dev` (settings `renfort.settings.dev`)."""

from .base import env_list
from .dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
# runserver serves static files only under DEBUG: WhiteNoise (already in MIDDLEWARE) serves
# them here, straight from the apps' folders, so a `collectstatic` is not even needed.
WHITENOISE_USE_FINDERS = True
