"""Settings shared by every environment. Values that differ between machines come from the
environment; see the configuration table in README.md."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "renfort",
    "renfort.accounts",
    "courses",
    "associations",
    "assessments",
    "certificates",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "renfort.accounts.middleware.RequireStaffMFAMiddleware",
    "renfort.accounts.headers.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "courses.middleware.AdminAccessMiddleware",
    # Before the site lookup: a page served from the cache needs no site.
    "renfort.response_cache.ResponseCacheMiddleware",
    "renfort.site_cache.SiteCacheMiddleware",
]

ROOT_URLCONF = "renfort.urls"
WSGI_APPLICATION = "renfort.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Permissions only (one query instead of two), read by the two below; signs nobody in.
    "renfort.accounts.backends.PermissionsInOneQueryBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Caches: allauth's login rate limits need a real cache; several processes need a shared one.
CACHE_URL = os.environ.get("CACHE_URL", "")
SHARED_CACHE = CACHE_URL.startswith(("redis://", "rediss://"))
if SHARED_CACHE:
    CACHES = {
        "default": {"BACKEND": "renfort.redis_cache.SharedClientRedisCache", "LOCATION": CACHE_URL}
    }
    # Sessions read from the shared cache, written through to the database (a cache that is
    # not shared would keep a session alive in one process after a logout in another).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages kept in the shared cache per session until the next database write
# (renfort/response_cache.py): the views and Wagtail page types read most, and heaviest. Only
# with a shared cache by default: a cache of this process's own would not see the writes of
# another (a management command, a Celery worker).
RENFORT_PAGE_CACHE_SECONDS = int(
    os.environ.get("RENFORT_PAGE_CACHE_SECONDS", "600" if SHARED_CACHE else "0")
)
RENFORT_PAGE_CACHE_VIEWS = [
    "renfort.views.dashboard",
    "associations.views.cohort_detail",
    "assessments.views.organisation_page",
    "assessments.views.diagnostic_detail",
]
RENFORT_PAGE_CACHE_PAGE_TYPES = [
    "renfort.HomePage",
    "courses.ProgrammePage",
    "courses.ModulePage",
    "courses.LessonPage",
]

# Languages: French by default, Arabic (right to left) and English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "site" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Casablanca")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded spreadsheets (imports) hold personal data: a storage outside MEDIA_ROOT, so no web
# server path reaches it; its files are read only by the views that check who asks.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "var" / "private"))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
}
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible media (django-storages, optional extra `s3`); boto3 reads the keys itself.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": "private", "default_acl": "private", "querystring_auth": True},
    }
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

# Wagtail
WAGTAIL_SITE_NAME = "Renfort"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "ppt", "pptx", "odp", "xls", "xlsx", "ods"]

# Accounts (django-allauth): e-mail and password, no usernames.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_ALLOW_REGISTRATION = env_bool("ACCOUNT_ALLOW_REGISTRATION", False)
ACCOUNT_ADAPTER = "renfort.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Renfort"
# Staff roles (trainers, coordinators, administrators) must set up TOTP before anything else.
RENFORT_REQUIRE_STAFF_MFA = env_bool("RENFORT_REQUIRE_STAFF_MFA", False)

# E-mail
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Renfort <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: no broker means every task runs in-process, in the request that asked for it.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# `celery -A renfort beat` (one, beside the workers) sends these; without a broker, run
# `manage.py imports_purge` from cron instead.
CELERY_BEAT_SCHEDULE = {
    "imports-purge": {
        "task": "associations.tasks.import_jobs_purge_task",
        "schedule": 24 * 60 * 60,
    },
}

# Exports: cells that a spreadsheet would run as formulas are escaped.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_USE_TRANSACTIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail's background tasks log every run at INFO.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

# No avatar look-ups on outside servers: slow links and no third-party requests.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# One way to sign in (allauth): Wagtail manages neither passwords nor e-mail addresses, so an
# address change goes through allauth's verified flow (see site/accounts/doors.py).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# The client address behind proxies (allauth's per-IP rate limits): how many proxies under our
# control append to X-Forwarded-For (the address is read that many entries from the right, so a
# client cannot choose it), or a header a trusted proxy sets (e.g. X-Real-IP).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None

# Content-Security-Policy (django-csp): only the site's own files, no inline code; the admin may
# use inline styles (renfort/accounts/headers.py). Permissions-Policy is set there too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# No call home from the admin dashboard (releases.wagtail.org): no third-party requests.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Courses: a short list of time zones (the full list had names the browser's Intl does not know).
WAGTAIL_USER_TIME_ZONES = ["Africa/Casablanca", "Africa/Porto-Novo", "Europe/Paris", "UTC"]
# Lesson search: on PostgreSQL, French stemming (« formations » finds « formation »).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french"
