"""Settings shared by every environment.

Secrets and endpoints never live here: dev/test give harmless local values and production reads them
from the environment (see production.py). App settings are prefixed ``PORTAL_``.
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "portal",
    "portal.accounts",
    "themes",
    "kb",
    "forum",
    "videos",
    "search",
    "portal.operations",
    "portal.intake",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtailmedia",
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
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Last: its ready() runs after Wagtail's admin has set the default page form, and replaces it.
    "portal.pageediting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.core.headers.PermissionsPolicyMiddleware",
    "portal.core.csp.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.StaffMFAMiddleware",
    "portal.accounts.middleware.AdminAccessMiddleware",
    "portal.core.sites.KnownSiteMiddleware",  # Wagtail's site for the request without a query (portal/core/sites.py)
    # After sessions, language, CSRF and auth (a hit still gets its CSRF cookie and language headers),
    # before every view and Wagtail's routing: anonymous pages come from here (portal/core/pagecache.py).
    "portal.core.pagecache.PageCacheMiddleware",
    # Which page a Wagtail request is for, with one query (portal/core/routes.py); only its process_view runs.
    "portal.core.routes.KnownRouteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # themes/templates comes first so the theme can override allauth's and Wagtail's templates.
        "DIRS": [BASE_DIR / "themes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation: Chinese first, English second; Wagtail content in both -----------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", BASE_DIR / "media"))
# Customers' pictures sent with a message: outside MEDIA_ROOT (nothing serves them but a view that checks who
# asks, portal/core/private_media.py).
PORTAL_PRIVATE_MEDIA_ROOT = Path(os.environ.get("PORTAL_PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Databases -----------------------------------------------------------------------------------------
# Every SQLite connection (make run, the demo, benchmarks, tests) gets the same options, so concurrent
# writers queue instead of failing with "database is locked":
# - WAL: readers never block the writer and the writer never blocks readers;
# - IMMEDIATE transactions: an atomic block takes the write lock when it starts, so two transactions never
#   both read and then both try to upgrade (that deadlock is answered with SQLITE_BUSY at once, without
#   waiting, and became HTTP 500s);
# - a busy timeout: a writer waits this long (seconds) for the lock before giving up.
# synchronous=NORMAL is the documented safe pairing with WAL (durable across application crashes).
# Production refuses SQLite altogether (production.py says why).
SQLITE_BUSY_TIMEOUT = 20
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT,
}


# PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost (100,000): the operations
# dashboard's trends over 60,000 messages with a per-row subquery pass it and spent 600 ms of a 900 ms query
# compiling (EXPLAIN ANALYZE, JIT "Total 599.564 ms"). No query of the portal runs long enough to win that back.
POSTGRESQL_SESSION_OPTIONS = "-c jit=off"


def sqlite_database(name):
    """A DATABASES entry for the SQLite file (or ":memory:") `name`, with the options above."""
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": dict(SQLITE_OPTIONS)}


def database_from_url(url, **kwargs):
    """A DATABASES entry from a DATABASE_URL; a sqlite:// URL gets the same options as every SQLite database."""
    import dj_database_url

    entry = dj_database_url.parse(url, **kwargs)
    if entry["ENGINE"] == "django.db.backends.sqlite3":
        entry["OPTIONS"] = {**entry.get("OPTIONS", {}), **SQLITE_OPTIONS}
    elif entry["ENGINE"] == "django.db.backends.postgresql":
        entry["OPTIONS"] = {"options": POSTGRESQL_SESSION_OPTIONS, **entry.get("OPTIONS", {})}
    return entry


# --- Cache: a real shared cache so rate limits hold across workers -----------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    },
    # Wagtail re-stores every rendition it serves in this cache; per process, so a page with a picture does not
    # write the shared (database) cache on each GET. Keys carry the image and filter; a lost entry costs one query.
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    # Rendered forum posts (the part every reader sees alike), per process: keys carry what changes them.
    "forum_posts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "forum-posts",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

# --- Background tasks (Django's task framework through django-tasks) ---------------------------------
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Outgoing e-mail (portal/core/mail.py) -------------------------------------------------------------
# One task per message: when the relay is down it is tried again after each of these delays (seconds; about a
# day in all), and a message once delivered is remembered this many days so a retried task never mails twice.
PORTAL_MAIL_RETRY_SECONDS = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600]
PORTAL_MAIL_SENT_DAYS = 14

