"""`make bench`: NailPro's pages against the bare Django page, side by side, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nailpro make bench

1. Grows the demo Pro account to 10,000 clients, 60,000 visits, 3,000 appointments and 2,000
   photos with bulk inserts (once: a second run tops up what is missing), on the database
   DATABASE_URL names (PostgreSQL), else on a SQLite file in the bench folder.
2. Copies the bare reference project (tests/bench/perf-reference) into the bench folder and
   seeds it on the same engine (its own database, DATABASE_URL's name + "_ref"). It runs on
   our interpreter: the reference needs only Django 5.2, gunicorn and psycopg, which our venv holds.
3. Serves both with gunicorn (sync, 2 workers, no worker recycling so the peak memory is the
   workers' own), loads each page with wrk -t2 -c16, the reference's 25-row list just before
   each page (interleaved, so the machine's drift hits both alike), and prints requests/s,
   the ratio, the queries the page runs (in-process), the bytes of each response, non-2xx
   responses, and the workers' peak resident memory. Without wrk, pages are timed in-process.

Environment: BENCH_DIR (default /tmp/nailpro-bench), BENCH_SECONDS (per measure, default 6),
BENCH_CLIENTS / BENCH_VISITS / BENCH_APPOINTMENTS / BENCH_PHOTOS (the account's size).
"""

import io
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(os.environ.get("BENCH_DIR") or Path(tempfile.gettempdir()) / "nailpro-bench")
# The bare Django project our pages are measured against, kept as it was given to us.
REFERENCE = Path(__file__).resolve().parent / "perf-reference"
SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
SIZE = {
    "clients": int(os.environ.get("BENCH_CLIENTS", "10000")),
    "visits": int(os.environ.get("BENCH_VISITS", "60000")),
    "appointments": int(os.environ.get("BENCH_APPOINTMENTS", "3000")),
    "photos": int(os.environ.get("BENCH_PHOTOS", "2000")),
}
# Fake data under a fixed key: the bench database holds nothing real.
BENCH_KEY = "dMNAhsnQeufUBRT0Q6DxydUdtqrGnAAwGZvBDNlpufU="
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def environment():
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{BENCH_DIR / 'db.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "bench-not-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "FIELD_ENCRYPTION_KEYS": BENCH_KEY,
        "DJANGO_MEDIA_ROOT": str(BENCH_DIR / "media"),
        # Pages only: no manifest to build (the HTML is what is measured, not static files).
        "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "nailpro.settings",
    }
    os.environ.update(env)
    return env


# --- growing the account -------------------------------------------------------------------


def grow():
    """The demo Pro account at the bench's size; returns (user, account)."""
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from business.management.commands.seed_demo import DEMO_EMAIL
    from nailpro.models import User

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            call_command("seed_demo", stdout=io.StringIO())
            user = User.objects.get(email=DEMO_EMAIL)
        account = user.account
        _grow_clients(account)
        _grow_visits(account)
        _grow_appointments(account)
        _grow_photos(account)
        try:  # kept figures, where the code keeps them
            call_command("rebuild_figures", account=str(account.pk), stdout=io.StringIO())
        except Exception as error:  # an older code base, without the command
            if "Unknown command" not in str(error):
                raise
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # fresh statistics after bulk inserts
    return user, account


FIRST = ["Alice", "Béatrice", "Chloé", "Diane", "Émilie", "Inès", "Julie", "Léa", "Manon"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Petit", "Durand", "Leroy", "Dupré", "Duprat"]
CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Lille"]


def _grow_clients(account):
    from clients.models import Client

    have = Client.objects.filter(account=account).count()
    rng = random.Random(have)
    batch = []
    for n in range(have, SIZE["clients"]):
        client = Client(
            account=account,
            first_name=rng.choice(FIRST),
            last_name=f"{rng.choice(LAST)}-{n}",
            phone=f"+3361{n:07d}",
            city=rng.choice(CITIES),
            birth_date=_date(rng, 1950, 2005) if rng.random() < 0.7 else None,
        )
        client.fill_search_fields()
        batch.append(client)
    Client.objects.bulk_create(batch, batch_size=2000)
    print(f"clients: {have} → {max(have, SIZE['clients'])}", flush=True)


def _date(rng, first_year, last_year):
    import datetime

    start = datetime.date(first_year, 1, 1).toordinal()
    end = datetime.date(last_year, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end))


