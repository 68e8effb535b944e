"""Her public portfolio: the rule for putting a photo in it, its settings page, and the public
page at /p/<address>/ with its images.

A photo is on the public page only while it is chosen for the portfolio *and* her client's
image-rights consent is in force (`Photo.objects.in_public_portfolio()`), checked at every
request: withdrawing the consent takes the photo off at once, whatever else happens.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_scopes import scope, scopes_disabled

from clients.models import ConsentEvent
from nailpro import links
from nailpro.decorators import account_required
from nailpro.files import serve_stored_file
from nailpro.forms import AccountFormMixin
from nailpro.throttle import throttle_allows

from .booking_requests import (
    REQUEST_TRIES,
    REQUEST_WINDOW,
    TOO_MANY_TRIES,
    BookingRequestForm,
    booking_request_create,
    public_services,
)
from .models import Photo, Portfolio

PAGE_SIZE = 24
IMAGE_RIGHTS = ConsentEvent.Kind.IMAGE_RIGHTS

NO_IMAGE_RIGHTS = gettext_lazy("She has not given her image rights: record her consent first.")
ADDRESS_TAKEN = gettext_lazy("This address is taken. Choose another one.")
ADDRESS_FORMAT = gettext_lazy(
    "Use 3 to 60 lower-case letters (no accents), digits or hyphens, e.g. lea-ongles."
)
ADDRESS_EDGES = gettext_lazy("Start and end the address with a letter or a digit.")
ADDRESS_NEEDED = gettext_lazy("Choose the address of your page to turn it on.")


def portfolio_add(photo):
    """Put a photo in her portfolio, if her client has given her image rights."""
    if not photo.client.has_consent(IMAGE_RIGHTS):
        raise ValidationError(NO_IMAGE_RIGHTS, code="no_image_rights")
    photo.in_portfolio = True
    photo.save(update_fields=["in_portfolio"])


def portfolio_remove(photo):
    """Take a photo out of her portfolio."""
    photo.in_portfolio = False
    photo.save(update_fields=["in_portfolio"])


class PortfolioForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Portfolio
        fields = [
            "enabled",
            "slug",
            "title",
            "introduction",
            "area",
            "phone",
            "whatsapp",
            "email",
            "instagram",
        ]
        widgets = {
            "enabled": forms.CheckboxInput(attrs={"role": "switch"}),
            "whatsapp": forms.CheckboxInput(attrs={"role": "switch"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
            "instagram": forms.TextInput(
                attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
            ),
            "slug": forms.TextInput(
                attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
            ),
            "introduction": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # clean_slug() checks the address with one clear message; the form field's own slug
        # check would answer first, with a message that allows underscores and capitals.
        slug = self.fields["slug"]
        slug.validators = [v for v in slug.validators if v is not validate_slug]

    def clean_slug(self):
        slug = (self.cleaned_data["slug"] or "").strip().lower()
        if not slug:
            return None  # several accounts without an address: NULL, not "", stays unique
        if not re.fullmatch(r"[a-z0-9-]{3,60}", slug):
            raise ValidationError(ADDRESS_FORMAT, code="invalid")
        if slug.startswith("-") or slug.endswith("-"):
            raise ValidationError(ADDRESS_EDGES, code="invalid")
        # The scoped manager sees only her own portfolio; an address is unique across all.
        with scopes_disabled():
            taken = Portfolio.objects.filter(slug=slug).exclude(account=self.account).exists()
        if taken:
            raise ValidationError(ADDRESS_TAKEN, code="unique")
        return slug

    def clean_instagram(self):
        return (self.cleaned_data["instagram"] or "").strip().lstrip("@")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("whatsapp") and not cleaned.get("phone"):
            self.add_error(
                "phone",
                ValidationError(_("Give the number clients write to on WhatsApp."), "required"),
            )
        if cleaned.get("enabled") and "slug" in cleaned and not cleaned["slug"]:
            self.add_error("slug", ValidationError(ADDRESS_NEEDED, code="required"))
        return cleaned

    def save(self, commit=True):
        """Save into her portfolio row, creating it on her first save."""
        with transaction.atomic():
            portfolio, _created = Portfolio.objects.get_or_create(account=self.account)
            for name in self._meta.fields:
                setattr(portfolio, name, self.cleaned_data[name])
            portfolio.save()
        self.instance = portfolio
        return portfolio


@account_required
def portfolio_settings(request):
    portfolio = Portfolio.objects.filter(account=request.account).first()
    if portfolio is None:
        portfolio = Portfolio(account=request.account)
    # The link shows what is saved: validating the form writes what she typed on `portfolio`.
    public_url = None
    if portfolio.enabled and portfolio.slug:
        public_url = request.build_absolute_uri(reverse("portfolio:page", args=[portfolio.slug]))
    form = PortfolioForm(request.POST or None, instance=portfolio, account=request.account)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except IntegrityError:  # another account took the address a moment ago
            form.add_error("slug", ValidationError(ADDRESS_TAKEN, code="unique"))
        else:
            messages.success(request, _("Your portfolio settings are saved."))
            return redirect("portfolio:settings")
    photos = (
        Photo.objects.filter(in_portfolio=True)
        .select_related("client")
        .prefetch_related("client__consent_events")
    )
    page = Paginator(photos, PAGE_SIZE).get_page(request.GET.get("page"))
    for photo in page.object_list:
        photo.is_public = photo.client.has_consent(IMAGE_RIGHTS)
    context = {"form": form, "portfolio": portfolio, "page": page, "public_url": public_url}
    return render(request, "gallery/portfolio_settings.html", context)


def _enabled_portfolio(slug):
    """Return the enabled portfolio at this address, or 404."""
    with scopes_disabled():
        return get_object_or_404(
            Portfolio.objects.select_related("account"), slug=slug, enabled=True
        )


def _public_photos(portfolio):
    """Return the photos on her public page, in a fixed number of queries."""
    # Visitors are anonymous, so the request's scope is empty: open the portfolio's own.
    with scope(account=portfolio.account):
        return Photo.objects.prefetch_related("client__consent_events").in_public_portfolio()


def _contact_links(portfolio):
    """Her contact buttons, only those she filled in: [(icon, label, url)]."""
    buttons = [
        ("phone", _("Call"), links.tel_url(portfolio)),
        ("whatsapp", _("WhatsApp"), links.whatsapp_url(portfolio) if portfolio.whatsapp else ""),
        ("mail", _("E-mail"), links.mailto_url(portfolio.email)),
        ("camera", _("Instagram"), portfolio.instagram_url),
    ]
    return [(icon, label, url) for icon, label, url in buttons if url]


@require_safe
def portfolio_page(request, slug):
    portfolio = _enabled_portfolio(slug)
    with scope(account=portfolio.account):
        services = list(public_services())
    page = Paginator(_public_photos(portfolio), PAGE_SIZE).get_page(request.GET.get("page"))
    heading = portfolio.title or portfolio.account.name
    description = " ".join(portfolio.introduction.split()) or _(
        "The nail work of %(name)s, in photos."
    ) % {"name": heading}
    cover = page.object_list[0] if page.object_list else None  # the image link previews show
    cover_url = None
    if cover is not None:
        cover_url = request.build_absolute_uri(reverse("portfolio:image", args=[slug, cover.pk]))
    context = {
        "portfolio": portfolio,
        "heading": heading,
        "description": Truncator(description).chars(200),
        "page": page,
        "page_url": request.build_absolute_uri(reverse("portfolio:page", args=[slug])),
        "cover": cover,
        "cover_url": cover_url,
        "services": services,
        "currency": portfolio.account.currency,
        "contact_links": _contact_links(portfolio),
    }
    return render(request, "gallery/portfolio_page.html", context)


@require_safe
def portfolio_photo(request, slug, photo_id):
    """One photo of her public page on a page of its own (a lightbox with an address):
    the photo, its description, the previous and next ones, and the way back to the grid."""
    portfolio = _enabled_portfolio(slug)
    photos = _public_photos(portfolio)
    index = next((i for i, photo in enumerate(photos) if photo.pk == photo_id), None)
    if index is None:
        raise Http404("Not on her public page")
    photo = photos[index]
    context = {
        "portfolio": portfolio,
        "heading": portfolio.title or portfolio.account.name,
        "photo": photo,
        "position": index + 1,
        "total": len(photos),
        "previous": photos[index - 1] if index > 0 else None,
        "next": photos[index + 1] if index + 1 < len(photos) else None,
        "grid_page": index // PAGE_SIZE + 1,
    }
    return render(request, "gallery/portfolio_photo.html", context)


@require_http_methods(["GET", "POST"])
def portfolio_request(request, slug):
    """ "Request an appointment": a form anyone can send, landing on her dashboard."""
    portfolio = _enabled_portfolio(slug)
    account = portfolio.account
    status = 200
    with scope(account=account):
        form = BookingRequestForm(
            request.POST or None, account=account, services=list(public_services())
        )
        if request.method == "POST":
            allowed = throttle_allows(
                request, "booking-request", limit=REQUEST_TRIES, window=REQUEST_WINDOW
            )
            if not allowed:
                form.is_valid()
                form.add_error(None, ValidationError(TOO_MANY_TRIES, code="rate_limited"))
                status = 429
            elif form.is_valid():
                if form.is_bot():  # answered as a success, so that it learns nothing
                    return redirect("portfolio:request_sent", slug=slug)
                try:
                    booking_request_create(account=account, form=form)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect("portfolio:request_sent", slug=slug)
    context = {
        "portfolio": portfolio,
        "heading": portfolio.title or account.name,
        "form": form,
    }
    return render(request, "gallery/portfolio_request.html", context, status=status)


@require_safe
def portfolio_request_sent(request, slug):
    portfolio = _enabled_portfolio(slug)
    context = {"portfolio": portfolio, "heading": portfolio.title or portfolio.account.name}
    return render(request, "gallery/portfolio_request_sent.html", context)


@require_safe
def portfolio_image(request, slug, photo_id):
    """Serve a photo of the public page (or ?size=thumb), and nothing else of hers."""
    portfolio = _enabled_portfolio(slug)
    with scope(account=portfolio.account):
        photo = get_object_or_404(
            Photo.objects.select_related("client").prefetch_related("client__consent_events"),
            pk=photo_id,
            in_portfolio=True,
        )
        if not photo.client.has_consent(IMAGE_RIGHTS):
            raise Http404("No image rights")
    stored = photo.thumbnail if request.GET.get("size") == "thumb" else photo.image
    # Shared caches may keep it an hour: enough for a page of thumbnails, and short enough
    # that a withdrawn consent soon takes the photo off them too.
    return serve_stored_file(stored, max_age=3600, public=True)
