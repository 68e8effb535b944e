"""The client's photo: uploaded through the image rules, served only to her technician."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nailpro.decorators import account_required
from nailpro.files import serve_stored_file

from ..forms import PortraitForm
from ..services import client_set_photo
from .common import get_client


@account_required
def photo_upload(request, client_id):
    client = get_client(request, client_id)
    form = PortraitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        client_set_photo(client=client, processed=form.cleaned_data["photo"])
        messages.success(request, _("The photo is saved."))
        return redirect(client)
    return render(request, "clients/photo_form.html", {"client": client, "form": form})


@account_required
def photo(request, client_id):
    """Serve the photo (or ?size=thumb) after the account check: never a public URL."""
    client = get_client(request, client_id)
    stored = client.photo_thumbnail if request.GET.get("size") == "thumb" else client.photo
    # Only her own browser may keep it; the URL carries a version, so a new photo shows.
    return serve_stored_file(stored)
