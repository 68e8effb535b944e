"""NailPro settings: one module, driven by environment variables (see the README's table)."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            "(or DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

# Keys encrypting health data at rest, newest first (see nailpro/crypto.py). `make run` writes
# a development key into .env; production refuses to start without one.
FIELD_ENCRYPTION_KEYS = [k for k in env.list("FIELD_ENCRYPTION_KEYS", default=[]) if k.strip()]
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS is not set: it encrypts your clients' health data. Generate a "
        "key with `python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'` (`make run` writes one into .env)."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "nailpro",
    "catalog",
    "clients",
    "visits",
    "agenda",
    "gallery",
    "billing",
    "business",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "phonenumber_field",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, which answers static files with their precompressed copies; above all
    # that adds to a response. Why in the app and not the proxy: README, "Deploy".
    "nailpro.middleware.CompressTextMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nailpro.middleware.AccountMiddleware",
    "nailpro.kiosk.KioskMiddleware",
    # Axes last: it answers a locked-out login attempt before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nailpro.urls"
WSGI_APPLICATION = "nailpro.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "nailpro.context_processors.account",
                "nailpro.context_processors.offline",
                "clients.context_processors.client_usage",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            # Partials need the cached loader wrapped by template_partials' own loader.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

# Database: SQLite by default, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under a few parallel writes: a write transaction takes the lock
    # when it begins (IMMEDIATE), others wait up to 20 s for it instead of failing with
    # "database is locked"; WAL lets pages read while one request writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users and logins
AUTH_USER_MODEL = "nailpro.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # The model backend, reading her account and plan with her on each request (one query, not
    # three). Last: the sign-up logs in through it.
    "billing.auth.PlanBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Lockout per (e-mail, IP) pair, so nobody can lock a technician out from elsewhere;
# it lifts by itself after the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Per connection, whatever the e-mails (password spraying), and per e-mail on a connection;
# wrong passwords on one e-mail from many connections slow down instead (nailpro/auth.py).
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "nailpro.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "nailpro.auth.axes_username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
LOGIN_DELAY_AFTER = env.int("LOGIN_DELAY_AFTER", default=5)
LOGIN_DELAY_MAX_SECONDS = env.int("LOGIN_DELAY_MAX_SECONDS", default=60)

# Internationalisation: French first, then English, Spanish, Italian and Russian; each account
# has its own language, time zone, currency and phone region, and each client her own language.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["nailpro.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_BUCKET = env("MEDIA_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "DJANGO_STATICFILES_STORAGE",
            default=(
                "django.contrib.staticfiles.storage.StaticFilesStorage"
                if DEBUG
                else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            ),
        )
    },
}
if MEDIA_BUCKET:
    # Photos stay private: no public ACL, no query-string auth links handed out; our views
    # read the bytes and serve them after checking the account.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env("MEDIA_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_REGION", default=None),
            "access_key": env("MEDIA_ACCESS_KEY_ID", default=None),
            "secret_key": env("MEDIA_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# E-mail: the console in development, SMTP (EMAIL_URL) in production.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
# Where technicians write to us (plan changes, help): shown as a mailto: link.
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="support@nailpro.localhost")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="NailPro <no-reply@nailpro.localhost>")
# Where the links in messages to her clients lead (the worker has no request to ask).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# SMS reminders through Twilio's Messages API: off until the three are set. TWILIO_FROM is
# the sending number (E.164) or a Messaging Service id (MG…).
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env("TWILIO_FROM", default="")
TWILIO_API_URL = env("TWILIO_API_URL", default="https://api.twilio.com")
# Public reply links (confirm or move an appointment): lookups allowed per connection.
REPLY_LINK_RATE = env.int("REPLY_LINK_RATE", default=30)
REPLY_LINK_RATE_MINUTES = env.int("REPLY_LINK_RATE_MINUTES", default=15)

# Plans: the Pro plan's prices, shown on the pricing page; Stripe takes payments when its keys
# are set (price ids of the monthly and yearly Pro prices), else staff change plans in the admin.
PRO_PRICE_MONTHLY = Decimal(env("PRO_PRICE_MONTHLY", default="9.90"))
PRO_PRICE_YEARLY = Decimal(env("PRO_PRICE_YEARLY", default="99.00"))
PRO_PRICE_CURRENCY = env("PRO_PRICE_CURRENCY", default="EUR")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_PRICE_MONTHLY = env("STRIPE_PRICE_MONTHLY", default="")
STRIPE_PRICE_YEARLY = env("STRIPE_PRICE_YEARLY", default="")

# Background work: django-tasks with its database backend (worker: manage.py db_worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A run (import, export) whose heartbeat is older than this lost its worker and is resumed;
# the maintenance round (resume, purge) comes back this often (nailpro/maintenance.py).
TASK_LEASE_SECONDS = env.int("TASK_LEASE_SECONDS", default=120)
MAINTENANCE_EVERY = env.int("MAINTENANCE_EVERY", default=60)

# Security. HTTPS settings are on unless DEBUG, or DJANGO_HTTPS=0 (the test suite over plain HTTP).
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_ENGINE = "nailpro.sessions"  # Django's database sessions, read by one plain query
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # a month: she logs in on her own phone

# Strict CSP: our own origin only, no inline script, no eval. htmx is configured through
# a <meta> tag to need neither (see templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