# --- Accounts (django-allauth) ----------------------------------------------------------------------
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
# Sign-in limits (allauth; counters in the shared cache above, addresses from portal.core.net.client_ip).
# allauth's default locks an account for 5 minutes after 5 failures from anywhere, so any stranger could lock
# the owner out. Here the per-address limits are stricter than the per-account ones: one address gets 5
# failures a minute and 20 an hour, an account 30 an hour and 100 a day (NIST SP 800-63B's ceiling), so a
# stranger needs many addresses to lock anyone out, and a password reset (its own limits: 20 a minute per
# address, 5 a minute per account) clears the account's failures at once: the owner's way back is always open.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/m/ip,20/h/ip,30/h/key,100/d/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Example Bank Service Centre"
MFA_FORMS = {
    "authenticate": "portal.accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "portal.accounts.forms.MFAReauthenticateForm",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Wagtail -----------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "示例银行客户服务中心"
# Where the public site lives: canonical and hreflang links, the sitemap and robots.txt are absolute from here,
# and the demo's Wagtail site takes its host and port from it (`make run` serves 127.0.0.1:8000).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PORTAL_SITEMAP_THREADS_PER_PAGE = 1000
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no call out to the internet, ever
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS = []  # oEmbed lookups would call out; embeds are not used
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset goes through allauth
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# --- Security defaults shared by all environments --------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Wagtail's admin reads the token from the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
LANGUAGE_COOKIE_SAMESITE = "Lax"  # production also makes it Secure
# Permissions-Policy (portal/core/headers.py): the portal needs no camera, microphone, location, payment, USB
# or sensors; the video pages play fullscreen on this origin only.
PORTAL_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(self), camera=(), display-capture=(), fullscreen=(self), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail previews use same-origin frames

# Strict Content-Security-Policy for the public site: no inline script, nothing from other origins.
# Wagtail's admin gets the policy from portal/core/csp.py (it needs inline styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Elasticsearch (search/) -----------------------------------------------------------------------
# Empty means "not configured": search answers from the database fallback.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_USERNAME = os.environ.get("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = os.environ.get("ELASTICSEARCH_PASSWORD", "")
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
PORTAL_SEARCH_INDEX_PREFIX = os.environ.get("PORTAL_SEARCH_INDEX_PREFIX", "portal")
PORTAL_SEARCH_TIMEOUT = float(os.environ.get("PORTAL_SEARCH_TIMEOUT", "2"))

# /healthz shows the search engine's version, cluster and errors to staff and to a monitor sending this token
# (`Authorization: Bearer …`); everyone else only learns which engine answers.
PORTAL_HEALTHZ_TOKEN = os.environ.get("PORTAL_HEALTHZ_TOKEN", "")

# --- Portal app settings -------------------------------------------------------------------------------
# The client address (portal/core/net.py): how many reverse proxies of ours append to X-Forwarded-For,
# or a header the proxy sets to the client address. 0 and "" mean REMOTE_ADDR is the client.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))
PORTAL_CLIENT_IP_HEADER = os.environ.get("PORTAL_CLIENT_IP_HEADER", "")

PORTAL_BANK_NAME = _("Example Bank")
PORTAL_HOTLINE = "40088-00000"
PORTAL_STAFF_MFA_REQUIRED = True
PORTAL_AVATAR_SIZE = 256
PORTAL_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
PORTAL_UPLOAD_MAX_PIXELS = 40_000_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "elastic_transport": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},  # not a line per job run; the scheduler's own errors still show
    },
}

