"""Recording visits, their history and list, and reactions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.forms import TableFormatForm
from clients.list_export import immediate_max, list_export_start
from clients.models import ConsentEvent, HealthProfile, NailState
from clients.views.common import get_client
from clients.views.transfer import list_export_confirm
from nailpro.confirm import confirm_delete
from nailpro.decorators import account_required
from nailpro.health_log import log_health_view
from nailpro.tabular import table_response
from nailpro.text import fold

from .exports import visit_table
from .forms import AllergensFromReactionForm, ReactionForm, VisitFilterForm, VisitForm
from .list_export import filtered_visits
from .models import Reaction, Visit

PAGE_SIZE = 25


def get_visit(request, visit_id):
    """Return the visit of the logged-in account, or 404."""
    queryset = Visit.objects.select_related("client").prefetch_related(
        "services__service", "products__product__allergens", "photos"
    )
    return get_object_or_404(queryset, pk=visit_id)


def get_reaction(request, reaction_id):
    """Return the reaction of the logged-in account, or 404."""
    queryset = Reaction.objects.select_related("client").prefetch_related(
        "suspected_products__allergens"
    )
    return get_object_or_404(queryset, pk=reaction_id)


def recording_context(request, client, form):
    """What she needs to see while recording: shape, allergies, the last visit."""
    consent = client.has_consent(ConsentEvent.Kind.HEALTH)
    health = client.known_health(consent=consent)
    if health is not None:
        log_health_view(request, client)
    last = client.visits.for_history().exclude(pk=form.instance.pk).first()
    return {
        "client": client,
        "form": form,
        "health_consent": consent,
        "allergens": client.known_allergens(consent=consent),
        "allergy_notes": health.allergy_notes if health is not None else "",
        "last_visit": last,
    }


@account_required
def visit_new(request, client_id):
    client = get_client(request, client_id)
    form = VisitForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        visit = form.save()
        messages.success(request, _("Visit no. %(number)s recorded.") % {"number": visit.number})
        return redirect(f"{client.get_absolute_url()}#visits")
    return render(request, "visits/visit_form.html", recording_context(request, client, form))


@account_required
def visit_edit(request, visit_id):
    visit = get_visit(request, visit_id)
    form = VisitForm(request.POST or None, instance=visit, client=visit.client)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Visit no. %(number)s saved.") % {"number": visit.number})
        return redirect(visit)
    return render(request, "visits/visit_form.html", recording_context(request, visit.client, form))


@account_required
def visit_detail(request, visit_id):
    visit = get_visit(request, visit_id)
    labels = dict(NailState.Finger.choices)
    chart = [(labels.get(finger, finger), state) for finger, state in visit.chart_snapshot.items()]
    photos = list(visit.photos.all())  # the gallery, built on top of visits
    context = {
        "visit": visit,
        "chart": chart,
        "before": next((p for p in photos if p.kind == "before"), None),
        "after": next((p for p in photos if p.kind == "after"), None),
    }
    return render(request, "visits/visit_detail.html", context)


@account_required
def visit_delete(request, visit_id):
    visit = get_visit(request, visit_id)
    if request.method != "POST":
        return confirm_delete(
            request,
            question=_("Delete visit no. %(number)s?") % {"number": visit.number},
            consequence=_("Its services, products and payment go with it, for good."),
            cancel_url=visit.get_absolute_url(),
        )
    client = visit.client
    visit.delete()
    messages.success(request, _("The visit is deleted."))
    return redirect(f"{client.get_absolute_url()}#visits")


def filter_visits(visits, data):
    text = (data.get("q") or "").strip()[:100]
    if text.isdigit():
        visits = visits.filter(number=int(text))
    elif text:
        for token in fold(text).split():
            visits = visits.filter(
                Q(client__search_name__contains=token)
                | Q(services__name__icontains=token)
                | Q(products__product__search_text__contains=token)
            )
        visits = visits.distinct()
    if data.get("client"):
        visits = visits.filter(client_id=data["client"])
    if data.get("date_from"):
        visits = visits.filter(started_at__date__gte=data["date_from"])
    if data.get("date_to"):
        visits = visits.filter(started_at__date__lte=data["date_to"])
    if data.get("payment_method"):
        visits = visits.filter(payment_method=data["payment_method"])
    if data.get("unpaid"):
        visits = visits.filter(paid=False)
    return visits


@account_required
def visit_list(request):
    form = VisitFilterForm(request.GET or None)
    visits = Visit.objects.all()
    if form.is_bound:
        form.is_valid()  # the valid filters apply; an invalid one shows its error
        visits = filter_visits(visits, form.cleaned_data)
    matching = Visit.objects.filter(pk__in=visits.values("pk"))
    totals = matching.aggregate(count=Count("pk"), revenue=Sum("total"))
    by_payment = (
        matching.values("payment_method")
        .annotate(count=Count("pk"), revenue=Sum("total"))
        .order_by("-revenue")
    )
    labels = dict(Visit.Payment.choices)
    page = Paginator(matching.for_history().select_related("client"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "totals": totals,
        "by_payment": [{**row, "label": labels[row["payment_method"]]} for row in by_payment],
        "export_form": TableFormatForm(auto_id="export_%s"),
    }
    template = "visits/visit_list.html"
    if request.htmx and request.htmx.target == "visit-results":
        template += "#results"
    return render(request, template, context)


@account_required
@require_http_methods(["GET", "POST"])
def visit_export(request):
    """Download the visits as filtered on the list (a date range, a client…); a list longer
    than VISIT_EXPORT_IMMEDIATE_MAX is built by the worker (clients.list_export)."""
    query = request.POST if request.method == "POST" else request.GET
    form = VisitFilterForm(query)
    form.is_valid()
    options = TableFormatForm(query)
    options.is_valid()
    file_format = options.cleaned_data.get("format") or "xlsx"
    visits = filtered_visits(query)
    count = visits.count()
    if count > immediate_max("visits"):
        if request.method == "POST":
            export = list_export_start(
                kind="visits",
                account=request.account,
                user=request.user,
                query=query,
                file_format=file_format,
            )
            return redirect(export)
        return list_export_confirm(request, "visits", count, query)
    headers, rows = visit_table(visits, account=request.account)
    dates = [form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")]
    period = (
        "-".join(f"{day:%Y-%m-%d}" for day in dates if day) or f"{timezone.localdate():%Y-%m-%d}"
    )
    label = _("visits")
    return table_response(
        f"nailpro-{label}-{period}",
        headers,
        rows,
        file_format=file_format,
        title=_("Visits"),
    )


@account_required
def reaction_new(request, client_id):
    client = get_client(request, client_id)
    form = ReactionForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        reaction = form.save()
        messages.success(request, _("The reaction is recorded."))
        return redirect("visits:reaction", reaction_id=reaction.pk)
    return render(request, "visits/reaction_form.html", {"client": client, "form": form})


@account_required
def reaction_detail(request, reaction_id):
    """The reaction, and a proposal to add the suspected products' allergens to her allergies."""
    reaction = get_reaction(request, reaction_id)
    client = reaction.client
    consent = client.has_consent(ConsentEvent.Kind.HEALTH)
    form = AllergensFromReactionForm(request.POST or None, reaction=reaction)
    if request.method == "POST" and consent and form.is_valid():
        health, _created = HealthProfile.objects.get_or_create(
            client=client, account=client.account
        )
        health.allergens.add(*form.cleaned_data["allergens"])
        messages.success(request, _("Her allergies are updated."))
        return redirect(f"{client.get_absolute_url()}#health")
    context = {"reaction": reaction, "client": client, "form": form, "health_consent": consent}
    return render(request, "visits/reaction_detail.html", context)
