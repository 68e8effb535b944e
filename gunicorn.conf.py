"""gunicorn's settings for NailPro, read by `gunicorn nailpro.wsgi` from the project folder.

Each value is chosen, not left to chance; README's Deploy section explains them.
Environment variables override the two that depend on the machine.
"""

import os

# Where to listen; behind a reverse proxy (nginx, Caddy) that terminates TLS and buffers slow
# clients' uploads, so sync workers never wait on a phone's 3G.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: the app is CPU- and database-bound per request (photos re-encoded, tables
# read). Three per two cores; each stays under 300 MB even under the upload attacks of the
# tests (tests/gallery/test_upload_bounds.py, tests/clients/test_import_bounds.py), so three
# fit a 1 GB machine.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

# The longest legitimate request is bounded by the app's caps: 20 photos of 48 MP (about 12 s
# on one slow core) or the upload of a 100,000-line list (under 10 s). Exports past 2,000
# clients and imports run in the worker (db_worker), not here. 60 s leaves a wide margin yet
# frees a stuck worker within a minute.
timeout = 60
# On a restart, requests in flight get this long to finish.
graceful_timeout = 30
# Keep-alive behind the proxy: short, a sync worker is busy while it waits.
keepalive = 5

# Recycle each worker after ~1,000 requests (jittered so they do not all restart together):
# Pillow and openpyxl leave a fragmented heap behind; a fresh worker gives it back.
max_requests = 1000
max_requests_jitter = 100

# Request line and headers: 8 KB each is room for the client list's filter URLs and cookies,
# and no more; 100 header fields is gunicorn's default. The body is bounded by Django
# (DATA_UPLOAD_MAX_MEMORY_SIZE for forms, the per-file caps for uploads) and by the proxy.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The heartbeat file in memory: on some container disks a worker's write stalls, and gunicorn
# would kill it for a timeout it did not cause. gunicorn creates it with mkstemp (private).
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None

# Logs to stdout/stderr, for the process manager.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
