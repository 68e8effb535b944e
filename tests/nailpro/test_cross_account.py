"""Isolation between technicians, checked on every URL of the project."""

import functools

import factory
import pytest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.test import override_settings
from django.urls import get_resolver, include, path

from clients.models import Client
from nailpro.models import Account
from tests import factories
from tests.factories import make_pro
from tests.tenancy import (
    PUBLIC_PARAMETERS,
    PUBLIC_URL_NAMES,
    ObjectBuilder,
    Route,
    isolation_failures,
    model_for,
    routes,
)

ALL_FACTORIES = {
    value._meta.model: value
    for value in vars(factories).values()
    if isinstance(value, type)
    and issubclass(value, factory.django.DjangoModelFactory)
    and value._meta.model is not None
}
# Clients with a photo, so that the photo URLs lead somewhere for their owner.
ALL_FACTORIES[Client] = functools.partial(factories.ClientFactory, with_photo=True)


def private_routes():
    return [
        route
        for route in routes()
        if not route.name.startswith("admin:") and route.name not in PUBLIC_URL_NAMES
    ]


def object_routes():
    return [route for route in private_routes() if route.parameters]


def test_every_url_parameter_is_a_known_object_id():
    """Every parameter of a private URL names an account-owned model (<model>_id)."""
    for route in object_routes():
        for parameter in route.parameters:
            assert parameter not in PUBLIC_PARAMETERS, f"{route.name} is private but takes a secret"
            model_for(parameter)


@pytest.mark.django_db
def test_every_object_url_answers_404_to_another_account(client, alice, bob):
    """Alice's ids in every URL answer 404 to Bob, for GET and POST, and not to Alice."""
    make_pro(alice.account)  # the harness builds many objects for each
    make_pro(bob.account)
    builder = ObjectBuilder(ALL_FACTORIES)
    failures = []
    walked = object_routes()
    for route in walked:
        failures += isolation_failures(client, bob, alice, route, builder)
    print(f"cross-account harness: {len(walked)} object URL patterns walked")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_every_private_url_sends_anonymous_visitors_to_login(client, alice):
    make_pro(alice.account)  # the harness builds many objects
    builder = ObjectBuilder(ALL_FACTORIES)
    failures = []
    for route in private_routes():
        url = route.url(builder.build(alice.account, route.parameters))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith("/accounts/login/?next="):
                failures.append(f"{method.upper()} {url} answers {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_admin_sends_anonymous_visitors_to_its_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


# A throwaway URLconf: one view forgets to check whose object it serves, one does not.
def _leaky_view(request, account_id):
    account = get_object_or_404(Account, pk=account_id)
    return HttpResponse(account.name)


def _careful_view(request, account_id):
    account = get_object_or_404(Account, pk=account_id, users=request.user)
    return HttpResponse(account.name)


urlpatterns = [
    path("leaky/<uuid:account_id>/", _leaky_view, name="leaky"),
    path("careful/<uuid:account_id>/", _careful_view, name="careful"),
    path("", include("nailpro.urls")),
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_harness_catches_a_view_that_forgets_scoping(client, alice, bob):
    discovered = {route.name: route for route in routes(get_resolver(__name__))}
    assert discovered["leaky"] == Route("leaky", ["account_id"])
    builder = ObjectBuilder(ALL_FACTORIES, models={"account": Account})

    failures = isolation_failures(client, bob, alice, discovered["leaky"], builder)

    assert any("GET /leaky/" in failure and "answers 200" in failure for failure in failures)
    assert isolation_failures(client, bob, alice, discovered["careful"], builder) == []


def test_harness_refuses_a_parameter_it_cannot_map():
    builder = ObjectBuilder(ALL_FACTORIES)
    with pytest.raises(AssertionError, match="'slot' is not an object id"):
        builder.build(None, ["slot"])
