import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from clients.models import ConsentEvent
from gallery.models import Photo, Portfolio
from tests.factories import (
    ClientFactory,
    ConsentEventFactory,
    UserFactory,
    VisitFactory,
    image_bytes,
)

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH_PROGRESS = """
() => {
  const bar = document.getElementById("upload-progress");
  new MutationObserver(() => {
    const best = Math.max(Number(sessionStorage.getItem("progress") || 0), bar.value);
    sessionStorage.setItem("progress", String(best));
  }).observe(bar, {attributes: true});
}
"""


def upload(page, live_server, visit, kind, path):
    page.goto(
        f"{live_server.url}/gallery/upload/?client={visit.client_id}&visit={visit.pk}&kind={kind}"
    )
    page.evaluate(WATCH_PROGRESS)
    page.set_input_files("#id_photos", str(path))
    expect(page.locator("#chosen-files")).to_contain_text(path.name)
    page.get_by_role("button", name="Envoyer").click()
    expect(page).to_have_url(f"{live_server.url}/visits/{visit.pk}/")


def test_before_and_after_photos_then_the_public_portfolio(
    live_server, page, browser, tmp_path, screenshot, axe_violations, fits_the_phone
):
    user = UserFactory(email="lea@example.com", account__name="Léa Ongles")
    with scopes_disabled():
        zoe = ClientFactory(account=user.account, first_name="Zoé", last_name="Secrète")
        ConsentEventFactory(client=zoe, kind=ConsentEvent.Kind.IMAGE_RIGHTS)
        visit = VisitFactory(client=zoe)
        Portfolio.objects.create(
            account=user.account, slug="lea-ongles", enabled=True, title="Léa Ongles"
        )
    before, after = tmp_path / "avant.jpg", tmp_path / "apres.png"
    before.write_bytes(image_bytes("JPEG", size=(1600, 1200), color=(230, 200, 190)))
    after.write_bytes(image_bytes("PNG", size=(1200, 900), color=(170, 40, 90)))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    upload(page, live_server, visit, "before", before)
    upload(page, live_server, visit, "after", after)
    assert int(page.evaluate("sessionStorage.getItem('progress')")) == 100

    compare = page.locator(".compare")
    expect(compare.get_by_role("img", name="Avant")).to_be_visible()
    expect(compare.get_by_role("img", name="Après")).to_be_visible()
    expect(page.get_by_role("slider")).to_be_visible()
    screenshot("visit-before-after")
    assert axe_violations() == []
    assert fits_the_phone()

    with scopes_disabled():
        after_photo = Photo.objects.get(kind="after")
    page.goto(f"{live_server.url}/gallery/{after_photo.pk}/")
    page.get_by_role("button", name="Ajouter à mon portfolio").click()
    expect(page.get_by_text("Dans votre portfolio", exact=True)).to_be_visible()

    visitor = browser.new_page(viewport={"width": 390, "height": 844})
    visitor.goto(f"{live_server.url}/p/lea-ongles/")
    expect(visitor.locator("main img")).to_have_count(1)
    assert "Secrète" not in visitor.content()
    screenshot_path = tmp_path / "public.png"
    visitor.screenshot(path=screenshot_path, full_page=True)
    (__import__("pathlib").Path(__file__).parent / "screenshots").mkdir(exist_ok=True)
    visitor.screenshot(
        path=__import__("pathlib").Path(__file__).parent / "screenshots" / "portfolio-public.png",
        full_page=True,
    )
    visitor.close()
