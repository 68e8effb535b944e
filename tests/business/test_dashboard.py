"""The dashboard: each block on hand-built data, its empty states, and its bounded queries."""

import datetime
import re
import zoneinfo
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from agenda.models import Appointment
from business.dashboard import birthdays, rebook_rows, to_rebook, with_greetings
from clients.models import Client
from tests.factories import (
    AppointmentFactory,
    BookingRequestFactory,
    ClientFactory,
    GiftFactory,
    RescheduleRequestFactory,
    VisitFactory,
    make_pro,
)
from visits import figures
from visits.models import Visit

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def born(account, first_name, birth_date, **fields):
    with scopes_disabled():
        return ClientFactory(
            account=account, first_name=first_name, birth_date=birth_date, **fields
        )


def names(rows):
    return [row.client.first_name for row in rows]


def rebook_names(account, now):
    return names(rebook_rows(to_rebook(account, now), account, now))


def test_birthdays_of_the_week_cross_the_new_year_with_gifts_flagged(alice):
    account = alice.account
    today = datetime.date(2026, 12, 28)
    born(account, "Aujourdhui", datetime.date(1990, 12, 28))
    january = born(account, "Janvier", datetime.date(1985, 1, 2))
    born(account, "Trop tard", datetime.date(1985, 1, 4))  # 7 days later: out of the week
    born(account, "Passe", datetime.date(1985, 12, 27))
    with scopes_disabled():
        GiftFactory(client=january, given_on=datetime.date(2026, 12, 20))  # before her birthday
        rows = with_greetings(birthdays(account, today), account)

    assert names(rows) == ["Aujourdhui", "Janvier"]
    assert [row.date for row in rows] == [today, datetime.date(2027, 1, 2)]
    assert [row.age for row in rows] == [36, 42]
    assert [row.is_today for row in rows] == [True, False]
    assert [row.gift_given for row in rows] == [False, True]
    text = parse_qs(urlparse(rows[0].whatsapp_url).query)["text"][0]
    assert text.startswith("Joyeux anniversaire Aujourdhui")
    assert "Alice Nails" in text


def test_a_29_february_birthday_is_wished_on_the_28th_in_common_years(alice):
    born(alice.account, "Bissextile", datetime.date(1996, 2, 29))
    with scopes_disabled():
        week = birthdays(alice.account, datetime.date(2027, 2, 22))
        assert names(with_greetings(week, alice.account)) == ["Bissextile"]
        [row] = birthdays(alice.account, datetime.date(2027, 2, 28))
        assert (row.date, row.is_today) == (datetime.date(2027, 2, 28), True)
        assert birthdays(alice.account, datetime.date(2027, 3, 1)) == []
        [row] = birthdays(alice.account, datetime.date(2028, 2, 29))  # a leap year
        assert row.date == datetime.date(2028, 2, 29)


def test_to_book_again_follows_her_own_rhythm_else_the_setting(alice):
    account = alice.account
    now = at(2026, 12, 1, 12, 0)
    with scopes_disabled():
        every_3_weeks = ClientFactory(account=account, first_name="Rythmee")
        for day in (at(2026, 9, 1, 10), at(2026, 9, 22, 10), at(2026, 10, 13, 10)):
            VisitFactory(client=every_3_weeks, started_at=day)  # due 3 Nov: 28 days late
        once = ClientFactory(account=account, first_name="Une fois")
        VisitFactory(client=once, started_at=at(2026, 10, 20, 10))  # 4 weeks: due 17 Nov
        booked = ClientFactory(account=account, first_name="Reservee")
        VisitFactory(client=booked, started_at=at(2026, 6, 1, 10))
        AppointmentFactory(client=booked, start=at(2026, 12, 10, 10))
        not_due = ClientFactory(account=account, first_name="Pas encore")
        VisitFactory(client=not_due, started_at=at(2026, 11, 20, 10))
        ClientFactory(account=account, first_name="Jamais venue")
        rows = rebook_rows(to_rebook(account, now), account, now)
    assert names(rows) == ["Rythmee", "Une fois"]
    assert [(r.interval_days, r.overdue_days) for r in rows] == [(21, 28), (28, 14)]

    with scopes_disabled():
        account.rebook_after_weeks = 8
        account.save()
        assert rebook_names(account, now) == ["Rythmee"]


