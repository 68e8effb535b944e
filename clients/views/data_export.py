"""A client's own data, downloaded for her (she asked for it: GDPR Art. 15 and 20)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from ..data_export import client_export as build
from ..models import Client


@login_required
def client_export(request, client_id):
    """Download everything about one client as a ZIP (she asked for her data)."""
    client = get_object_or_404(Client, pk=client_id)
    response = HttpResponse(build(client, request.user), content_type="application/zip")
    name = slugify(client.display_name) or "cliente"
    response["Content-Disposition"] = (
        f'attachment; filename="nailpro-{name}-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    return response
