"""The user of each request read in one plain query with her account and plan
(nailpro.auth.AccountBackend, billing.auth.PlanBackend), and the sessions read by one plain
query (nailpro.sessions): the same objects as the ORM gives, and logging out still ends the
session."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from billing.auth import PlanBackend
from billing.models import Subscription
from clients.context_processors import LazyUsage
from nailpro.models import User
from nailpro.sessions import SessionStore
from tests.factories import UserFactory, make_pro

pytestmark = pytest.mark.django_db


def fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_the_user_and_her_account_come_as_the_orm_reads_them_in_one_query(alice):
    with CaptureQueriesContext(connection) as queries:
        user = PlanBackend().get_user(alice.pk)
        account = user.account
    assert len(queries) == 1
    orm = User.objects.select_related("account").get(pk=alice.pk)
    assert fields(user) == fields(orm)
    assert fields(account) == fields(orm.account)
    assert not user._state.adding and user._state.db == "default"


def test_her_plan_comes_with_her(alice):
    free = PlanBackend().get_user(alice.pk).account
    assert LazyUsage(free).limit == 20
    make_pro(alice.account)
    pro = PlanBackend().get_user(alice.pk).account
    with CaptureQueriesContext(connection) as queries:
        assert LazyUsage(pro).limit is None
    assert len(queries) == 0
    with scopes_disabled():
        Subscription.objects.filter(account=alice.account).delete()
    assert LazyUsage(PlanBackend().get_user(alice.pk).account).limit == 20  # no row: Free


def test_no_user_an_inactive_one_and_staff_without_account():
    assert PlanBackend().get_user(123456) is None
    assert PlanBackend().get_user(UserFactory(is_active=False).pk) is None
    staff = UserFactory(account=None, is_staff=True)
    assert PlanBackend().get_user(staff.pk).account is None


def test_the_sign_up_logs_in_through_the_backend_in_use():
    assert settings.AUTHENTICATION_BACKENDS[-1] == "billing.auth.PlanBackend"


def test_sessions_are_read_from_the_database_and_end_on_logout(alice, alice_client):
    key = alice_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key)[SESSION_KEY] == str(alice.pk)
    assert alice_client.get("/").status_code == 200
    alice_client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(key).load() == {}


def test_an_expired_session_is_a_new_one(alice, alice_client):
    key = alice_client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None
    assert alice_client.get("/").status_code == 302  # to the login page


def test_sessions_opened_by_the_model_backend_stay_open(alice, client):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("billing.migrations.0003_sessions_plan_backend")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/").status_code == 302  # that backend is no longer listed
    migration.rename_backend(apps, None)
    assert SessionStore(key)["_auth_user_backend"] == "billing.auth.PlanBackend"
    assert client.get("/").status_code == 200
