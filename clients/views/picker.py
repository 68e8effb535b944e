"""The picker's matches as she types (htmx)."""

import re
import uuid

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nailpro.decorators import account_required

from ..widgets import client_matches

FIELD_NAME = re.compile(r"^[a-z][a-z_]{0,39}$")


@account_required
@require_GET
def client_pick(request):
    """At most MATCHES clients of the account for `<field>_q`, as the picker's radio buttons."""
    field = request.GET.get("field", "client")
    if not FIELD_NAME.match(field):
        raise Http404
    try:
        exclude = [uuid.UUID(pk) for pk in request.GET.getlist("exclude") if pk][:2]
    except ValueError:  # a hand-typed address: exclude no one
        exclude = []
    query = request.GET.get(f"{field}_q", "")[:100]
    found = client_matches(request.account, query, exclude=exclude)
    widget = {"name": field, "query": query, "matches": found, "attrs": {"id": f"id_{field}"}}
    context = {"widget": widget}
    return render(request, "clients/picker_matches.html", context)