# --- Forum (forum/) ----------------------------------------------------------------------------------
PORTAL_FORUM_POSTS_PER_PAGE = 50
PORTAL_FORUM_THREADS_PER_PAGE = 30
# Threads per page of the moderators' first-response (SLA) queue, most urgent first.
PORTAL_FORUM_SLA_PAGE_SIZE = 30
PORTAL_FORUM_AUTO_HIDE_FLAGS = 3  # open reports that hide a post until a moderator reviews it
PORTAL_FORUM_EDIT_WINDOW_MINUTES = 30  # authors may edit this long after posting; moderators any time
PORTAL_FORUM_CLAIM_MINUTES = 30  # a moderator's claim on a waiting thread lapses after this
PORTAL_FORUM_MAX_POST_CHARS = 20_000
PORTAL_FORUM_MAX_LINKS = 20
PORTAL_FORUM_MAX_IMAGES = 4
PORTAL_FORUM_IMAGE_MAX_SIDE = 1600
PORTAL_FORUM_POLL_MAX_OPTIONS = 10
# New accounts (younger than the days, or with fewer published posts) are limited and may be pre-moderated.
PORTAL_FORUM_NEW_ACCOUNT_DAYS = 3
PORTAL_FORUM_NEW_ACCOUNT_POSTS = 3
PORTAL_FORUM_NEW_ACCOUNT_MAX_LINKS = 1
PORTAL_FORUM_NEW_ACCOUNT_MAX_IMAGES = 1
PORTAL_FORUM_DUPLICATE_WINDOW_MINUTES = 60
# (scope, attempts, seconds): scope "user" counts per account, "ip" per address; moderators are exempt.
PORTAL_FORUM_RATE_LIMITS = [("user", 3, 60), ("user", 30, 3600), ("ip", 10, 60)]
# A thread still without a first response this many hours after its target is escalated to the supervisors
# (once per thread; `manage.py forum_escalate` or the task forum.tasks.escalate_overdue_threads).
PORTAL_FORUM_SLA_ESCALATE_HOURS = int(os.environ.get("PORTAL_FORUM_SLA_ESCALATE_HOURS", "24"))
# A VIP customer's thread (the VIP flag on the account, shared with the message desk) gets this first-response
# target in hours, or the board's own when that is shorter.
PORTAL_FORUM_VIP_SLA_HOURS = int(os.environ.get("PORTAL_FORUM_VIP_SLA_HOURS", "4"))
# Supervisors' addresses without an account (comma-separated), told of escalations and dissatisfied askers
# besides the members of the Supervisors role.
PORTAL_SUPERVISOR_EMAILS = [
    address.strip() for address in os.environ.get("PORTAL_SUPERVISOR_EMAILS", "").split(",") if address.strip()
]

# --- Search (search/) -------------------------------------------------------------------------------
# After a failed call, leave Elasticsearch alone this long (seconds) and answer from the database.
PORTAL_SEARCH_RETRY_SECONDS = float(os.environ.get("PORTAL_SEARCH_RETRY_SECONDS", "10"))
# Bulk writes' `refresh` parameter: False in production (the index refreshes every second).
PORTAL_SEARCH_REFRESH = False
# Record searches, clicks and "used on call" (masked text, role only).
PORTAL_SEARCH_LOG_QUERIES = True
# Searches asked by GET (the search page, the API, the console page) are not written while the request waits:
# each process buffers them and hands a batch to one background task (search.searchlog) once it holds this
# many, or its oldest is this many seconds old, after the response went out (and when the process exits).
PORTAL_SEARCH_LOG_BATCH = 50
PORTAL_SEARCH_LOG_FLUSH_SECONDS = 5.0
# Warm search (segmenter, spelling vocabulary, connections) in a background thread on a process's first request.
PORTAL_SEARCH_WARM_IN_BACKGROUND = True

# --- Anonymous page cache (portal/core/pagecache.py) ---------------------------------------------------------
# Pages for readers without a session are kept this long at most (0 turns the cache off; DEBUG does too):
# publishing in Wagtail and every forum action make the affected pages stale at once, the TTL bounds the rest.
PORTAL_PAGE_CACHE_SECONDS = 300
# Query parameters a cached page may have (paging and filters); any other parameter bypasses the cache.
PORTAL_PAGE_CACHE_PARAMS = ("page", "after", "before", "at", "last", "status", "from")
# Each process re-reads the tags' generations from the shared cache at most this often (seconds): a change
# made in another worker reaches this one's cached pages within it.
PORTAL_PAGE_CACHE_TAG_SECONDS = 1.0

# --- Knowledge base (kb/) ----------------------------------------------------------------------------
# "Was this helpful?" votes accepted per client IP address per window.
PORTAL_KB_FEEDBACK_PER_IP = 20
PORTAL_KB_FEEDBACK_WINDOW = 3600
# The needs-review report flags articles with at least this many votes and fewer helpful ones than this share.
PORTAL_KB_REVIEW_MIN_VOTES = 3
PORTAL_KB_REVIEW_HELPFUL_BELOW_PERCENT = 60
# The weekly review reminder lists an owner's articles past their review date or due within this many days.
PORTAL_KB_REVIEW_REMIND_DAYS = 7

