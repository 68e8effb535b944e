"""The dashboard, a client card and the checkout in Spanish, Italian and Russian at 390x844:
screenshots to look at, and nothing wider than the phone (Russian words are long)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from catalog.models import Service
from clients.models import ConsentEvent
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    ClientFactory,
    ConsentEventFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {
    "es": ("ES", "EUR", ("María José", "Fernández de la Fuente", ""), "+34612345678"),
    "it": ("IT", "EUR", ("Maria Beatrice", "Castellammarese", ""), "+393123456789"),
    "ru": ("RU", "RUB", ("Екатерина", "Константинопольская", "Александровна"), "+79161234567"),
}
SERVICES = {
    "es": ["Manicura semipermanente", "Relleno de uñas de gel", "Retirada de esmalte"],
    "it": ["Semipermanente mani", "Ricostruzione unghie in gel", "Rimozione semipermanente"],
    "ru": ["Покрытие гель-лаком", "Коррекция наращивания", "Снятие гель-лака"],
}

# Elements holding text that is wider than their box (a long word running out), and any
# element whose box goes past the phone's edges. Boxes meant to scroll sideways, text cut
# with an ellipsis on purpose and visually hidden labels (1 px) are not overflows.
OVERFLOWS = """() => {
  const found = [];
  for (const element of document.querySelectorAll("main *, nav *, header *")) {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || style.display === "none" || style.visibility === "hidden") continue;
    if (element.closest(".visually-hidden")) continue;
    const scrolls = ["auto", "scroll"].includes(style.overflowX);
    const ellipsis = style.textOverflow === "ellipsis";
    const hasText = [...element.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const runsOut = hasText && element.scrollWidth > element.clientWidth + 1 && !scrolls
      && !ellipsis && element.clientWidth > 0;
    const pastEdge = box.right > window.innerWidth + 1 || box.left < -1;
    if (runsOut || pastEdge) {
      found.push(`${element.tagName.toLowerCase()}.${element.className}: ` +
        `${Math.round(box.width)}px, content ${element.scrollWidth}px, ` +
        `right ${Math.round(box.right)}`);
    }
  }
  return found;
}"""


def technician(language):
    region, currency, (first, last, patronymic), phone = ACCOUNTS[language]
    user = UserFactory(
        email=f"{language}@example.com",
        account__name={"es": "Uñas Lucía", "it": "Unghie di Giulia", "ru": "Студия Ольги"}[
            language
        ],
        account__language=language,
        account__phone_region=region,
        account__currency=currency,
    )
    with scopes_disabled():
        account = user.account
        services = [
            Service.objects.create(
                account=account, name=name, duration=60, price=Decimal("1234.50") / (n + 1)
            )
            for n, name in enumerate(SERVICES[language])
        ]
        client = ClientFactory(
            account=account,
            first_name=first,
            last_name=last,
            patronymic=patronymic,
            phone=phone,
            language=language,
            street="Calle Mayor 12" if language == "es" else "Via Roma 1",
            city="Madrid" if language == "es" else "Milano",
        )
        ConsentEventFactory(client=client, kind=ConsentEvent.Kind.HEALTH)
        for weeks in (3, 7, 11):
            VisitFactory(
                client=client,
                total=Decimal("1234.50"),
                started_at=timezone.now() - datetime.timedelta(weeks=weeks),
            )
        AppointmentFactory(
            client=client,
            start=(timezone.now() + datetime.timedelta(hours=2)).replace(second=0, microsecond=0),
        )
    return user, client, services


def login(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("language", ["es", "it", "ru"])
def test_dashboard_card_and_checkout_fit_the_phone(
    live_server, page, screenshot, fits_the_phone, language
):
    user, client, services = technician(language)
    login(page, live_server, user.email)
    for name, path in [
        ("dashboard", "/"),
        ("client-card", f"/clients/{client.pk}/"),
        ("checkout", f"/visits/new/{client.pk}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language
        if name == "checkout":
            page.get_by_role("checkbox", name=re.compile(f"^{services[0].name}")).check()
        screenshot(f"{language}-{name}")
        assert fits_the_phone(), f"{language} {name}: wider than the phone"
        assert page.evaluate(OVERFLOWS) == [], f"{language} {name}"

    card = page.goto(f"{live_server.url}/clients/{client.pk}/")
    assert card.status == 200
    text = page.locator("main").text_content()
    if language == "ru":
        assert "Константинопольская Екатерина Александровна" in text
        assert "8 (916) 123-45-67" in text
        assert "₽" in text
    else:
        assert "€" in text
