"""Who holds what about a client, and how to hand it over or erase it (GDPR Art. 15, 17, 20).

The shape of pretix's data shredders: each app declares, in its own `privacy.py`, one
`PrivacyEntry` for its part of a client and of an account, and registers it from its
AppConfig.ready(). Whatever spans every app (a client's export, her erasure, the withdrawal of
her health consent, retention, the account's export and deletion) iterates this registry, so
the core never imports an app and an app never imports a higher one.

    class VisitsPrivacy(PrivacyEntry):
        client_models = ["visits.Visit", "visits.Reaction"]
        keeps_accounting_records = True

        def client_sections(self, client): return {"visits": [...]}
        def erase_client(self, client): ...

    privacy.register(VisitsPrivacy("visits"))       # in VisitsConfig.ready()

Entries run in the order of INSTALLED_APPS (the dependency order, core first) when reading,
and in the reverse order when erasing, so what points to a row goes before the row.
"""

from django.apps import apps

_entries = {}


class PrivacyEntry:
    """One app's part of a client's and of an account's data. Every hook is optional."""

    # "app_label.Model" of every model of this app holding a client's data (a ForeignKey or a
    # ManyToMany to the client): each must be exported and erased by this entry.
    client_models = []
    # Accounting lines are kept, anonymised, when she is erased (French bookkeeping).
    keeps_accounting_records = False

    def __init__(self, app_label):
        self.app_label = app_label

    @property
    def verbose_name(self):
        """Its human-readable name: the app's."""
        return apps.get_app_config(self.app_label).verbose_name

    def __repr__(self):
        return f"<{type(self).__name__} {self.app_label}>"

    # One client

    def client_sections(self, client):
        """Return this app's sections of her data.json: {"key": JSON-ready value}."""
        return {}

    def client_files(self, client):
        """Yield (name in the ZIP, stored FieldFile) for each of her files this app holds."""
        return ()

    def erase_client(self, client):
        """Erase everything personal this app holds about her; accounting lines may stay."""

    def erase_client_health(self, client):
        """Erase the health facts this app holds about her (health consent withdrawn)."""

    def consent_withdrawn(self, client, kind):
        """She withdrew the consent `kind` (clients.models.ConsentEvent.Kind): stop using
        what it covered (health consent also runs erase_client_health)."""

    def health_data_shown(self, request, clients):
        """A page showed the health data of these clients: log it (nailpro.health_log)."""

    def client_activity(self):
        """Return (model, date field) pairs whose rows mean she was seen or is expected."""
        return []

    # A whole account

    def account_models(self):
        """Return the models whose rows make the account's export: by default every
        account-owned model of the app, in the order they are declared."""
        from .models import AccountOwned  # the registry stays importable before the models

        config = apps.get_app_config(self.app_label)
        return [model for model in config.get_models() if issubclass(model, AccountOwned)]

    def before_account_erase(self, account):
        """Run before anything of the account is deleted, outside its transaction; raise to
        stop the deletion (a subscription that could not be cancelled)."""

    def erase_account(self, account):
        """Delete what must go before the account's own deletion cascades over the rest."""


def register(entry):
    """Register an app's entry (from its AppConfig.ready()); registering again replaces it."""
    _entries[entry.app_label] = entry
    return entry


def entries():
    """Return the registered entries in the order of INSTALLED_APPS: the core first."""
    order = [config.label for config in apps.get_app_configs()]
    return sorted(_entries.values(), key=lambda entry: order.index(entry.app_label))


def entries_erasing_first():
    """Return the entries the other way round: the apps built on top first."""
    return list(reversed(entries()))


def client_sections(client):
    """Every app's sections of her data.json, core first."""
    sections = {}
    for entry in entries():
        sections.update(entry.client_sections(client))
    return sections


def client_files(client):
    for entry in entries():
        yield from entry.client_files(client)


def erase_client(client):
    for entry in entries_erasing_first():
        entry.erase_client(client)


def erase_client_health(client):
    for entry in entries_erasing_first():
        entry.erase_client_health(client)


def consent_withdrawn(client, kind):
    for entry in entries_erasing_first():
        entry.consent_withdrawn(client, kind)


def health_data_shown(request, clients):
    for entry in entries():
        entry.health_data_shown(request, clients)


def client_activity():
    return [pair for entry in entries() for pair in entry.client_activity()]


def account_models():
    return [model for entry in entries() for model in entry.account_models()]


def before_account_erase(account):
    """Let each app stop the deletion before anything goes (outside the transaction)."""
    for entry in entries():
        entry.before_account_erase(account)


def erase_account(account):
    """Delete the account's data app by app, the apps on top first (their rows point down);
    the account's own deletion then cascades over what is left."""
    for entry in entries_erasing_first():
        entry.erase_account(account)


def covered_client_models():
    """Return the "app_label.Model" labels some entry exports and erases."""
    return {label.lower() for entry in entries() for label in entry.client_models}