def _grow_visits(account):
    import datetime
    from decimal import Decimal

    from django.db.models import Max
    from django.utils import timezone

    from clients.models import Client
    from visits.models import Visit

    have = Visit.objects.filter(account=account).count()
    if have >= SIZE["visits"]:
        return
    rng = random.Random(have)
    clients = list(Client.objects.filter(account=account).values_list("pk", flat=True))
    number = Visit.objects.filter(account=account).aggregate(n=Max("number"))["n"] or 0
    now = timezone.now()
    batch = []
    for _ in range(SIZE["visits"] - have):
        number += 1
        batch.append(
            Visit(
                account=account,
                client_id=rng.choice(clients),
                number=number,
                started_at=now
                - datetime.timedelta(days=rng.randint(1, 3 * 365), hours=rng.randint(0, 9)),
                total=Decimal(rng.choice([25, 35, 45, 55, 65])),
                payment_method=rng.choice(["cash", "card", "transfer"]),
                paid=rng.random() > 0.02,
            )
        )
        if len(batch) == 5000:
            Visit.objects.bulk_create(batch)
            batch = []
    Visit.objects.bulk_create(batch)
    print(f"visits: {have} → {SIZE['visits']}", flush=True)


def _grow_appointments(account):
    import datetime

    from django.utils import timezone

    from agenda.models import Appointment
    from clients.models import Client

    have = Appointment.objects.filter(account=account).count()
    if have >= SIZE["appointments"]:
        return
    rng = random.Random(have)
    clients = list(Client.objects.filter(account=account).values_list("pk", flat=True)[:3000])
    today = timezone.localdate()
    batch = []
    for n in range(SIZE["appointments"] - have):
        day = today + datetime.timedelta(days=rng.randint(-150, 150))
        start = datetime.datetime.combine(day, datetime.time(8 + n % 10, rng.choice([0, 30])))
        batch.append(
            Appointment(
                account=account,
                client_id=rng.choice(clients),
                start=timezone.make_aware(start),
                duration=rng.choice([45, 60, 90]),
            )
        )
    Appointment.objects.bulk_create(batch, batch_size=2000)
    print(f"appointments: {have} → {SIZE['appointments']}", flush=True)