# --- Operations dashboard and reports (portal/operations) -------------------------------------------
PORTAL_OPERATIONS_TIME_ZONE = "Asia/Shanghai"  # days, weeks and months of the reports; must keep one UTC offset
PORTAL_OPERATIONS_BUSINESS_HOURS = (9, 18)  # local hours, Monday to Friday, for business-hours response times
PORTAL_OPERATIONS_REFRESH_SECONDS = 30  # how often the dashboard's "now" panel asks for fresh queue sizes
PORTAL_OPERATIONS_FORECAST_DAYS = 14
PORTAL_OPERATIONS_LIVE_QA_MINUTES = 15  # first-response target of a live Q&A question: minutes after it was asked

# --- Message board and SMS intake (portal/intake/) ------------------------------------------------------
# First-answer targets in hours, per kind and priority: complaints faster than inquiries, VIP faster still.
PORTAL_INTAKE_SLA_HOURS = {
    "complaint": {"normal": 24, "vip": 4},
    "inquiry": {"normal": 48, "vip": 8},
    "suggestion": {"normal": 72, "vip": 24},
    "praise": {"normal": 72, "vip": 24},
}
PORTAL_INTAKE_PAGE_SIZE = 30  # messages per page of the staff queue
PORTAL_INTAKE_MAX_CHARS = 5_000
PORTAL_INTAKE_IMAGE_MAX_SIDE = 1600
# (scope, attempts, seconds): "ip" per client address, "contact" per e-mail address or mobile number.
PORTAL_INTAKE_RATE_LIMITS = [("ip", 5, 600), ("ip", 30, 86400), ("contact", 3, 600), ("contact", 10, 86400)]
PORTAL_INTAKE_LOOKUP_LIMITS = [("ip", 10, 600)]
PORTAL_INTAKE_SMS_LIMITS = [("contact", 10, 3600)]
# The SMS backend, like EMAIL_BACKEND: console (default), locmem (tests) or the HTTP gateway.
PORTAL_SMS_BACKEND = os.environ.get("PORTAL_SMS_BACKEND", "portal.intake.sms.ConsoleBackend")
PORTAL_SMS_GATEWAY_URL = os.environ.get("PORTAL_SMS_GATEWAY_URL", "")
PORTAL_SMS_GATEWAY_TOKEN = os.environ.get("PORTAL_SMS_GATEWAY_TOKEN", "")
PORTAL_SMS_GATEWAY_TIMEOUT = 5.0
# Shared secret of the inbound SMS webhook (HMAC-SHA256 over timestamp + "." + body); empty refuses every call.
PORTAL_SMS_WEBHOOK_SECRET = os.environ.get("PORTAL_SMS_WEBHOOK_SECRET", "")
PORTAL_SMS_WEBHOOK_WINDOW = 300
# Where the duty digest (new complaints, SLA breaches) goes besides the Message desk and Supervisors groups.
PORTAL_INTAKE_DUTY_EMAILS = [e for e in os.environ.get("PORTAL_INTAKE_DUTY_EMAILS", "").split(",") if e]
# The server-side answer finder for the no-JS preview step: a dotted path the search app provides, so intake
# never imports search. It is called as finder(query, locale=..., size=...) -> [{"title", "url", "kind", ...}].
PORTAL_INTAKE_ANSWER_FINDER = "search.answers.public_answers"
# --- Videos (videos/) ----------------------------------------------------------------------------------
# Uploads through wagtailmedia: only MP4 and WebM, checked by content (videos/forms.py), at most this size.
WAGTAILMEDIA = {
    "MEDIA_FORM_BASE": "videos.forms.VideoUploadForm",
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
    "AUDIO_EXTENSIONS": [],
}
PORTAL_VIDEOS_UPLOAD_MAX_BYTES = 500 * 1024 * 1024
# Hosts whose players an episode may embed (https only; nothing is fetched from them by the server).
PORTAL_VIDEOS_EMBED_PROVIDERS = {"player.bilibili.com": "Bilibili", "v.qq.com": "Tencent Video"}
# (scope, attempts, seconds) for live questions: "user" per account, "ip" per address; moderators are exempt.
PORTAL_VIDEOS_QUESTION_RATE_LIMITS = [("user", 3, 60), ("user", 20, 3600), ("ip", 10, 60)]
PORTAL_VIDEOS_QUESTION_MAX_CHARS = 500
PORTAL_VIDEOS_ANSWER_MAX_CHARS = 2000
# The live page asks for changes this often (milliseconds).
PORTAL_VIDEOS_POLL_MS = 5000
