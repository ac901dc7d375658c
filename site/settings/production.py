"""Production: refuses to start without a secret key, HTTPS everywhere, MFA for staff."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, SHARED_CACHE, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")

DEBUG = False
RENFORT_REQUIRE_STAFF_MFA = env_bool("RENFORT_REQUIRE_STAFF_MFA", True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# One database connection per worker, kept between requests (checked before reuse) instead of
# one opened per request: opening costs more than a page served from the cache.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Login rate limits live in the cache: with several processes each would count on its own
# (13 of 15 wrong passwords checked with 4 workers). A shared cache, or a loud opt-out.
if not SHARED_CACHE:
    if not env_bool("RENFORT_ALLOW_PER_PROCESS_CACHE", False):
        raise ImproperlyConfigured(
            "CACHE_URL must point to a shared cache (redis://host:6379/1) in production: login "
            "rate limits are counted in the cache. With a single process only, set "
            "RENFORT_ALLOW_PER_PROCESS_CACHE=1 to accept a cache per process."
        )
    sys.stderr.write(
        "WARNING: RENFORT_ALLOW_PER_PROCESS_CACHE is set: login rate limits are counted per "
        "process; with more than one process they do not hold, and a change of Wagtail site, "
        "page view restriction or published course page reaches the other processes only "
        "after an hour. Whole pages are not kept (RENFORT_PAGE_CACHE_SECONDS=0).\n"
    )
# Slow links: HTML and JSON go out gzip-compressed (static files are pre-compressed by
# WhiteNoise). BREACH needs a secret and attacker-chosen text in the same compressed body:
# Django masks the CSRF token differently in every response and, since 4.2, GZipMiddleware
# pads each response with random bytes ("Heal the Breach"), so compressing every page is kept.
MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]  # noqa: F405
