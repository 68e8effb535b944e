"""The client picker: type a few letters of her name or digits of her phone, tap her.

It replaces every `<select>` of clients (rule 11): a page holds her, if chosen, and at most
MATCHES other clients, whatever the size of the list. The field around it is unchanged (a
SafeModelChoiceField posting her id), so the server checks her as before."""

import uuid

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .models import Client

MATCHES = 10
# The names of the picker's own buttons, posted with the form around it (no JavaScript).
SEARCH_BUTTON = "_pick"
NEW_BUTTON = "_pick_new"
SHOWN_FIELDS = (
    "first_name",
    "last_name",
    "patronymic",
    "phone",
    "blacklisted",
    "search_name",
)


def client_matches(account, text, *, exclude=()):
    """Return at most MATCHES clients of `account` found by `text` (none for no text)."""
    from .queries import search  # queries reads the forms, which use this widget

    text = (text or "").strip()
    if not text:
        return []
    clients = search(Client.objects.filter(account=account), text).only(*SHOWN_FIELDS)
    excluded = [pk for pk in exclude if pk]
    if excluded:
        clients = clients.exclude(pk__in=excluded)
    return list(clients.order_by("search_name", "pk")[:MATCHES])


def chosen_client(account, value):
    """Return the client a posted or initial value names, or None (a bad id is no one)."""
    if isinstance(value, Client):
        return value
    try:
        pk = uuid.UUID(str(value))
    except ValueError:
        return None
    return Client.objects.filter(account=account, pk=pk).only(*SHOWN_FIELDS).first()


class ClientPicker(forms.Widget):
    """A search box, her (when chosen) and the matches as radio buttons of the field's name;
    with htmx the matches follow the typing, without JavaScript a Search button posts the
    form back with them. `new_form`, when given, adds "New client" inline."""

    template_name = "clients/picker.html"

    def __init__(self, *, account, query="", exclude=None, attrs=None):
        super().__init__(attrs)
        self.account = account
        self.query = (query or "")[:100]
        self.exclude = exclude
        self.new_form = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = chosen_client(self.account, value) if value not in (None, "") else None
        if chosen is not None and chosen.pk == self.exclude:
            chosen = None
        found = client_matches(
            self.account, self.query, exclude=[self.exclude, chosen.pk if chosen else None]
        )
        context["widget"].update(
            chosen=chosen,
            query=self.query,
            matches=found,
            search_name=f"{name}_q",
            search_button=SEARCH_BUTTON,
            new_button=NEW_BUTTON,
            new_form=self.new_form,
            url=reverse("clients:pick"),
            exclude=self.exclude or "",
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which looks in apps only).
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_  # the label names the search box

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


def use_picker(form, name="client", *, exclude=None):
    """Give `form`'s client field the picker, searching what was typed in its box."""
    field = form.fields[name]
    query = form.data.get(f"{name}_q", "") if form.is_bound else ""
    field.widget = ClientPicker(account=form.account, query=query, exclude=exclude)
    field.widget.is_required = field.required
    return field.widget
