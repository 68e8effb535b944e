"""Test data builders. Account-owned objects take their account from their parent object,
so no test can build cross-account data by accident."""

import factory

from nailpro.models import Account, User

PASSWORD = "correct-horse-battery-staple"


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Ongles {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"tech{n}@example.com")
    account = factory.SubFactory(AccountFactory)
    password = factory.django.Password(PASSWORD)
