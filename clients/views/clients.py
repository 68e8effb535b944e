"""The client list, quick creation, the card and its editable sections, deletion."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from nailpro.confirm import confirm_delete
from nailpro.decorators import account_required
from nailpro.health_log import log_health_view, log_health_views
from nailpro.offline import idempotent, offline_copy

from ..forms import (
    AddressForm,
    ClientExportForm,
    ClientFilterForm,
    IdentityForm,
    PreferencesForm,
    QuickClientForm,
    RelationshipForm,
)
from ..models import Client
from ..picker import Picking
from ..queries import apply_filters, index_letters, mark_allergies, with_allergies
from ..services import client_delete, client_erase, client_remove_photo
from .common import card_context, get_card, get_client

PAGE_SIZE = 25
# What the list's rows show (clients.rows.ListRows) and the scope needs: the client's other
# fields are left unread, each would cost its conversion on every row.
LIST_FIELDS = (
    "account_id",
    "first_name",
    "last_name",
    "patronymic",
    "phone",
    "email",
    "blacklisted",
    "search_name",
    "category__name",
    "category__account_id",
    # Her allergy marker (clients.queries.mark_allergies): her allergens and other allergies,
    # not the rest of her health profile.
    "health__account_id",
    "health__allergen_ids",
    "health__allergy_notes",
)

SECTIONS = {
    "identity": (IdentityForm, gettext_lazy("Identity")),
    "address": (AddressForm, gettext_lazy("Address for home visits")),
    "preferences": (PreferencesForm, gettext_lazy("Preferences")),
    "relationship": (RelationshipForm, gettext_lazy("Relationship")),
}


@account_required
def client_list(request):
    form = ClientFilterForm(request.GET or None, account=request.account)
    clients = with_allergies(Client.objects.select_related("category").only(*LIST_FIELDS))
    valid = False
    if form.is_bound:
        valid = form.is_valid()  # an invalid field shows its error; the valid ones still apply
        clients = apply_filters(clients, form.cleaned_data)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(value for name, value in request.GET.items() if name != "page")
    # A search she sent (not one typed letter by letter through htmx) finding one client
    # opens her card.
    sent = valid and form.cleaned_data["q"].strip() and not request.htmx
    if sent and "page" not in request.GET and page.paginator.count == 1:
        return redirect(page.object_list[0])
    shown = mark_allergies(page.object_list)
    if shown:
        log_health_views(request, shown)
    context = {
        "form": form,
        "page": page,
        "letters": index_letters(request.account.language),
        "current_letter": request.GET.get("letter", ""),
        # Without a filter the page's own count is her total: one count, not two.
        "total": Client.objects.count() if filtered else page.paginator.count,
        # The export's fields as declared (labels, choices): the template writes them by
        # hand, a form made for it would only copy its fields.
        "export_fields": ClientExportForm.base_fields,
    }
    template = "clients/client_list.html"
    if request.htmx and not request.htmx.boosted and request.htmx.target == "client-results":
        template += "#results"
    return render(request, template, context)


@account_required
def client_new(request):
    form = QuickClientForm(request.POST or None, account=request.account)
    if request.method == "GET" and Client(account=request.account).plan_is_full():
        # Say why first, then offer the pricing page (not a form that would fail).
        return render(request, "clients/client_new.html", {"form": None, "plan_full": True})
    if request.method == "POST" and form.is_valid():
        try:
            client = form.save()
        except ValidationError as refusal:  # another creation took the last place meanwhile
            form.add_error(None, refusal)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": client.display_name})
            return redirect(client)
    plan_full = form.has_error(NON_FIELD_ERRORS, "plan_limit")
    return render(request, "clients/client_new.html", {"form": form, "plan_full": plan_full})


@account_required
@offline_copy("card")
def client_detail(request, client_id):
    client = get_card(request, client_id)
    context = card_context(client)
    if context["shows_health"]:
        log_health_view(request, client)
    context["access_logs"] = client.access_logs.select_related("user")[:5]
    return render(request, "clients/client_detail.html", context)


@account_required
@offline_copy("card")
@idempotent
def client_section(request, client_id, section):
    """Edit one section of the card: in place with htmx, or as a page of its own."""
    client = get_client(request, client_id)
    form_class, title = SECTIONS[section]
    picking = Picking(request, field="referred_by")  # who sent her: searched in the form
    form = form_class(picking.data, instance=client, account=request.account)
    if "referred_by" in form.fields:
        picking.attach(form)
    if picking.submitted(form):
        form.save()
        if request.htmx:
            client = get_card(request, client_id)
            return render(request, f"clients/client_detail.html#{section}", card_context(client))
        messages.success(request, _("Saved."))
        return redirect(client)
    context = {"client": client, "form": form, "section": section, "title": title}
    template = "clients/section_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context)


@account_required
def client_delete_view(request, client_id):
    client = get_client(request, client_id)
    counts = _related_counts(client)
    future = _future_appointments(client)
    if request.method == "POST" and not future:
        name = client.display_name
        client_delete(client=client)
        messages.success(request, _("%(name)s and her whole record are deleted.") % {"name": name})
        if request.htmx:
            return HttpResponseClientRedirect("/clients/")
        return redirect("clients:list")
    return render(
        request,
        "clients/client_confirm_delete.html",
        {"client": client, "counts": counts, "future_appointments": future},
    )


RELATED_COUNTS = [
    ("visits", gettext_lazy("visits")),
    ("photos", gettext_lazy("photos")),
    ("appointments", gettext_lazy("appointments")),
    ("gifts", gettext_lazy("gifts")),
    ("consent_events", gettext_lazy("consent records")),
]


@account_required
def client_erase_view(request, client_id):
    """Erase her personal data at her request, keeping only anonymised accounting lines."""
    client = get_client(request, client_id)
    # The retention page sends her here and takes her back there.
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        client_erase(client=client)
        messages.success(
            request,
            _("Her personal data is erased; her visits' accounting lines are kept, anonymised."),
        )
        return redirect(next_url or "clients:list")
    context = {"client": client, "next": next_url}
    return render(request, "clients/client_confirm_erase.html", context)


def _related_counts(client):
    """Count what hangs on a client, including records of apps built on top of clients."""
    return [(label, getattr(client, relation).count()) for relation, label in RELATED_COUNTS]


def _future_appointments(client):
    # The agenda app, built on top of clients: read through the reverse relation.
    return client.appointments.active().filter(start__gte=timezone.now()).count()


@account_required
def client_photo_remove(request, client_id):
    client = get_client(request, client_id)
    if request.method != "POST":
        return confirm_delete(
            request,
            question=_("Remove her photo?"),
            consequence=_("The photo and its thumbnail are deleted for good."),
            cancel_url=reverse("clients:photo_upload", args=[client.pk]),
        )
    client_remove_photo(client=client)
    messages.success(request, _("The photo is removed."))
    return redirect(client)
