"""Her public portfolio: only photos she chose, of clients who gave their image rights, at an
address she chose; nothing else of hers, and no client's name, ever shows there."""

import datetime
import io
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from PIL import Image

from clients.models import ConsentEvent
from clients.services import consent_record
from gallery.models import Photo, Portfolio
from gallery.portfolio import PortfolioForm, portfolio_add, portfolio_remove
from tests.factories import ClientFactory, PhotoFactory, PortfolioFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/p/-/settings/"


@pytest.fixture
def zoe(alice):
    """Alice's client, who has given her image rights."""
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoénie", last_name="Vasquier")
        give_image_rights(zoe)
        return zoe


@pytest.fixture
def portfolio(alice):
    with scopes_disabled():
        return PortfolioFactory(
            account=alice.account,
            slug="alice-ongles",
            title="Les ongles d'Alice",
            introduction="Manucure à domicile\nà Lyon.",
        )


def give_image_rights(client, given=True):
    consent_record(
        client=client,
        kind=ConsentEvent.Kind.IMAGE_RIGHTS,
        given=given,
        method=ConsentEvent.Method.IN_APP,
        date=datetime.date.today(),
    )


def published_photo(client, **kwargs):
    with scopes_disabled():
        photo = PhotoFactory(client=client, **kwargs)
        portfolio_add(photo)
        return photo


def image_url(portfolio, photo, thumb=False):
    return f"/p/{portfolio.slug}/{photo.pk}.webp" + ("?size=thumb" if thumb else "")


def read(response):
    return b"".join(response.streaming_content)


def test_a_photo_without_image_rights_is_refused(alice, client, portfolio):
    with scopes_disabled():
        mia = ClientFactory(account=alice.account)
        photo = PhotoFactory(client=mia)
        with pytest.raises(ValidationError) as refusal:
            portfolio_add(photo)
        photo.refresh_from_db()

    assert refusal.value.code == "no_image_rights"
    assert not photo.in_portfolio
    assert client.get(image_url(portfolio, photo)).status_code == 404


def test_a_withdrawn_consent_is_no_consent(alice, zoe):
    with scopes_disabled():
        give_image_rights(zoe, given=False)
        photo = PhotoFactory(client=zoe)
        with pytest.raises(ValidationError):
            portfolio_add(photo)


