"""A database made before her allergens, nail conditions, reactions and visit charts were
encrypted migrates forward with every value: the allergen links are copied into the encrypted
list before their table is dropped, the rest is encrypted in place (and back, migrating back)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled

from catalog.models import Allergen
from clients.models import HealthProfile, NailState
from visits.models import Reaction, Visit

CLIENTS_BEFORE = ("clients", "0009_import_resume_lease")
VISITS_BEFORE = ("visits", "0001_initial")
CHART = {"left_thumb": {"length": "short", "condition": "mycosis_suspected", "remarks": "vu"}}


def migrate(targets=None):
    """Migrate to `targets` (the latest migrations if None); return the executor."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()  # the graph now knows what is applied
    return executor


def raw_values(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608 - fixed names
        return [str(row[0]) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_allergen_links_and_health_facts_are_kept_encrypted_after_migrating():
    try:
        executor = migrate([CLIENTS_BEFORE, VISITS_BEFORE])
        others = [
            node
            for node in executor.loader.graph.leaf_nodes()
            if node[0] not in ("clients", "visits")
        ]
        old = executor.loader.project_state([CLIENTS_BEFORE, VISITS_BEFORE, *others]).apps
        account = old.get_model("nailpro", "Account").objects.create(name="Alice Nails")
        client = old.get_model("clients", "Client").objects.create(
            account=account, first_name="Zoé", search_name="zoe"
        )
        health = old.get_model("clients", "HealthProfile").objects.create(
            account=account, client=client
        )
        hema, nickel = (Allergen.objects.get(code=code) for code in ("hema", "nickel"))
        health.allergens.set([hema.pk, nickel.pk])
        old.get_model("clients", "NailState").objects.create(
            account=account, client=client, finger="left_thumb", condition="onycholysis"
        )
        old.get_model("visits", "Visit").objects.create(
            account=account,
            client=client,
            number=1,
            total=Decimal("45"),
            started_at=timezone.now() - datetime.timedelta(days=1),
            chart_snapshot=CHART,
            allergy_warning="Gel : HEMA",
        )
        old.get_model("visits", "Reaction").objects.create(
            account=account, client=client, symptoms="Rougeurs Narval"
        )

        migrate()

        with scopes_disabled():
            health = HealthProfile.objects.get(pk=health.pk)
            assert health.allergen_list() == sorted(
                [hema, nickel], key=list(Allergen.objects.all()).index
            )
            assert NailState.objects.get().condition == "onycholysis"
            visit = Visit.objects.get()
            assert (visit.chart_snapshot, visit.allergy_warning) == (CHART, "Gel : HEMA")
            assert Reaction.objects.get().symptoms == "Rougeurs Narval"
        assert "clients_healthprofile_allergens" not in connection.introspection.table_names()
        for table, column in [
            ("clients_healthprofile", "allergen_ids"),
            ("clients_nailstate", "condition"),
            ("visits_visit", "chart_snapshot"),
            ("visits_visit", "allergy_warning"),
            ("visits_reaction", "symptoms"),
        ]:
            assert all(value.startswith("fernet:") for value in raw_values(table, column)), column

        # Back again: the link table and the plain values return, the links with them.
        executor = migrate([CLIENTS_BEFORE, VISITS_BEFORE])
        old = executor.loader.project_state([CLIENTS_BEFORE, VISITS_BEFORE, *others]).apps
        old_health = old.get_model("clients", "HealthProfile").objects.get(pk=health.pk)
        assert sorted(old_health.allergens.values_list("pk", flat=True)) == sorted(
            [hema.pk, nickel.pk]
        )
        assert raw_values("clients_nailstate", "condition") == ["onycholysis"]
        assert raw_values("visits_reaction", "symptoms") == ["Rougeurs Narval"]
        old_visit = old.get_model("visits", "Visit").objects.get()
        assert (old_visit.chart_snapshot, old_visit.allergy_warning) == (CHART, "Gel : HEMA")
    finally:
        migrate()  # leave the database at the latest migrations, whatever happened
