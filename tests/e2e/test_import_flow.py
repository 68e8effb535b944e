"""A new technician brings her list from another tool: the sample CSV, on her phone."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import UserFactory

# The browser reads committed data, from the live server's own connection.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[2] / "clients" / "sample" / "clientes-exemple.csv"


def test_a_new_account_imports_the_sample_list_and_finds_her_clients(
    live_server, page, screenshot, axe_violations, fits_the_phone
):
    UserFactory(email="nouvelle@example.com", account__name="Ongles Nouvelle")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("nouvelle@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{live_server.url}/clients/")
    page.locator("#client-results a[href='/clients/import/']").click()  # from the empty list
    expect(page).to_have_url(f"{live_server.url}/clients/import/")
    expect(page.locator("a[href='/clients/import/sample.csv']")).to_be_visible()
    page.locator("input[type=file]").set_input_files(SAMPLE)
    page.locator("main form button[type=submit]").click()

    # The columns guessed from the French headers, and the first rows checked.
    expect(page.locator("#id_column_0")).to_have_value("first_name")
    expect(page.locator("#id_column_2")).to_have_value("phone")
    expect(page.locator(".import-rows > li")).to_have_count(10)
    expect(page.locator(".import-rows")).to_contain_text("Camille Lefèvre")
    screenshot("import-mapping")
    assert axe_violations() == []
    assert fits_the_phone()
    page.locator("button[name=start]").click()

    expect(page).to_have_url(re.compile(r"/clients/import/[0-9a-f-]+/progress/$"))
    expect(page.locator("#import-progress[hx-trigger]")).to_be_attached()
    # The worker picks the import up while the page asks for news every 2 seconds.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    expect(page.locator("progress")).to_have_attribute("value", "15", timeout=10_000)
    expect(page.locator("#import-progress[hx-trigger]")).to_have_count(0)
    screenshot("import-finished")
    assert axe_violations() == []
    assert fits_the_phone()

    page.locator("#import-progress a[href='/clients/']").click()
    expect(page.locator("#client-count")).to_contain_text("15")
    expect(page.locator(".client-rows")).to_contain_text("Hélène N'Diaye")
    expect(page.locator(".client-rows")).to_contain_text("07 81 22 34 04")
    screenshot("import-clients-list")


def test_a_file_in_an_encoding_that_cannot_be_told_asks_which_one(
    live_server, page, screenshot, axe_violations, fits_the_phone, tmp_path
):
    UserFactory(email="hanako@example.com", account__name="Nail Hanako")
    japanese = tmp_path / "顧客.csv"
    japanese.write_bytes(
        "名前,姓,電話\r\n花子,山田,06 12 34 56 78\r\n美咲,佐藤,06 98 76 54 32\r\n".encode(
            "shift_jis"
        )
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("hanako@example.com")
    page.get_by_label(re.compile("^Mot de passe")).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Connexion").click()

    page.goto(f"{live_server.url}/clients/import/")
    page.locator("input[type=file]").set_input_files(japanese)
    page.locator("main form button[type=submit]").click()

    # Not imported as garbage: she picks the line that reads right, and the file again.
    choice = page.get_by_label(re.compile("Shift-JIS"))
    expect(choice).to_be_visible()
    expect(page.locator("main")).to_contain_text("名前,姓,電話")
    screenshot("import-encoding-question")
    assert axe_violations() == []
    assert fits_the_phone()
    choice.check()
    page.locator("input[type=file]").set_input_files(japanese)
    page.locator("main form button[type=submit]").click()

    # The mapping page reads her headers and rows in Japanese, not garbage.
    expect(page.get_by_label("電話")).to_be_visible()
    page.locator("#id_column_0").select_option("first_name")
    page.locator("#id_column_1").select_option("last_name")
    expect(page.locator(".import-rows")).to_contain_text("花子 山田")
    screenshot("import-encoding-mapping")
