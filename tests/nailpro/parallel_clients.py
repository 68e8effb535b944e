"""Create clients from parallel requests against the database DATABASE_URL names.

Run by tests/nailpro/test_parallel_writes.py in a process of its own: each thread has its own
database connection, as each gunicorn worker or thread would. Prints the status codes and the
number of clients stored, as JSON.
"""

import json
import sys
import threading

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from billing.models import Subscription  # noqa: E402
from clients.models import Client as ClientRecord  # noqa: E402
from nailpro.models import Account, User  # noqa: E402


def main(count):
    setup_test_environment()
    account = Account.objects.create(name="Parallel Nails")
    user = User.objects.create_user(email="parallel@example.com", password="x", account=account)
    with scopes_disabled():
        Subscription.objects.filter(account=account).update(plan="pro")
    browsers = []
    for _ in range(count):
        browser = Client()
        browser.force_login(user)
        browsers.append(browser)
    barrier = threading.Barrier(count)
    statuses = []

    def create(browser, number):
        barrier.wait()
        response = browser.post("/clients/new/", {"first_name": f"Parallel {number}"})
        statuses.append(response.status_code)
        django.db.connections.close_all()

    threads = [
        threading.Thread(target=create, args=(browser, number))
        for number, browser in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with scopes_disabled():
        stored = ClientRecord.objects.filter(account=account).count()
    print(json.dumps({"statuses": sorted(statuses), "stored": stored}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
