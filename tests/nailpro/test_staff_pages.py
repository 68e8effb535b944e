"""A staff login has no business of its own: the technicians' pages send it to the admin,
never to an error."""

import pytest
from django.urls import reverse

from nailpro.models import User
from tests.tenancy import PUBLIC_URL_NAMES, routes

pytestmark = pytest.mark.django_db


def test_every_page_without_parameters_answers_a_staff_login_without_an_error(client):
    staff = User.objects.create_user("staff@example.com", "x", is_staff=True)
    client.force_login(staff)
    client.raise_request_exception = False
    failures = []
    for route in routes():
        if route.parameters or route.name in PUBLIC_URL_NAMES or route.name.startswith("admin:"):
            continue
        url = reverse(route.name)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status >= 500:
                failures.append(f"{method.upper()} {url}: {status}")
    assert failures == []
