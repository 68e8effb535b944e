"""The first page after logging in weighs at most 40 KB on the wire, everything included, as
production sends it."""

import io

import pytest
from django.core.management import call_command
from django.test.testcases import LiveServerThread
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image
from playwright.sync_api import expect

from tests.factories import AppointmentFactory, ClientFactory, UserFactory, VisitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 40 * 1024


@pytest.fixture
def production_server(settings, tmp_path):
    """Serve the app as production does, static files included.

    pytest-django's live_server answers /static/ itself, from the source files, uncompressed and
    without cache headers, before any middleware runs. Here the static files are collected with
    the production storage (hashed names, gzip variants) and the server has no static handler of
    its own: whitenoise, from the middleware, serves them as it does behind gunicorn.
    """
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    thread = LiveServerThread("localhost", static_handler=lambda app: app)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


def test_the_first_logged_in_page_weighs_at_most_40_kb(production_server, page, password):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles à domicile")
    with scopes_disabled():
        clients = ClientFactory.create_batch(12, account=user.account, email="c@example.com")
        for client in clients[:6]:
            VisitFactory(client=client)
        start = timezone.now().replace(minute=0, second=0, microsecond=0)
        AppointmentFactory(client=clients[0], start=start + timezone.timedelta(hours=2))
        AppointmentFactory(client=clients[1], start=start + timezone.timedelta(hours=4))

    page.goto(f"{production_server}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(f"{production_server}/")

    # As on a phone that has never loaded the app: nothing from the login page's cache.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, transferred = {}, {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: transferred.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.reload(wait_until="networkidle")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()

    # The live server speaks HTTP/1.1, where each response repeats its headers in full (about
    # 450 bytes each here); behind the HTTP/2 proxy of a deployment they are compressed (HPACK)
    # to a few dozen bytes after the first response. So the budget holds for what the page is
    # made of, compressed as production sends it; the total with HTTP/1.1 headers is printed.
    bodies = {
        rid: size - urls[rid].get("encodedDataLength", 0) for rid, size in transferred.items()
    }
    for request_id, size in sorted(transferred.items(), key=lambda item: -item[1]):
        response = urls.get(request_id, {})
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        print(
            f"{bodies[request_id]:>7,} B + {size - bodies[request_id]:>4} B of headers  "
            f"{headers.get('content-encoding', '-'):<5} {headers.get('cache-control', '-'):<40} "
            f"{response.get('url', request_id)[:100]}"
        )
    total = sum(transferred.values())
    content = sum(bodies.values())
    print(f"{content:>7,} B of content, {total:,} B with headers, {len(transferred)} responses")
    assert transferred, "no response was seen"
    assert content <= BUDGET

    sprites = [r for r in urls.values() if "/static/img/icons." in r["url"]]
    assert len(sprites) == 1, "every icon comes from the one sprite, fetched once"
    sprite_headers = {k.lower(): v for k, v in sprites[0]["headers"].items()}
    assert "immutable" in sprite_headers["cache-control"]
    assert sprites[0]["url"].endswith(".svg") and "/static/img/icons.svg" not in sprites[0]["url"]

    # The sprite's strokes follow the text colour of the link they are in (currentColor).
    link = page.get_by_role("navigation", name="Navigation principale").locator("a").first
    colour = link.evaluate("a => getComputedStyle(a).color")
    drawn = Image.open(io.BytesIO(link.locator("svg").screenshot())).convert("RGB").tobytes()
    pixels = [drawn[i : i + 3] for i in range(0, len(drawn), 3)]
    wanted = tuple(int(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3])
    assert any(
        sum(abs(a - b) for a, b in zip(pixel, wanted, strict=True)) < 60 for pixel in pixels
    ), f"no pixel of the icon is drawn in the link's colour {colour}"
