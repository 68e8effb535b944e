"""The client's photo: uploaded through the image rules, served only to her technician."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from ..forms import PhotoForm
from ..services import client_set_photo
from .common import get_client


@login_required
def photo_upload(request, client_id):
    client = get_client(request, client_id)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        client_set_photo(client=client, processed=form.cleaned_data["photo"])
        messages.success(request, _("The photo is saved."))
        return redirect(client)
    return render(request, "clients/photo_form.html", {"client": client, "form": form})


@login_required
def photo(request, client_id):
    """Serve the photo (or ?size=thumb) after the account check: never a public URL."""
    client = get_client(request, client_id)
    stored = client.photo_thumbnail if request.GET.get("size") == "thumb" else client.photo
    if not stored:
        raise Http404("No photo")
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    try:
        response = FileResponse(stored.open("rb"), content_type=content_type)
    except OSError as missing:
        raise Http404("Photo file missing") from missing
    # Only her own browser may keep it; the URL carries a version, so a new photo shows.
    patch_cache_control(response, private=True, max_age=3600)
    response["X-Content-Type-Options"] = "nosniff"
    return response
