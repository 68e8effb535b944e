"""The private gallery: upload, browse, view, edit, delete; images served after the check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from clients.picker import Picking
from nailpro.confirm import confirm_delete
from nailpro.decorators import account_required
from nailpro.files import serve_stored_file
from nailpro.thumbnails import for_grid

from .forms import PhotoFilterForm, PhotoForm, PhotoUploadForm
from .models import Photo
from .portfolio import portfolio_add, portfolio_remove
from .services import photo_add

PAGE_SIZE = 24


def get_photo(request, photo_id):
    """Return the photo of the logged-in account, or 404."""
    return get_object_or_404(Photo.objects.select_related("client", "visit"), pk=photo_id)


@account_required
def photo_list(request):
    form = PhotoFilterForm(request.GET or None)
    photos = Photo.objects.select_related("client")
    if form.is_bound:
        form.is_valid()  # the valid filters apply; an invalid one shows its error
        data = form.cleaned_data
        if data.get("client"):
            photos = photos.filter(client_id=data["client"])
        if data.get("kind"):
            photos = photos.filter(kind=data["kind"])
        if data.get("tag"):
            photos = photos.filter(tags__contains=f" {data['tag']} ")
        if data.get("date_from"):
            photos = photos.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            photos = photos.filter(created_at__date__lte=data["date_to"])
    page = Paginator(photos, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = for_grid(page.object_list)
    return render(request, "gallery/photo_list.html", {"form": form, "page": page})


@account_required
def photo_upload(request):
    """Several photos at once, for a client and optionally one of her visits."""
    initial = {
        key: request.GET.get(key) for key in ("client", "visit", "kind") if request.GET.get(key)
    }
    picking = Picking(request)  # her name searched without JavaScript posts this form back
    form = PhotoUploadForm(
        picking.data, request.FILES or None, account=request.account, initial=initial
    )
    picking.attach(form)
    if picking.submitted(form):
        data = form.cleaned_data
        for processed in data["photos"]:
            photo_add(
                client=data["client"],
                visit=data["visit"],
                processed=processed,
                kind=data["kind"],
                caption=data["caption"],
                tags=data["tags"],
            )
        count = len(data["photos"])
        messages.success(request, _("%(count)d photo(s) added.") % {"count": count})
        target = data["visit"] or data["client"]
        url = target.get_absolute_url() + ("" if data["visit"] else "#gallery")
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(request, "gallery/photo_upload.html", {"form": form})


@account_required
def photo_detail(request, photo_id):
    photo = get_photo(request, photo_id)
    form = PhotoForm(request.POST or None, instance=photo)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(photo)
    return render(request, "gallery/photo_detail.html", {"photo": photo, "form": form})


@account_required
@require_POST
def photo_portfolio(request, photo_id):
    """Add the photo to her portfolio (with the client's image rights), or take it out."""
    photo = get_photo(request, photo_id)
    if request.POST.get("in_portfolio") == "1":
        try:
            portfolio_add(photo)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("The photo is in your portfolio."))
    else:
        portfolio_remove(photo)
        messages.success(request, _("The photo is out of your portfolio."))
    return redirect(photo)


@account_required
def photo_delete(request, photo_id):
    photo = get_photo(request, photo_id)
    back = photo.visit.get_absolute_url() if photo.visit else photo.client.get_absolute_url()
    if request.method != "POST":
        return confirm_delete(
            request,
            question=_("Delete this photo?"),
            consequence=_("The photo and its thumbnail are deleted for good."),
            cancel_url=photo.get_absolute_url(),
        )
    photo.delete()
    messages.success(request, _("The photo is deleted."))
    return redirect(back)


@account_required
def photo_image(request, photo_id):
    # Only her own browser keeps it: the address of a photo never changes its content.
    return serve_stored_file(get_photo(request, photo_id).image)


@account_required
def photo_thumbnail(request, photo_id):
    return serve_stored_file(get_photo(request, photo_id).thumbnail)