def test_a_photo_with_image_rights_is_on_the_public_page(client, zoe, portfolio):
    photo = published_photo(zoe, caption="Babyboomer pailleté", tags=["baby_boomer", "glitter"])

    response = client.get("/p/alice-ongles/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Les ongles d&#x27;Alice" in html
    assert "Manucure à domicile" in html
    assert "Babyboomer pailleté" in html
    assert image_url(portfolio, photo) in html
    assert f'src="{image_url(portfolio, photo, thumb=True)}"' in html
    assert 'loading="lazy"' in html
    served = client.get(image_url(portfolio, photo))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert "public" in served["Cache-Control"]


def test_tag_labels_are_shown_in_the_visitor_language(client, zoe, portfolio):
    published_photo(zoe, tags=["baby_boomer", "cat_eye"])

    html = client.get("/p/alice-ongles/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Baby boomer" in html
    assert "Cat eye" in html
    assert "cat_eye" not in html


def test_the_public_page_names_no_client_and_no_date(client, zoe, portfolio):
    published_photo(zoe, caption="French chrome")
    with scopes_disabled():
        created = Photo.objects.get().created_at

    html = client.get("/p/alice-ongles/").content.decode()

    assert "French chrome" in html
    assert "Zoénie" not in html
    assert "Vasquier" not in html
    without_ids = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "", html)
    assert str(created.year) not in without_ids


def test_withdrawing_the_consent_takes_her_photos_off(client, zoe, portfolio):
    photo = published_photo(zoe, caption="Ombré rose")
    assert client.get(image_url(portfolio, photo)).status_code == 200

    with scopes_disabled():
        consent_record(
            client=zoe,
            kind="image_rights",
            given=False,
            method="in_app",
            date=datetime.date.today(),
        )
        photo.refresh_from_db()

    assert not photo.in_portfolio
    assert "Ombré rose" not in client.get("/p/alice-ongles/").content.decode()
    assert client.get(image_url(portfolio, photo)).status_code == 404
    assert client.get(image_url(portfolio, photo, thumb=True)).status_code == 404


def test_a_photo_still_chosen_without_consent_stays_off(client, alice, portfolio):
    """The page checks the consent itself: a stale in_portfolio flag publishes nothing."""
    with scopes_disabled():
        mia = ClientFactory(account=alice.account)
        photo = PhotoFactory(client=mia, in_portfolio=True, caption="Sans accord")

    assert "Sans accord" not in client.get("/p/alice-ongles/").content.decode()
    assert client.get(image_url(portfolio, photo)).status_code == 404


def test_a_photo_taken_out_of_the_portfolio_is_gone(client, zoe, portfolio):
    photo = published_photo(zoe)
    with scopes_disabled():
        portfolio_remove(photo)
        photo.refresh_from_db()

    assert not photo.in_portfolio
    assert client.get(image_url(portfolio, photo)).status_code == 404


def test_a_photo_not_in_the_portfolio_is_not_served(client, zoe, portfolio):
    with scopes_disabled():
        photo = PhotoFactory(client=zoe, caption="Privée")

    assert "Privée" not in client.get("/p/alice-ongles/").content.decode()
    assert client.get(image_url(portfolio, photo)).status_code == 404
    assert client.get(image_url(portfolio, photo, thumb=True)).status_code == 404


def test_a_disabled_portfolio_answers_404(client, zoe, portfolio):
    photo = published_photo(zoe)
    with scopes_disabled():
        Portfolio.objects.filter(pk=portfolio.pk).update(enabled=False)

    assert client.get("/p/alice-ongles/").status_code == 404
    assert client.get(image_url(portfolio, photo)).status_code == 404
    assert client.get(image_url(portfolio, photo, thumb=True)).status_code == 404


def test_its_owner_sees_no_disabled_page_either(alice_client, zoe, portfolio):
    with scopes_disabled():
        Portfolio.objects.filter(pk=portfolio.pk).update(enabled=False)

    assert alice_client.get("/p/alice-ongles/").status_code == 404


def test_an_unknown_address_answers_404(client, portfolio):
    assert client.get("/p/nobody-here/").status_code == 404
    assert client.get("/p/ALICE-ONGLES/").status_code == 404
    assert client.get(f"/p/nobody-here/{uuid.uuid4()}.webp").status_code == 404


def test_another_account_photo_under_my_address_answers_404(client, bob, portfolio):
    """Bob's published photo is not served under Alice's address, logged out or as Alice."""
    with scopes_disabled():
        PortfolioFactory(account=bob.account, slug="bob-beauty")
        bobs_client = ClientFactory(account=bob.account)
        give_image_rights(bobs_client)
    photo = published_photo(bobs_client, caption="De Bob")
    bobs_portfolio = Portfolio(slug="bob-beauty")
    assert client.get(image_url(bobs_portfolio, photo)).status_code == 200

    assert client.get(image_url(portfolio, photo)).status_code == 404
    assert client.get(image_url(portfolio, photo, thumb=True)).status_code == 404
    assert "De Bob" not in client.get("/p/alice-ongles/").content.decode()
    client.force_login(bob)
    assert client.get(image_url(portfolio, photo)).status_code == 404


def test_the_public_views_only_answer_get(client, zoe, portfolio):
    photo = published_photo(zoe)

    assert client.post("/p/alice-ongles/").status_code == 405
    assert client.post(image_url(portfolio, photo)).status_code == 405


def test_a_bad_photo_id_answers_404(client, portfolio):
    assert client.get("/p/alice-ongles/not-a-uuid.webp").status_code == 404


def test_open_graph_tags_point_to_absolute_urls(client, zoe, portfolio):
    photo = published_photo(zoe, caption="Nude mat")

    html = client.get("/p/alice-ongles/").content.decode()

    meta = dict(re.findall(r'<meta property="(og:[a-z:_]+)" content="([^"]*)"', html))
    assert meta["og:type"] == "website"
    assert meta["og:title"] == "Les ongles d&#x27;Alice"
    assert meta["og:description"] == "Manucure à domicile à Lyon."
    assert meta["og:url"] == "http://testserver/p/alice-ongles/"
    assert meta["og:image"] == f"http://testserver{image_url(portfolio, photo)}"
    assert client.get(meta["og:image"].removeprefix("http://testserver")).status_code == 200


def test_without_title_or_photos_the_page_uses_her_business_name(client, alice):
    with scopes_disabled():
        PortfolioFactory(account=alice.account, slug="alice")

    response = client.get("/p/alice/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Alice Nails</h1>" in html
    assert 'property="og:title" content="Alice Nails"' in html
    assert "og:image" not in html


def test_the_public_image_is_webp_without_metadata(client, zoe, portfolio):
    photo = published_photo(zoe)

    for thumb in (False, True):
        image = Image.open(io.BytesIO(read(client.get(image_url(portfolio, photo, thumb)))))
        assert image.format == "WEBP"
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)


def test_the_public_page_queries_do_not_grow_with_photos(client, alice, zoe, portfolio):
    published_photo(zoe)
    with CaptureQueriesContext(connection) as one:
        client.get("/p/alice-ongles/")
    with scopes_disabled():
        for _ in range(4):
            other = ClientFactory(account=alice.account)
            give_image_rights(other)
            published_photo(other)
    with CaptureQueriesContext(connection) as five:
        html = client.get("/p/alice-ongles/").content.decode()

    assert html.count(".webp?size=thumb") == 5
    assert len(five) == len(one)


# The settings page


def save_settings(http, **fields):
    data = {"enabled": "on", "slug": "", "title": "", "introduction": "", **fields}
    if not data["enabled"]:
        del data["enabled"]
    return http.post(SETTINGS_URL, data)


def error_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def test_the_settings_page_needs_a_login(client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_first_save_creates_her_portfolio(alice_client, alice):
    assert alice_client.get(SETTINGS_URL).status_code == 200
    with scopes_disabled():
        assert not Portfolio.objects.exists()  # looking creates nothing

    response = save_settings(
        alice_client, slug="Lea-Ongles", title="Léa Ongles", introduction="Bonjour"
    )

    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL
    with scopes_disabled():
        portfolio = Portfolio.objects.get()
    assert portfolio.account == alice.account
    assert portfolio.slug == "lea-ongles"  # capitals are lowered, not refused
    assert portfolio.enabled
    page = alice_client.get(SETTINGS_URL).content.decode()
    assert "http://testserver/p/lea-ongles/" in page


def test_saving_again_updates_the_same_portfolio(alice_client, portfolio):
    save_settings(alice_client, enabled="", slug="alice-nouveau", title="Nouveau")

    with scopes_disabled():
        portfolio.refresh_from_db()
        assert Portfolio.objects.count() == 1
    assert (portfolio.slug, portfolio.title, portfolio.enabled) == (
        "alice-nouveau",
        "Nouveau",
        False,
    )
    assert "/p/alice-nouveau/" not in alice_client.get(SETTINGS_URL).content.decode()


@pytest.mark.parametrize(
    "slug",
    ["lé", "ab", "léa-ongles", "lea ongles", "lea_ongles", "lea/ongles", "-lea", "lea-", "a" * 61],
)
def test_a_bad_address_is_refused_with_a_clear_message(alice_client, slug):
    response = save_settings(alice_client, slug=slug, title="Mon titre")

    assert response.status_code == 200
    assert error_codes(response, "slug") in (["invalid"], ["max_length"])  # one message
    html = response.content.decode()
    assert 'id="id_slug_error"' in html
    assert "Mon titre" in html  # nothing she typed is lost
    with scopes_disabled():
        assert not Portfolio.objects.exists()


def test_a_refused_change_leaves_the_page_as_it_was(alice_client, portfolio):
    response = save_settings(alice_client, enabled="", slug="a b", title="Autre")

    assert error_codes(response, "slug") == ["invalid"]
    assert "http://testserver/p/alice-ongles/" in response.content.decode()  # still online
    with scopes_disabled():
        portfolio.refresh_from_db()
    assert (portfolio.slug, portfolio.enabled, portfolio.title) == (
        "alice-ongles",
        True,
        "Les ongles d'Alice",
    )


def test_an_address_taken_by_another_account_is_refused(alice_client, bob):
    with scopes_disabled():
        PortfolioFactory(account=bob.account, slug="ongles-lyon")

    response = save_settings(alice_client, slug="Ongles-Lyon", title="Alice")

    assert response.status_code == 200
    assert error_codes(response, "slug") == ["unique"]
    assert 'id="id_slug_error"' in response.content.decode()
    with scopes_disabled():
        assert Portfolio.objects.count() == 1
        assert Portfolio.objects.get().account == bob.account


def test_an_address_taken_at_the_same_moment_is_refused_too(alice_client, bob, monkeypatch):
    """Two technicians saving one address together: the database decides, no 500."""
    with scopes_disabled():
        PortfolioFactory(account=bob.account, slug="ongles-lyon")
    monkeypatch.setattr(PortfolioForm, "clean_slug", lambda form: form.cleaned_data["slug"])

    response = save_settings(alice_client, slug="ongles-lyon", title="Alice")

    assert response.status_code == 200
    assert error_codes(response, "slug") == ["unique"]
    with scopes_disabled():
        assert Portfolio.objects.count() == 1


def test_turning_the_page_on_needs_an_address(alice_client):
    response = save_settings(alice_client, slug="")

    assert error_codes(response, "slug") == ["required"]
    with scopes_disabled():
        assert not Portfolio.objects.exists()


def test_a_page_kept_off_needs_no_address(alice_client, alice, bob):
    with scopes_disabled():
        PortfolioFactory(account=bob.account, slug=None, enabled=False)

    response = save_settings(alice_client, enabled="", slug="", title="Plus tard")

    assert response.status_code == 302
    with scopes_disabled():
        assert Portfolio.objects.get(account=alice.account).slug is None


def test_the_settings_page_lists_the_photos_in_the_portfolio(alice_client, alice, zoe):
    shown = published_photo(zoe, caption="Dans le portfolio")
    with scopes_disabled():
        PhotoFactory(client=zoe, caption="Pas dans le portfolio")
        mia = ClientFactory(account=alice.account)
        stale = PhotoFactory(client=mia, in_portfolio=True, caption="Sans accord")

    html = alice_client.get(SETTINGS_URL).content.decode()

    assert f"/gallery/{shown.pk}/thumbnail/" in html
    assert "Dans le portfolio" in html
    assert "Pas dans le portfolio" not in html
    assert f"/gallery/{stale.pk}/thumbnail/" in html  # shown to her, marked as hidden
    assert html.count("badge danger") == 1


def test_the_settings_page_shows_only_her_own_photos(alice_client, bob, portfolio):
    with scopes_disabled():
        bobs_client = ClientFactory(account=bob.account)
        give_image_rights(bobs_client)
    photo = published_photo(bobs_client, caption="De Bob")

    html = alice_client.get(SETTINGS_URL).content.decode()

    assert str(photo.pk) not in html
    assert "De Bob" not in html
