"""Settings, driven by the environment.

DATABASE_URL picks the database (SQLite under var/ when unset, PostgreSQL for a
postgres:// URL). Everything a deployment changes is read from the environment;
see docs/deployment.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIMKERMA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # A laptop install keeps a generated key under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_countries",
    "simple_history",
    "axes",
    "csp",
    # The API documentation's Swagger UI is served from the package's own static files, never a CDN.
    "ninja",
    "simkerma.core",
    "simkerma.accounts",
    "simkerma.org",
    "simkerma.partners",
    "simkerma.agreements",
    "simkerma.activities",
    "simkerma.archive",
    "simkerma.servicedesk",
    "simkerma.intake",
    "simkerma.evaluations",
    "simkerma.kpis",
    "simkerma.imports",
    "simkerma.reports",
    "simkerma.api",
    # Composes the others (home page, navigation, demo); it comes last.
    "simkerma.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "simkerma.core.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "simkerma.core.middleware.NotAllowedPageMiddleware",
    "simkerma.core.middleware.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "simkerma.site.context_processors.simkerma",
            ],
        },
    },
]

FORM_RENDERER = "simkerma.core.forms_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'simkerma.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for one username from one address locks it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "simkerma.core.clientip.axes_client_address"
# Account invitations: how long the link to set the first password works.
SIMKERMA_INVITATION_HOURS = int(os.environ.get("SIMKERMA_INVITATION_HOURS", "72"))
# "Forgot password": at most this many requests an hour from one address, and for one e-mail address.
SIMKERMA_PASSWORD_RESET_LIMIT = int(os.environ.get("SIMKERMA_PASSWORD_RESET_LIMIT", "5"))
# Behind a reverse proxy: how many proxies stand in front of gunicorn, or their addresses and
# networks. The client's address (login throttling, public-form limits) is read through these only.
SIMKERMA_TRUSTED_PROXY_COUNT = int(os.environ.get("SIMKERMA_TRUSTED_PROXY_COUNT", "0"))
SIMKERMA_TRUSTED_PROXIES = env_list("SIMKERMA_TRUSTED_PROXIES")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files are private: they are served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("SIMKERMA_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# One cache for every worker process, so the public-form limits count across all of them: a table
# in the database (created on migrate), or Redis when REDIS_URL is set (needs the `redis` package).
CACHES = {"default": {"BACKEND": "simkerma.core.cache.DatabaseCache", "LOCATION": "simkerma_cache"}}
if redis_url := os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
CACHES["progress"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    if redis_url
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "progress")}
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Simkerma <kerjasama@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a promise to browsers' built-in lists that is slow to undo; the institution decides.
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")

# Content Security Policy (django-csp): scripts, styles and everything else from our own origin
# only; htmx runs from our static files with its inline indicator style and eval switched off.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Domain settings (docs/kpis.md, docs/service-times.md). Each may be overridden by the environment.
SIMKERMA_INSTITUTION_NAME = os.environ.get("SIMKERMA_INSTITUTION_NAME", "Politeknik Negeri Batam")
SIMKERMA_INSTITUTION_CODE = os.environ.get("SIMKERMA_INSTITUTION_CODE", "PL29")
# Number segment per agreement kind, as in 001/MOU.PL29/III/2025.
SIMKERMA_NUMBER_KIND_CODES = {"mou": "MOU", "moa": "PKS", "ia": "IA"}
SIMKERMA_EXPIRING_DAYS = int(os.environ.get("SIMKERMA_EXPIRING_DAYS", "90"))
SIMKERMA_SCAN_MAX_BYTES = int(os.environ.get("SIMKERMA_SCAN_MAX_MB", "10")) * 1024 * 1024
SIMKERMA_PAGE_SIZE = 25
# Reminders (manage.py simkerma_worker) and retention (PR.28.3 section 4).
SIMKERMA_ACTIVITY_REMINDER_DAYS = [int(d) for d in env_list("SIMKERMA_ACTIVITY_REMINDER_DAYS", "7,1")]
SIMKERMA_AGREEMENT_REMINDER_DAYS = [int(d) for d in env_list("SIMKERMA_AGREEMENT_REMINDER_DAYS", "180,90,30")]
# Sent notices are pruned after this many days; never sooner than the longest reminder lead time,
# so a reminder whose window is still open is not planned and sent again.
SIMKERMA_NOTICE_KEEP_DAYS = max(
    int(os.environ.get("SIMKERMA_NOTICE_KEEP_DAYS", "365")),
    *SIMKERMA_ACTIVITY_REMINDER_DAYS,
    *SIMKERMA_AGREEMENT_REMINDER_DAYS,
)
SIMKERMA_RETENTION_YEARS = {"report": int(os.environ.get("SIMKERMA_RETENTION_YEARS_REPORT", "5"))}
SIMKERMA_EVIDENCE_MAX_BYTES = int(os.environ.get("SIMKERMA_EVIDENCE_MAX_MB", "10")) * 1024 * 1024
# Images larger than this many pixels are refused from the header alone (a 48-megapixel photo passes).
SIMKERMA_IMAGE_MAX_PIXELS = int(os.environ.get("SIMKERMA_IMAGE_MAX_PIXELS", "50000000"))
# Uploaded PDFs with more pages are refused.
SIMKERMA_PDF_MAX_PAGES = int(os.environ.get("SIMKERMA_PDF_MAX_PAGES", "500"))
# Official reports (docs/reports.md): a PDF or DOCX table holds at most this many rows; the XLSX holds all.
SIMKERMA_REPORT_PDF_MAX_ROWS = int(os.environ.get("SIMKERMA_REPORT_PDF_MAX_ROWS", "5000"))
# Word and Excel packages (zip files): most members, and most bytes once inflated.
SIMKERMA_OOXML_MAX_MEMBERS = int(os.environ.get("SIMKERMA_OOXML_MAX_MEMBERS", "1000"))
SIMKERMA_OOXML_MAX_INFLATED_BYTES = int(os.environ.get("SIMKERMA_OOXML_MAX_INFLATED_MB", "64")) * 1024 * 1024
# The workbook importer (docs/workbook.md): sheets, columns and rows read at most, consecutive empty
# rows after which a sheet is taken to end, and the length of a text cell with no column limit.
SIMKERMA_IMPORT_MAX_SHEETS = int(os.environ.get("SIMKERMA_IMPORT_MAX_SHEETS", "30"))
SIMKERMA_IMPORT_MAX_COLUMNS = int(os.environ.get("SIMKERMA_IMPORT_MAX_COLUMNS", "60"))
SIMKERMA_IMPORT_MAX_ROWS = int(os.environ.get("SIMKERMA_IMPORT_MAX_ROWS", "1000000"))
SIMKERMA_IMPORT_MAX_EMPTY_ROWS = int(os.environ.get("SIMKERMA_IMPORT_MAX_EMPTY_ROWS", "1000"))
SIMKERMA_IMPORT_MAX_TEXT = int(os.environ.get("SIMKERMA_IMPORT_MAX_TEXT", "10000"))
SIMKERMA_CALENDAR_FEED_PAST_DAYS = int(os.environ.get("SIMKERMA_CALENDAR_FEED_PAST_DAYS", "365"))
SIMKERMA_INSTITUTION_CITY = os.environ.get("SIMKERMA_INSTITUTION_CITY", "Batam")
SIMKERMA_INSTITUTION_ADDRESS = os.environ.get(
    "SIMKERMA_INSTITUTION_ADDRESS", "Jl. Ahmad Yani, Batam Kota, Batam, Kepulauan Riau"
)
SIMKERMA_INSTITUTION_SIGNATORY_NAME = os.environ.get("SIMKERMA_INSTITUTION_SIGNATORY_NAME", "")
SIMKERMA_INSTITUTION_SIGNATORY_POSITION = os.environ.get("SIMKERMA_INSTITUTION_SIGNATORY_POSITION", "Direktur")
# Service times (KPI B.1.2.9.13), counted in working time (docs/service-times.md).
SIMKERMA_WORKING_DAY_HOURS = int(os.environ.get("SIMKERMA_WORKING_DAY_HOURS", "8"))
SIMKERMA_RESPONSE_MINUTES = int(os.environ.get("SIMKERMA_RESPONSE_MINUTES", "15"))
SIMKERMA_DRAFT_WORKING_DAYS = int(os.environ.get("SIMKERMA_DRAFT_WORKING_DAYS", "1"))
SIMKERMA_FOLLOWUP_WORKING_DAYS = int(os.environ.get("SIMKERMA_FOLLOWUP_WORKING_DAYS", "1"))
SIMKERMA_DUE_SOON_PERCENT = int(os.environ.get("SIMKERMA_DUE_SOON_PERCENT", "80"))
# KPI targets (docs/kpis.md): prodi coverage is BASE in BASE_YEAR, plus STEP points each later year,
# capped at 100; aspect c (satisfaction) is met from this kepuasan (1 to 4) up.
SIMKERMA_KPI_COVERAGE_BASE_YEAR = int(os.environ.get("SIMKERMA_KPI_COVERAGE_BASE_YEAR", "2025"))
SIMKERMA_KPI_COVERAGE_BASE = float(os.environ.get("SIMKERMA_KPI_COVERAGE_BASE", "80"))
SIMKERMA_KPI_COVERAGE_STEP = float(os.environ.get("SIMKERMA_KPI_COVERAGE_STEP", "5"))
SIMKERMA_KPI_SATISFACTION_THRESHOLD = int(os.environ.get("SIMKERMA_KPI_SATISFACTION_THRESHOLD", "3"))
# The public request form: submissions and page views allowed per address and window (seconds).
SIMKERMA_PUBLIC_FORM_LIMIT = int(os.environ.get("SIMKERMA_PUBLIC_FORM_LIMIT", "10"))
SIMKERMA_PUBLIC_FORM_WINDOW = int(os.environ.get("SIMKERMA_PUBLIC_FORM_WINDOW", "3600"))
SIMKERMA_PUBLIC_VIEW_LIMIT = int(os.environ.get("SIMKERMA_PUBLIC_VIEW_LIMIT", "120"))
SIMKERMA_PUBLIC_VIEW_WINDOW = int(os.environ.get("SIMKERMA_PUBLIC_VIEW_WINDOW", "600"))
# The public form takes no files: a body larger than this is refused before it is read.
SIMKERMA_PUBLIC_FORM_MAX_BYTES = int(os.environ.get("SIMKERMA_PUBLIC_FORM_MAX_KB", "64")) * 1024
# Receipts of the public form per sending address and per recipient address, within the window (seconds).
SIMKERMA_RECEIPTS_PER_ADDRESS = int(os.environ.get("SIMKERMA_RECEIPTS_PER_ADDRESS", "5"))
SIMKERMA_RECEIPTS_PER_RECIPIENT = int(os.environ.get("SIMKERMA_RECEIPTS_PER_RECIPIENT", "3"))
SIMKERMA_RECEIPT_WINDOW = int(os.environ.get("SIMKERMA_RECEIPT_WINDOW", "86400"))
# Drafting: where the starter templates are built, the largest uploaded template, default duration.
SIMKERMA_DRAFT_TEMPLATE_DIR = VAR_DIR / "draft-templates"
SIMKERMA_DRAFT_MAX_BYTES = int(os.environ.get("SIMKERMA_DRAFT_MAX_MB", "5")) * 1024 * 1024
SIMKERMA_DRAFT_DEFAULT_YEARS = int(os.environ.get("SIMKERMA_DRAFT_DEFAULT_YEARS", "5"))
# The web import page: the largest upload; files up to SIMKERMA_IMPORT_INLINE_MAX_KB are checked and
# imported within the request, larger ones by the worker, which looks for queued jobs every
# SIMKERMA_WORKER_JOB_POLL_SECONDS. A job whose worker has held it longer than the lease is failed.
SIMKERMA_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("SIMKERMA_IMPORT_MAX_UPLOAD_MB", "20")) * 1024 * 1024
SIMKERMA_IMPORT_INLINE_MAX_BYTES = int(os.environ.get("SIMKERMA_IMPORT_INLINE_MAX_KB", "64")) * 1024
SIMKERMA_IMPORT_LEASE_SECONDS = int(os.environ.get("SIMKERMA_IMPORT_LEASE_SECONDS", "3600"))
SIMKERMA_WORKER_JOB_POLL_SECONDS = float(os.environ.get("SIMKERMA_WORKER_JOB_POLL_SECONDS", "2"))
# On PostgreSQL a worker in --loop mode works only while it holds the worker lock; a worker that does
# not stands by and asks for it again this often (seconds; docs/deployment.md, "Past one machine").
SIMKERMA_WORKER_STANDBY_SECONDS = float(os.environ.get("SIMKERMA_WORKER_STANDBY_SECONDS", "30"))
# Import progress is written to this cache, never the database, whose write lock a running import
# holds on SQLite (docs/user-guide.md, "Importing a workbook"). It must be shared by the web
# processes and the worker: files under var/ by default, Redis when REDIS_URL is set.
SIMKERMA_IMPORT_PROGRESS_CACHE = "progress"
SIMKERMA_BASE_URL = os.environ.get("SIMKERMA_BASE_URL", "http://127.0.0.1:8000")
# E-mail intake (docs/intake.md): the worker reads the office mailbox over IMAP when a host is set.
# Taken messages are flagged as seen, or moved to SIMKERMA_IMAP_DONE_FOLDER when it is set.
SIMKERMA_IMAP_HOST = os.environ.get("SIMKERMA_IMAP_HOST", "")
SIMKERMA_IMAP_PORT = int(os.environ.get("SIMKERMA_IMAP_PORT", "993"))
SIMKERMA_IMAP_SECURITY = os.environ.get("SIMKERMA_IMAP_SECURITY", "ssl")  # ssl, starttls or none
SIMKERMA_IMAP_USER = os.environ.get("SIMKERMA_IMAP_USER", "")
SIMKERMA_IMAP_PASSWORD = os.environ.get("SIMKERMA_IMAP_PASSWORD", "")
SIMKERMA_IMAP_FOLDER = os.environ.get("SIMKERMA_IMAP_FOLDER", "INBOX")
SIMKERMA_IMAP_DONE_FOLDER = os.environ.get("SIMKERMA_IMAP_DONE_FOLDER", "")
# A date (YYYY-MM-DD): mail that arrived before it is left alone, such as a backlog when intake starts.
SIMKERMA_IMAP_SINCE = os.environ.get("SIMKERMA_IMAP_SINCE", "")
SIMKERMA_IMAP_TIMEOUT = int(os.environ.get("SIMKERMA_IMAP_TIMEOUT", "30"))
SIMKERMA_IMAP_BATCH = int(os.environ.get("SIMKERMA_IMAP_BATCH", "50"))
SIMKERMA_IMAP_MAX_MESSAGE_BYTES = int(os.environ.get("SIMKERMA_IMAP_MAX_MESSAGE_MB", "25")) * 1024 * 1024
SIMKERMA_IMAP_MAX_ATTACHMENTS = int(os.environ.get("SIMKERMA_IMAP_MAX_ATTACHMENTS", "10"))
SIMKERMA_IMAP_MAX_BODY_CHARS = int(os.environ.get("SIMKERMA_IMAP_MAX_BODY_CHARS", "20000"))
# A mailbox that is down is tried again after 1, 2, 4 ... minutes, at most this many apart.
SIMKERMA_IMAP_MAX_BACKOFF_SECONDS = int(os.environ.get("SIMKERMA_IMAP_MAX_BACKOFF_SECONDS", "3600"))
# WhatsApp Business Platform webhook (docs/intake.md): off while no app secret is set.
SIMKERMA_WHATSAPP_APP_SECRET = os.environ.get("SIMKERMA_WHATSAPP_APP_SECRET", "")
SIMKERMA_WHATSAPP_VERIFY_TOKEN = os.environ.get("SIMKERMA_WHATSAPP_VERIFY_TOKEN", "")
SIMKERMA_WHATSAPP_MAX_BODY_BYTES = int(os.environ.get("SIMKERMA_WHATSAPP_MAX_BODY_KB", "256")) * 1024
SIMKERMA_WHATSAPP_RATE_LIMIT = int(os.environ.get("SIMKERMA_WHATSAPP_RATE_LIMIT", "600"))
SIMKERMA_WHATSAPP_RATE_WINDOW = int(os.environ.get("SIMKERMA_WHATSAPP_RATE_WINDOW", "60"))
# A WhatsApp message joins the number's open request while its last message is this recent.
SIMKERMA_WHATSAPP_OPEN_DAYS = int(os.environ.get("SIMKERMA_WHATSAPP_OPEN_DAYS", "14"))
# Official reports, IKU and the accreditation score estimate (docs/reports-iku.md).
# IKU 2023: weigh each prodi by its best partner category's weight (PartnerCategory.weight; a category
# without one weighs 1.0). Off by default: the ministry's table of weights was not found.
SIMKERMA_IKU_WEIGHTS = os.environ.get("SIMKERMA_IKU_WEIGHTS", "").lower() in ("1", "true", "yes", "on")
# The score estimate's factors per instrument and jenjang: a, b, c weigh N1 (pendidikan), N2
# (penelitian), N3 (PkM) in RK; ni, nn, nw are the level thresholds of score B. Only the IAPS 4.0
# sarjana values (a=3, b=2, c=1; 2, 6, 9) were found in the matriks; sources disagree on the diploma
# values, so every jenjang uses them until the official diploma matriks is at hand. "lamdik" is the
# LAMDIK 2025 variant, which adds the 1-4 effectiveness score of the evaluations.
_IAPS4_FACTORS = {"a": 3, "b": 2, "c": 1, "ni": 2, "nn": 6, "nw": 9}
SIMKERMA_ACCREDITATION_FACTORS = {
    "iaps4": {
        level: {**_IAPS4_FACTORS, "source": "BAN-PT IAPS 4.0, matriks penilaian LKPS (program sarjana)"}
        for level in ("D2", "D3", "D4", "S1", "S2")
    },
    "laminfokom": {
        level: {**_IAPS4_FACTORS, "source": "BAN-PT IAPS 4.0 (LAM INFOKOM's own factors not found)"}
        for level in ("D2", "D3", "D4", "S1", "S2")
    },
    "lamteknik": {
        level: {**_IAPS4_FACTORS, "source": "BAN-PT IAPS 4.0 (LAM Teknik's own factors not found)"}
        for level in ("D2", "D3", "D4", "S1", "S2")
    },
    "lamdik": {
        level: {**_IAPS4_FACTORS, "effectiveness": True, "source": "LAMDIK 2025: RK = (3·N1 + 2·N2 + N3)/NDTPS"}
        for level in ("D2", "D3", "D4", "S1", "S2")
    },
}
# Backups (docs/deployment.md, "Backups"): where `manage.py backup` writes its archives, where it
# finds pg_dump and pg_restore when PATH has none as new as the server, and what `restore` accepts.
SIMKERMA_BACKUP_DIR = Path(os.environ.get("SIMKERMA_BACKUP_DIR", VAR_DIR / "backups"))
SIMKERMA_PG_BIN_DIR = os.environ.get("SIMKERMA_PG_BIN_DIR", "")
SIMKERMA_RESTORE_MAX_BYTES = int(os.environ.get("SIMKERMA_RESTORE_MAX_GB", "50")) * 1024**3
SIMKERMA_RESTORE_MAX_MEMBERS = int(os.environ.get("SIMKERMA_RESTORE_MAX_MEMBERS", "500000"))
SIMKERMA_RESTORE_MAX_MANIFEST_BYTES = 128 * 1024 * 1024
