"""Send the same offline write from parallel requests against the database DATABASE_URL names.

Run by tests/agenda/test_offline.py in a process of its own (each thread its own connection,
as gunicorn's would): a phone retrying while its first attempt is still running. Prints the
outcomes and the number of visits stored, as JSON.
"""

import datetime
import json
import sys
import threading
import uuid
import zoneinfo
from decimal import Decimal

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from agenda.models import Appointment  # noqa: E402
from catalog.models import Service  # noqa: E402
from clients.models import Client as ClientRecord  # noqa: E402
from nailpro.models import Account, User  # noqa: E402
from visits.models import Visit  # noqa: E402


def main(count):
    setup_test_environment()
    account = Account.objects.create(name="Parallel Nails")
    user = User.objects.create_user(email="parallel@example.com", password="x", account=account)
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    with scopes_disabled():
        client = ClientRecord.objects.create(account=account, first_name="Zoé")
        appointment = Appointment.objects.create(
            account=account, client=client, start=start, duration=60
        )
        service = Service.objects.create(
            account=account, name="Pose", duration=60, price=Decimal("40")
        )
    timezone.activate(zoneinfo.ZoneInfo(account.time_zone))
    data = {
        f"service_{service.pk}": "on",
        f"price_{service.pk}": "40.00",
        "started_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(start + datetime.timedelta(hours=1)).strftime("%H:%M"),
        "payment_method": "cash",
        "technique_notes": "Sent from the phone",
    }
    key = str(uuid.uuid4())
    phones = []
    for _ in range(count):
        phone = Client()
        phone.force_login(user)
        phones.append(phone)
    barrier = threading.Barrier(count)
    outcomes = []

    def send(phone):
        barrier.wait()
        response = phone.post(
            f"/agenda/{appointment.pk}/done/", data, headers={"Idempotency-Key": key}
        )
        outcomes.append(response.json()["outcome"] if response.status_code == 200 else "error")
        django.db.connections.close_all()

    threads = [threading.Thread(target=send, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with scopes_disabled():
        stored = Visit.objects.filter(account=account).count()
    print(json.dumps({"outcomes": outcomes, "stored": stored}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