def _grow_photos(account):
    """Small real JPEGs, stored once and shared by every bench photo row."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from gallery.models import Photo
    from visits.models import Visit

    have = Photo.objects.filter(account=account).count()
    if have >= SIZE["photos"]:
        return
    names = {}
    for kind, size in (("image", (640, 640)), ("thumbnail", (160, 160))):
        buffer = io.BytesIO()
        Image.new("RGB", size, (214, 120, 150)).save(buffer, format="JPEG", quality=80)
        names[kind] = default_storage.save(f"bench/{kind}.jpg", ContentFile(buffer.getvalue()))
    visits = list(
        Visit.objects.filter(account=account)
        .order_by("-started_at")
        .values_list("pk", "client_id")[: SIZE["photos"]]
    )
    batch = [
        Photo(
            account=account,
            client_id=client_id,
            visit_id=visit_id,
            kind=Photo.Kind.AFTER,
            image=names["image"],
            thumbnail=names["thumbnail"],
            width=640,
            height=640,
        )
        for visit_id, client_id in visits[: SIZE["photos"] - have]
    ]
    Photo.objects.bulk_create(batch, batch_size=2000)
    print(f"photos: {have} → {SIZE['photos']}", flush=True)


# --- the reference ---------------------------------------------------------------------------


def reference(env):
    """Copy the bare project, point it at its own database, seed it once; return its env."""
    target = BENCH_DIR / "perf-reference"
    if not target.exists():
        shutil.copytree(REFERENCE, target, ignore=shutil.ignore_patterns("venv", "*.sqlite3"))
        settings = target / "site_" / "settings.py"
        text = settings.read_text().replace(
            '"NAME": "perfbase"', '"NAME": os.environ.get("PERFBASE_NAME", "perfbase")'
        )
        settings.write_text(text)
    url = env["DATABASE_URL"]
    ref_env = dict(os.environ, DJANGO_SETTINGS_MODULE="site_.settings", CONN_MAX_AGE="600")
    ref_env.pop("DATABASE_URL", None)
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1].split("?")[0] + "_ref"
        ref_env.update(DB="pg", PERFBASE_NAME=name)
        subprocess.run(
            ["psql", url.rsplit("/", 1)[0] + "/postgres", "-qc", f"create database {name}"],
            capture_output=True,
        )
    else:
        ref_env["DB"] = "sqlite"
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=target, env=ref_env, check=True)
    count = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from clients.models import Client; print(Client.objects.count())",
        ],
        cwd=target,
        env=ref_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if count != "10000":
        subprocess.run([*manage, "seed"], cwd=target, env=ref_env, check=True)
    return target, ref_env


# --- serving and loading -------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(cwd, env, app, extra=()):
    port = free_port()
    command = [
        GUNICORN,
        app,
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "2",
        "-k",
        "sync",
        "--max-requests",
        "0",
        "--log-level",
        "warning",
        *extra,
    ]
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    time.sleep(1)
    return process, port


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def workers(process):
    try:
        path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]
    except OSError:
        return []


def peak_mib(pids):
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return max(peaks, default=0.0)


def _size(text, unit):
    return float(text) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]


def wrk(url, cookie=None, seconds=SECONDS):
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True).stdout
    # A sync worker still answers the requests queued when wrk stopped: wait for them, so the
    # next measure does not pay for this one.
    drain = ["curl", "-s", "-o", "/dev/null", "-m", "120", url]
    if cookie:
        drain[1:1] = ["-H", f"Cookie: {cookie}"]
    subprocess.run(drain, check=False)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)(\w+) read", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests, read = int(done.group(1)), _size(done.group(2), done.group(3))
    return {
        "rps": rps,
        "bytes": round(read / requests) if requests else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
    }


# --- in process: queries, statuses, the fallback timing ---------------------------------------


def in_process(user, pages, runs=5):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    browser = Client()
    browser.force_login(user)
    figures = {}
    for label, url, anonymous in pages:
        agent = Client() if anonymous else browser
        durations = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = agent.get(url)
                durations.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        figures[label] = {
            "queries": len(queries),
            "ms": statistics.median(durations),
            "html_bytes": len(response.content),
        }
    return figures, browser.cookies["sessionid"].value


def pages_of(account):
    import datetime

    from django.utils import timezone

    from agenda.models import Appointment
    from clients.models import Client

    card = (
        Client.objects.filter(account=account, visits__isnull=False).order_by("search_name").first()
    )
    busiest = (
        Appointment.objects.filter(account=account, start__date__gte=timezone.localdate())
        .order_by("start")
        .first()
    )
    day = timezone.localtime(busiest.start).date() if busiest else timezone.localdate()
    # The visits list opens on this month, nearly empty early in a month: last month shows a
    # full page of rows too.
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return [
        ("client list", "/clients/", False),
        ("search", "/clients/?q=dupr", False),
        ("card", f"/clients/{card.pk}/", False),
        ("agenda day", f"/agenda/?date={day:%Y-%m-%d}", False),
        ("visits list", "/visits/", False),
        ("visits month", f"/visits/?month={last_month:%Y-%m}", False),
        ("dashboard", "/", False),
        ("to rebook", "/to-rebook/", False),
        ("lapsed", "/lapsed/", False),
        ("login", "/accounts/login/", True),
    ]


def main():
    env = environment()
    import django

    django.setup()
    from django_scopes import scope

    user, account = grow()
    with scope(account=account):
        pages = pages_of(account)
    target, ref_env = reference(env)
    with scope(account=account):
        inproc, session = in_process(user, pages)
    cookie = f"sessionid={session}"
    print(
        f"\nload average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}"
        f" · engine {env['DATABASE_URL'].split(':')[0]}"
    )
    rows = []
    if shutil.which("wrk"):
        ref, ref_port = serve(target, ref_env, "site_.wsgi:application")
        app, app_port = serve(
            ROOT, os.environ.copy(), "nailpro.wsgi:application", ("-c", "gunicorn.conf.py")
        )
        try:
            wrk(f"http://127.0.0.1:{ref_port}/clients", seconds=2)
            for label, url, anonymous in pages:
                wrk(f"http://127.0.0.1:{app_port}{url}", None if anonymous else cookie, seconds=1)
                base = wrk(f"http://127.0.0.1:{ref_port}/clients")
                page = wrk(f"http://127.0.0.1:{app_port}{url}", None if anonymous else cookie)
                rows.append((label, url, base, page))
            app_peak, ref_peak = peak_mib(workers(app)), peak_mib(workers(ref))
        finally:
            stop(app)
            stop(ref)
        print(
            f"{'page':<12} {'req/s':>7} {'ref/s':>7} {'ratio':>6} {'queries':>7} {'bytes':>7}"
            f" {'ms in-proc':>10} {'non-2xx':>7}"
        )
        for label, _url, base, page in rows:
            ratio = page["rps"] / base["rps"]
            print(
                f"{label:<12} {page['rps']:7.0f} {base['rps']:7.0f} {ratio:6.2f} "
                f"{inproc[label]['queries']:7d} {page['bytes']:7d} {inproc[label]['ms']:10.1f} "
                f"{page['non2xx'] + base['non2xx']:7d}"
            )
        print(f"worker peak memory: NailPro {app_peak:.0f} MiB · reference {ref_peak:.0f} MiB")
    else:
        print("wrk is missing: in-process timings only")
        for label, figures in inproc.items():
            print(f"{label:<12} {figures['ms']:7.1f} ms {figures['queries']:4d} queries")
    (BENCH_DIR / "last.json").write_text(
        json.dumps({"inproc": inproc, "rows": [(r[0], r[2], r[3]) for r in rows]}, indent=1)
    )


if __name__ == "__main__":
    main()
