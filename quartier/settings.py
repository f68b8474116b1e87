"""Settings for Quartier, read from the environment (12-factor).

What differs between machines comes from environment variables named like the
setting. Local defaults are safe; a production setup that forgets something
important fails loudly at start-up instead of running insecurely.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false).")


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from None


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# Only ever used with DEBUG on; production must bring its own key.
DEV_SECRET_KEY = "django-insecure-quartier-local-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "The development SECRET_KEY must not be used in production."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent without a valid token: the feedback form comes back with its
# answers, other forms get a plain page (never Django's technical one).
CSRF_FAILURE_VIEW = "quartier.views.csrf_failure"

INSTALLED_APPS = [
    "quartier.admin_site.QuartierAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "parler",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "quartier",
    "simple_history",
    "jobcenters",
    "events",
    "feedback",
    "audit",
    "translations",
    "translation_exchange",
    "api",
    "django_tasks",
    "django_tasks_db",
    "alerts",
    "planning",
]

MIDDLEWARE = [
    # First, so that every response and every error log line carries the id.
    "quartier.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "quartier.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Jobcenter of the host: every query below runs in its scope.
    "jobcenters.middleware.JobcenterMiddleware",
    # Anonymous hits of the public page cache, answered before sessions and
    # authentication with the headers the rest would add (quartier/fastcache.py).
    "quartier.fastcache.EarlyPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before any view and its page cache: a first visit follows the browser.
    "quartier.middleware.BrowserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "quartier.middleware.StaffSessionMiddleware",
    # In the admin, /team/ and /auswertung/: the Jobcenter the user chose.
    "jobcenters.middleware.StaffJobcenterMiddleware",
    "quartier.middleware.SecondFactorMiddleware",
    # Records the request's user in the audit trail (audit app).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside ConditionalGetMiddleware: changes the page before its ETag is set.
    "quartier.middleware.NulByteMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quartier.urls"
WSGI_APPLICATION = "quartier.wsgi.application"
ASGI_APPLICATION = "quartier.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quartier.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("CACHE_URL must be empty, locmem:// or redis://…")

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes first: it refuses a locked-out user name or address before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, with each role held per Jobcenter.
    "jobcenters.backends.JobcenterRoleBackend",
]

# Audit trail (django-simple-history, audit app): the admin's "History" view
# shows old and new values but offers no "revert", which would bypass the
# services and their checks.
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "de"
# German is the source of all content and is served without a URL prefix;
# every other language under its code (/en/, /tr/, /ar/ …). Leichte Sprache
# is a German variant with a private-use tag (BCP 47), served under
# /de-x-ls/. More languages by settings alone: QUARTIER_LANGUAGES="de,en,bg"
# (names and text direction come from Django's table of languages; an
# interface catalogue under locale/ is needed for more than English text).
DEFAULT_LANGUAGES = "de,de-x-ls,en,tr,ar,uk,ru,fa"
LANGUAGE_NAMES = {
    "de": _("German"),
    "de-x-ls": _("Easy-to-read German"),
    "en": _("English"),
    "tr": _("Turkish"),
    "ar": _("Arabic"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "fa": _("Persian"),
}
LANGUAGES = [
    (code, LANGUAGE_NAMES.get(code, code))
    for code in env_list("QUARTIER_LANGUAGES", default=DEFAULT_LANGUAGES.split(","))
]
if LANGUAGES[0][0] != LANGUAGE_CODE:
    raise ImproperlyConfigured("QUARTIER_LANGUAGES must start with de.")
# Right to left: Django's default LANGUAGES_BIDI, which holds ar and fa.
# Content translations (django-parler): German is the source; a missing
# translation falls back to it and is marked as German on the page.
PARLER_DEFAULT_LANGUAGE_CODE = LANGUAGE_CODE
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in LANGUAGES),
    "default": {"fallbacks": [LANGUAGE_CODE], "hide_untranslated": False},
}
PARLER_ENABLE_CACHING = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Where uploads go: "filesystem" (MEDIA_ROOT, one server or a shared volume)
# or "s3" (an S3-compatible bucket shared by all app servers, e.g. MinIO).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    MEDIA_BACKEND = {
        "BACKEND": "quartier.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            # Empty: Amazon S3 itself; MinIO and others give their address.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Empty: boto3 finds them itself (environment, instance role).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # MinIO and most S3-compatible servers want the bucket in the path.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE")
            or ("path" if os.environ.get("AWS_S3_ENDPOINT_URL") else None),
            # Two photos with one name get two keys, as on a disk.
            "file_overwrite": False,
            # Served through the proxy under MEDIA_URL, never signed links.
            "querystring_auth": False,
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be filesystem or s3.")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: anything larger is refused before Pillow sees it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", default=8 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = env_int("IMAGE_UPLOAD_MAX_PIXELS", default=40_000_000)
IMAGE_MAX_EDGE = 2400

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: strict by default; local development relaxes what needs TLS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The language menu's choice (/sprache/<code>/) is kept for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Sites that may show /einbetten/ in a frame (CSP frame-ancestors): any by
# default, since partners are many; e.g. "https://quartier-oststadt.de". Every
# other page may be framed by none.
EMBED_FRAME_ANCESTORS = os.environ.get("EMBED_FRAME_ANCESTORS", "*").strip()
if not all(
    re.fullmatch(r"\*|'self'|'none'|https?:|https?://[A-Za-z0-9.*-]+(:\d+)?", source)
    for source in EMBED_FRAME_ANCESTORS.split()
):
    raise ImproperlyConfigured(
        "EMBED_FRAME_ANCESTORS must be sources separated by spaces: *, 'self', "
        "'none', https: or addresses such as https://partner.example.org."
    )
# Where browsers report Content-Security-Policy violations (empty: nowhere),
# e.g. https://reports.example.org/csp; see docs/security.md.
CSP_REPORT_URI = os.environ.get("CSP_REPORT_URI", "").strip()
if CSP_REPORT_URI and (
    not CSP_REPORT_URI.startswith(("https://", "http://"))
    or any(char in CSP_REPORT_URI for char in " \t;,\"'")
):
    # It goes into two headers as it is: anything else would change the policy.
    raise ImproperlyConfigured(
        "CSP_REPORT_URI must be an absolute http(s) address without spaces, "
        "commas, semicolons or quotes."
    )

# Quartier's own settings.
SITE_NAME = os.environ.get("SITE_NAME", "Jobcenter im Quartier")
# The operator's look: a logo (a static file such as "img/logo.svg", or a path
# on this site such as "/media/logo.png") and a brand colour (#rrggbb, at
# least 4.5:1 against white; a system check refuses anything lighter).
SITE_LOGO = os.environ.get("SITE_LOGO", "img/quartier-mark.svg")
BRAND_COLOR = os.environ.get("BRAND_COLOR", "#0b5394")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The domain in calendar UIDs and feed ids (empty: the host of SITE_URL).
# Subscribed calendars recognise an event by its UID: when the site moves to
# another address, set this to the old host.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "")
# The first Jobcenter's name until its staff change it (in the admin); also the
# name shown on pages that belong to no Jobcenter.
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Jobcenter Pforzheim")
# Several Jobcenters: a host that is none of theirs gets a list of them (with
# links) instead of a plain 404.
JOBCENTER_DIRECTORY = env_bool("JOBCENTER_DIRECTORY", default=False)
FEEDBACK_OPEN_DAYS = env_int("FEEDBACK_OPEN_DAYS", default=14)
# Anonymous visitors get public pages and feeds from the cache for this long.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", default=60)
# Pages a client may have built (cache misses) per window; past that, a 429
# with Retry-After (events/budget.py). 0: no limit. Cache hits never count.
# 20 in 10 seconds lets a person, and a crawler that waits as told, see
# everything, while one client's loop of random filter addresses cannot take
# the CPU: a short window keeps its builds from coming in one long burst.
PUBLIC_BUILD_BUDGET = env_int("PUBLIC_BUILD_BUDGET", default=20)
PUBLIC_BUILD_WINDOW_SECONDS = env_int("PUBLIC_BUILD_WINDOW_SECONDS", default=10)
FEEDBACK_RATE_LIMIT = env_int("FEEDBACK_RATE_LIMIT", default=10)
# A feedback form sent faster than this (seconds after it was shown) is refused.
FEEDBACK_MIN_FILL_SECONDS = env_int("FEEDBACK_MIN_FILL_SECONDS", default=3)
# Behind a trusted proxy: the META key carrying the client address, e.g.
# HTTP_X_REAL_IP; empty means REMOTE_ADDR (never trust X-Forwarded-For by default).
# One setting for the feedback rate limit and the login lock-out, so both see
# the same address; FEEDBACK_CLIENT_IP_HEADER is its former name, still read.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
_FORMER_CLIENT_IP_HEADER = os.environ.get("FEEDBACK_CLIENT_IP_HEADER", "")
if CLIENT_IP_HEADER and _FORMER_CLIENT_IP_HEADER not in ("", CLIENT_IP_HEADER):
    raise ImproperlyConfigured(
        "CLIENT_IP_HEADER and FEEDBACK_CLIENT_IP_HEADER disagree: set only CLIENT_IP_HEADER."
    )
CLIENT_IP_HEADER = CLIENT_IP_HEADER or _FORMER_CLIENT_IP_HEADER
COMMENT_RETENTION_MONTHS = env_int("COMMENT_RETENTION_MONTHS", default=24)

# The planning panel in the event form (planning app, docs/planning.md):
# the state whose public and school holidays count where a Jobcenter names
# none, and how far (km) another place may be to be offered as an alternative.
PLANNING_HOLIDAY_STATE = os.environ.get("PLANNING_HOLIDAY_STATE", "BW")
PLANNING_ALTERNATIVE_RADIUS_KM = float(
    os.environ.get("PLANNING_ALTERNATIVE_RADIUS_KM", "1.5")
)

# E-mail alerts (alerts app, docs/alerts.md): sent by background tasks
# from the database queue (django-tasks), which every worker on every machine
# shares; `python manage.py alerts_worker` runs one worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "quartier@localhost")
# Subscriptions per client and hour; hours a confirmation link stays valid.
ALERTS_RATE_LIMIT = env_int("ALERTS_RATE_LIMIT", default=5)
ALERTS_CONFIRM_HOURS = env_int("ALERTS_CONFIRM_HOURS", default=48)
# Tries per mail before it goes to the dead-letter list; a task running this
# long is taken for dead (its worker was killed) and run again.
ALERTS_MAX_ATTEMPTS = env_int("ALERTS_MAX_ATTEMPTS", default=5)
ALERTS_STALE_TASK_SECONDS = env_int("ALERTS_STALE_TASK_SECONDS", default=600)
# Subscribers per sending task: the unit the workers share.
ALERTS_BATCH_SIZE = env_int("ALERTS_BATCH_SIZE", default=1000)
# Reminders go out from this hour (local time) the day before an event.
ALERTS_REMINDER_HOUR = env_int("ALERTS_REMINDER_HOUR", default=8)

# Machine translation drafts (translations app, docs/machine-translation.md):
# "none" (off), "deepl" (DeepL API, texts go to DeepL SE) or "libretranslate"
# (a self-hosted server: texts stay in-house).
QUARTIER_MT_BACKEND = os.environ.get("QUARTIER_MT_BACKEND", "none").strip() or "none"
DEEPL_AUTH_KEY = os.environ.get("DEEPL_AUTH_KEY", "")
# Empty: the DeepL client picks the Free or Pro address from the key.
DEEPL_SERVER_URL = os.environ.get("DEEPL_SERVER_URL", "")
LIBRETRANSLATE_URL = os.environ.get("LIBRETRANSLATE_URL", "").rstrip("/")
LIBRETRANSLATE_API_KEY = os.environ.get("LIBRETRANSLATE_API_KEY", "")
# Seconds to wait for the translation service before giving up.
QUARTIER_MT_TIMEOUT = env_int("QUARTIER_MT_TIMEOUT", default=20)
# Characters sent to the service per calendar month, for the whole installation.
QUARTIER_MT_MONTHLY_CHARACTERS = env_int(
    "QUARTIER_MT_MONTHLY_CHARACTERS", default=500_000
)
if QUARTIER_MT_TIMEOUT < 1 or QUARTIER_MT_MONTHLY_CHARACTERS < 0:
    raise ImproperlyConfigured(
        "QUARTIER_MT_TIMEOUT must be at least 1 and "
        "QUARTIER_MT_MONTHLY_CHARACTERS not negative."
    )
if QUARTIER_MT_BACKEND not in {"none", "deepl", "libretranslate"}:
    raise ImproperlyConfigured(
        "QUARTIER_MT_BACKEND must be none, deepl or libretranslate."
    )
if QUARTIER_MT_BACKEND == "deepl" and not DEEPL_AUTH_KEY:
    raise ImproperlyConfigured("QUARTIER_MT_BACKEND=deepl needs DEEPL_AUTH_KEY.")
if QUARTIER_MT_BACKEND == "libretranslate" and not LIBRETRANSLATE_URL.startswith(
    ("http://", "https://")
):
    raise ImproperlyConfigured(
        "QUARTIER_MT_BACKEND=libretranslate needs LIBRETRANSLATE_URL (http(s)://…)."
    )

# Staff accounts (docs/security.md, "Staff accounts").
# Lock-out (django-axes): after LOGIN_FAILURE_LIMIT failed logins or wrong
# second-factor codes, the user name and the client address are each locked
# for LOGIN_LOCKOUT_MINUTES, counted separately.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "feedback.ratelimit.client_address"
AXES_LOCKOUT_TEMPLATE = "staffauth/locked_out.html"
AXES_HANDLER = "quartier.staffauth.MinimalDatabaseHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Masked in axes' log lines and in the form data it keeps with a lock-out
# counter (so no address reaches the logs).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "code",
    "csrfmiddlewaretoken",
]
AXES_VERBOSE = False
# Logins, logouts and failed logins (with the address) are kept this long;
# `purge_login_records` removes older ones.
LOGIN_RECORD_RETENTION_DAYS = env_int("LOGIN_RECORD_RETENTION_DAYS", default=30)
# Second factor (django-otp): superusers and members of these groups must use
# one; anyone else who enrolled is asked for the code, too.
OTP_REQUIRED_GROUPS = env_list("OTP_REQUIRED_GROUPS", default=["Koordination"])
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", SITE_NAME)
# Nobody reads another person's authenticator key or QR code in the admin, the
# operator neither (enrolment shows it once, to its owner).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions exist only for staff (public pages set none): they end after this
# many minutes without a request, and on every password change.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = STAFF_SESSION_IDLE_MINUTES * 60

# One JSON object per line (quartier/logformat.py): each failed request
# (status 500 and up; 4xx as warnings) with its request id, method, path, view
# and error class. No IP address, query string, form data, user agent or error
# message: those may carry personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "quartier.logformat.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Logged once here, not again by Django's "django" handlers (mail).
        "django.request": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR"},
    },
}

# The summaries use covering indexes (INCLUDE) on PostgreSQL, as in production;
# SQLite, the embedded default, builds them without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
