"""The test suite: fast hashing, temporary media, plain static storage, e-mails kept in memory."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import STORAGES

SECRET_KEY = "tests-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="renfort-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="renfort-test-static-")
# A worker process started by a test is handed the test's own folder (tests/associations/
# test_import_worker.py); otherwise each run gets a fresh one.
PRIVATE_ROOT = os.environ.get("RENFORT_TEST_PRIVATE_ROOT") or tempfile.mkdtemp(
    prefix="renfort-test-private-"
)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite runs in one process: whole pages are kept in its local cache, so that every test
# that reads a page after a write also checks that the write reached the page.
RENFORT_PAGE_CACHE_SECONDS = 600
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