def test_the_dashboard_shows_each_block(alice, alice_client):
    account = alice.account
    with time_machine.travel(at(2026, 12, 2, 8, 0), tick=False):
        with scopes_disabled():
            lost = ClientFactory(account=account, first_name="Perdue", last_name="De Vue")
            VisitFactory(client=lost, started_at=at(2026, 6, 1, 10), total=Decimal("50"))
            regular = ClientFactory(account=account, first_name="Fidele", last_name="Cliente")
            VisitFactory(client=regular, started_at=at(2026, 11, 1, 10), total=Decimal("40"))
            VisitFactory(
                client=regular, started_at=at(2026, 12, 1, 10), total=Decimal("60"), paid=False
            )
            born(account, "Fete", datetime.date(1990, 12, 4), last_name="Demain")
        page = alice_client.get("/")
    context = page.context
    html = page.content.decode()

    assert [client.first_name for client in context["lapsed"]] == ["Perdue"]
    assert names(context["rebook"]) == ["Perdue"]
    assert names(context["birthdays"]) == ["Fete"]
    assert context["new_clients_count"] == 3
    month = context["month"]
    assert (month["count_this"], month["revenue_this"], month["average_this"]) == (
        1,
        Decimal("60"),
        Decimal("60"),
    )
    assert (month["count_last"], month["revenue_last"]) == (1, Decimal("40"))
    assert month["revenue_change"] == 50
    assert [bar.revenue for bar in context["bars"]][-2:] == [Decimal("40"), Decimal("60")]
    assert context["bars"][-1].height == 120 and context["bars"][-2].height == 80
    assert context["unpaid"] == {"count": 1, "amount": Decimal("60.00")}
    assert "+50 %" in html
    assert "<svg" in html and "<table>" in html  # the chart, and its figures for everyone
    assert "décembre 2026" in html
    assert "/visits/?unpaid=on" in html
    usage = context["client_usage"]
    assert (usage.count, usage.limit) == (3, 20)  # Free shows 3 of 20
    assert '<progress id="plan-usage" value="3" max="20">' in html


def test_a_new_account_sees_how_to_start_not_empty_blocks(alice_client):
    response = alice_client.get("/")
    html = response.content.decode()
    assert response.context["has_clients"] is False
    assert 'href="/clients/new/"' in html and 'href="/clients/import/"' in html
    assert 'id="birthdays-title"' not in html


def test_empty_blocks_say_what_to_do(alice, alice_client):
    with scopes_disabled():
        ClientFactory(account=alice.account)
    response = alice_client.get("/")
    assert response.context["has_clients"] is True
    assert response.context["today_appointments"] == []
    assert response.context["birthdays"] == []
    assert response.context["unpaid"]["count"] == 0
    assert 'id="birthdays-title"' in response.content.decode()  # the block, saying what to do


def test_the_full_lists(alice, alice_client):
    with scopes_disabled():
        lost = ClientFactory(account=alice.account, first_name="Perdue")
        VisitFactory(client=lost, started_at=at(2025, 6, 1, 10))
    assert "Perdue" in alice_client.get("/to-rebook/").content.decode()
    assert "Perdue" in alice_client.get("/lapsed/").content.decode()


def _fill(account, count, start):
    """`count` clients, each with two visits and a birthday, bulk-made."""
    with scopes_disabled():
        clients = Client.objects.bulk_create(
            Client(
                account=account,
                first_name=f"Cliente {n}",
                search_name=f"cliente {n}",
                birthday_key=1202 + n % 7 if n % 50 == 0 else (1 + n % 12) * 100 + 1 + n % 28,
                # Birthdays spread over the year, one client in fifty this week.
                birth_date=datetime.date(1990, 12, 2 + n % 7)
                if n % 50 == 0
                else datetime.date(1990, 1 + n % 12, 1 + n % 28),
                created_at=at(2026, 1 + n % 12, 1, 10),
            )
            for n in range(start, start + count)
        )
        number = Visit.objects.filter(account=account).count()
        visits = []
        for index, client in enumerate(clients):
            for month in (8 + index % 2, 9 + index % 2):
                number += 1
                visits.append(
                    Visit(
                        account=account,
                        client=client,
                        number=number,
                        started_at=at(2026, month, 1 + index % 28, 10),
                        total=Decimal("45"),
                        paid=index % 7 != 0,
                    )
                )
        Visit.objects.bulk_create(visits)
        figures.rebuild(account.pk)  # bulk inserts skip the model layer that keeps them


def test_the_dashboard_reads_as_many_queries_with_10_or_2000_clients(alice, alice_client):
    make_pro(alice.account)

    def queries():
        with (
            time_machine.travel(at(2026, 12, 2, 8, 0), tick=False),
            CaptureQueriesContext(connection) as captured,
        ):
            response = alice_client.get("/")
        assert response.status_code == 200
        return len(captured), response.context

    _fill(alice.account, 10, 0)
    few, context = queries()
    assert names(context["birthdays"])
    _fill(alice.account, 1990, 10)
    many, context = queries()
    assert context["rebook_count"] > 1000 and context["lapsed_count"] > 50
    assert few == many, (few, many)
    # The session, the user with her account and plan; the blocks: 2 for today's agenda,
    # 1 for the birthdays (the rows shown with them), 1 counting both lists, 3 for their rows,
    # 2 for the new clients, 2 for the month, its chart and the unpaid visits, 1 for the
    # booking requests, 1 for the reschedule requests.
    assert many <= 15, many


def test_the_month_so_far_is_compared_with_the_same_days_of_last_month(alice, alice_client):
    """On the 1st at 8:00, 1 November until 8:00 is what counts against it, not all November."""
    from business.dashboard import month_figures

    with scopes_disabled():
        regular = ClientFactory(account=alice.account)
        VisitFactory(client=regular, started_at=at(2026, 11, 1, 10), total=Decimal("30"))
        VisitFactory(client=regular, started_at=at(2026, 11, 20, 10), total=Decimal("90"))
    with time_machine.travel(at(2026, 12, 1, 8, 0), tick=False), scopes_disabled():
        first = month_figures(datetime.date(2026, 12, 1), now=at(2026, 12, 1, 8))
        assert (first["count_last"], first["revenue_last"]) == (2, Decimal("120"))
        assert first["count_last_to_date"] == 0
        assert first["revenue_change"] is None  # nothing to compare with yet: no "-100 %"
        evening = month_figures(datetime.date(2026, 12, 1), now=at(2026, 12, 1, 19))
        assert (evening["count_last_to_date"], evening["revenue_last_to_date"]) == (1, 30)
        assert evening["revenue_change"] == -100  # a fair comparison: nothing done yet today
        VisitFactory(client=regular, started_at=at(2026, 12, 1, 9), total=Decimal("45"))
        evening = month_figures(datetime.date(2026, 12, 1), now=at(2026, 12, 1, 19))
        assert evening["revenue_change"] == 50
    # The 31st of a month against a shorter one: the whole of last month.
    with scopes_disabled():
        VisitFactory(client=regular, started_at=at(2026, 2, 28, 10), total=Decimal("10"))
        march = month_figures(datetime.date(2026, 3, 31))
    assert march["revenue_last_to_date"] == Decimal("10")
    assert march["compared_until"].date() == datetime.date(2026, 2, 28)


def test_the_dashboard_needs_no_htmx_so_it_loads_none(alice, alice_client):
    """The first page stays light: none of its blocks may rely on htmx, which it does not load."""
    with scopes_disabled():
        zoe = ClientFactory(account=alice.account, first_name="Zoé")
        VisitFactory(client=zoe, total=Decimal("40"), payment_method="")
        BookingRequestFactory(account=alice.account)
        RescheduleRequestFactory(account=alice.account, client=zoe)
    html = alice_client.get("/").content.decode()
    assert "htmx-2" not in html  # the script itself
    assert re.findall(r"\bhx-[a-z-]+", html) == ["hx-headers"]


def test_the_dashboard_blocks_show_the_head_of_the_full_lists_and_their_counts(alice):
    """Read along the kept figures' indexes, the blocks agree with to_rebook() and lapsed():
    the same first rows in the same order (ties by name), the same counts; blacklisted, erased
    and booked clients left out, a blacklisting undone brings her back."""
    from business import client_lists
    from business.dashboard import dashboard_counts, lapsed, unpaid
    from clients.services import client_erase

    account = alice.account
    make_pro(account)
    now = at(2026, 12, 2, 9)
    with scopes_disabled():
        clients = []
        for n in range(24):
            client = ClientFactory(account=account, first_name=f"C{n:02}", last_name="Zed")
            clients.append(client)
            last = now - datetime.timedelta(days=10 + (n % 6) * 40)  # equal dates: by name
            if n % 3:  # a usual interval, else a single visit
                VisitFactory(client=client, started_at=last - datetime.timedelta(days=30 + n))
            VisitFactory(client=client, started_at=last)
        for client in clients[::5]:
            client.blacklisted, client.blacklist_reason = True, "Never came"
            client.save()
        clients[5].blacklisted = False  # back on the lists
        clients[5].save(update_fields=["blacklisted"])
        client_erase(client=clients[7])
        AppointmentFactory(client=clients[8], start=now + datetime.timedelta(days=3))
        cancelled = AppointmentFactory(client=clients[9], start=now + datetime.timedelta(days=3))
        Appointment.objects.filter(pk=cancelled.pk).update(status=Appointment.Status.CANCELLED)
    with scopes_disabled():
        full_rebook = to_rebook(account, now)
        full_lapsed = lapsed(now).filter(account=account)
        counts = dashboard_counts(account, now)
        assert (counts["rebook"], counts["lapsed"]) == (full_rebook.count(), full_lapsed.count())
        assert counts["unpaid"] == unpaid()
        assert counts["rebook"] > 8 and counts["lapsed"] > 8
        for shown in (1, 3, 5, 9, 30):
            expected = rebook_rows(full_rebook[:shown], account, now)
            rows = client_lists.rebook_page(account, now, 1, shown).object_list
            assert [(r.client_id, r.last_visit, r.interval_days, r.overdue_days) for r in rows] == [
                (r.client_id, r.last_visit, r.interval_days, r.overdue_days) for r in expected
            ]
            expected = list(full_lapsed[:shown])
            head = client_lists.lapsed_page(account, now, 1, shown).object_list
            assert [(client.pk, client.last_visit) for client in head] == [
                (c.pk, c.last_visit) for c in expected
            ]
