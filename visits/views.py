"""Recording visits, their history and list, and reactions."""

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.forms import service_lines_of
from clients.forms import TableFormatForm
from clients.models import ConsentEvent, HealthProfile, NailState
from clients.views.common import get_client
from clients.views.transfer import in_the_worker
from nailpro.confirm import confirm_delete
from nailpro.decorators import account_required
from nailpro.health_log import log_health_view
from nailpro.links import page_urls
from nailpro.tabular import table_response
from nailpro.text import fold
from nailpro.thumbnails import for_grid

from .exports import visit_table
from .forms import AllergensFromReactionForm, ReactionForm, VisitFilterForm, VisitForm
from .list_export import filtered_visits
from .models import Reaction, Visit, VisitProduct, VisitService

PAGE_SIZE = 25
THUMBS_SHOWN = 4  # on each row


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


def last_visit_of(client, *, but=None):
    """Her latest visit (but this one), with its services and products."""
    visits = client.visits.for_history().prefetch_related("services__service", "products__product")
    return visits.exclude(pk=but).first() if but else visits.first()


def recording_context(request, client, form, *, last=None):
    """What she needs to see while recording: shape, allergies, the last visit, the products
    found by a search sent without JavaScript."""
    consent = client.has_consent(ConsentEvent.Kind.HEALTH)
    health = client.known_health(consent=consent)
    if health is not None:
        log_health_view(request, client)
    if last is None:
        last = last_visit_of(client, but=form.instance.pk)
    searching = request.method == "POST" and "find" in request.POST
    text = request.POST.get("q", "")[:100] if searching else ""
    last_products = [use.product for use in last.products.all()] if last else []
    suggested = form.rows_of(last_products)
    return {
        "client": client,
        "form": form,
        "health_consent": consent,
        "allergens": form.known_allergens,
        "allergy_notes": health.allergy_notes if health is not None else "",
        "last_visit": last,
        "last_service_ids": [line.service_id for line in last.services.all()] if last else [],
        "searching": searching,
        "q": text,
        "found": form.found_rows(text, besides=suggested) if searching else [],
        "suggested": suggested,
        "offer_same": False,
    }


def wants_to_save(request, form):
    """A POST that is not a product search sent without JavaScript, and a valid form."""
    return request.method == "POST" and "find" not in request.POST and form.is_valid()


@account_required
def visit_new(request, client_id):
    client = get_client(request, client_id)
    last = last_visit_of(client)
    proposed = service_lines_of(last) if last and request.GET.get("same") else None
    form = VisitForm(request.POST or None, client=client, services=proposed)
    if wants_to_save(request, form):
        visit = form.save()
        messages.success(request, _("Visit no. %(number)s recorded.") % {"number": visit.number})
        return redirect("visits:saved", visit_id=visit.pk)
    context = recording_context(request, client, form, last=last)
    context["offer_same"] = True  # "same as last time" reloads this page without JavaScript
    return render(request, "visits/visit_form.html", context)


@account_required
@require_GET
def product_search(request, client_id):
    """The products matching what she types, as rows to tick, each flagged with the allergens
    she shares with it (the checkout's picker, through htmx)."""
    client = get_client(request, client_id)
    form = VisitForm(client=client)
    last = last_visit_of(client)
    suggested = form.rows_of([use.product for use in last.products.all()] if last else [])
    found = form.found_rows(request.GET.get("q", "")[:100], besides=suggested)
    if any(row.shared for row in found):
        log_health_view(request, client)
    context = {"form": form, "found": found, "searching": True, "q": request.GET.get("q", "")}
    return render(request, "visits/product_results.html", context)


@account_required
def visit_saved(request, visit_id):
    """After saving: book her again in N weeks (one tap), add the photos, or back to her card."""
    visit = get_visit(request, visit_id)
    weeks = visit.rebook_after_weeks()
    local = timezone.localtime(visit.started_at)
    try:
        proposed = local + datetime.timedelta(weeks=weeks)
    except OverflowError:
        proposed = None
    context = {"visit": visit, "weeks": weeks, "proposed": proposed}
    return render(request, "visits/visit_saved.html", context)


@account_required
def visit_edit(request, visit_id):
    visit = get_visit(request, visit_id)
    form = VisitForm(request.POST or None, instance=visit, client=visit.client)
    if wants_to_save(request, form):
        form.save()
        messages.success(request, _("Visit no. %(number)s saved.") % {"number": visit.number})
        return redirect(visit)
    return render(request, "visits/visit_form.html", recording_context(request, visit.client, form))


@account_required
def visit_detail(request, visit_id):
    visit = get_visit(request, visit_id)
    consent = visit.client.has_consent(ConsentEvent.Kind.HEALTH)
    chart = snapshot_chart(visit.chart_snapshot, consent=consent)
    # Her allergy warning and the nails' medical conditions are health facts: shown only under
    # her current consent, and the reading is logged.
    warning = visit.allergy_warning if consent else ""
    if warning or any(nail["medical"] for nail in chart):
        log_health_view(request, visit.client)
    photos = list(visit.photos.all())  # the gallery, built on top of visits
    context = {
        "visit": visit,
        "chart": chart,
        "allergy_warning": warning,
        "before": next((p for p in photos if p.kind == "before"), None),
        "after": next((p for p in photos if p.kind == "after"), None),
        "photos": for_grid(photos),
    }
    return render(request, "visits/visit_detail.html", context)


def snapshot_chart(snapshot, *, consent):
    """The hand chart kept with a visit, as the page shows it: each nail's labels, a medical
    condition only under her health consent."""
    fingers = dict(NailState.Finger.choices)
    conditions = dict(NailState.Condition.choices)
    lengths = dict(NailState.Length.choices)
    chart = []
    for finger, state in snapshot.items():
        condition = NailState.shown_condition(state.get("condition", ""), consent=consent)
        chart.append(
            {
                "label": fingers.get(finger, finger),
                "condition": conditions.get(condition, ""),
                "medical": condition in NailState.MEDICAL_CONDITIONS,
                "length": lengths.get(state.get("length"), ""),
                "remarks": state.get("remarks", ""),
            }
        )
    return chart


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


def local_start(day):
    """The first moment of `day` in the account's time zone (an index-friendly bound)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def shown_month(data, *, default=True):
    """The month the list is bounded to: the one picked, else this one (the export: none);
    None when dates, a client, a visit number or "unpaid only" choose the visits instead."""
    text = (data.get("q") or "").strip()
    if data.get("date_from") or data.get("date_to") or data.get("client") or data.get("unpaid"):
        return None
    if text.isdigit():
        return None
    if not data.get("month") and not default:
        return None
    return (data.get("month") or timezone.localdate()).replace(day=1)


def filter_visits(visits, data, *, default_month=False):
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
    month = shown_month(data, default=default_month)
    if month:
        visits = visits.filter(
            started_at__gte=local_start(month), started_at__lt=local_start(add_months(month, 1))
        )
    if data.get("date_from"):
        visits = visits.filter(started_at__gte=local_start(data["date_from"]))
    if data.get("date_to"):
        day_after = data["date_to"] + datetime.timedelta(days=1)
        visits = visits.filter(started_at__lt=local_start(day_after))
    if data.get("payment_method"):
        visits = visits.filter(payment_method=data["payment_method"])
    if data.get("unpaid"):
        visits = visits.filter(paid=False)
    return visits


def for_rows(visits):
    """The visits, newest first, with what their rows show: her, and the services, products
    and photos of each as lists (`service_list`, `product_list`, `photo_list`)."""
    return (
        visits.order_by("-started_at")
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=VisitService.objects.order_by("position"),
                to_attr="service_list",
            ),
            Prefetch(
                "products",
                queryset=VisitProduct.objects.select_related("product"),
                to_attr="product_list",
            ),
            Prefetch("photos", to_attr="photo_list"),
        )
    )


def visit_rows(visits):
    """The visits of a page (read by `for_rows`) with what visits/visit_rows.html writes of
    each, made once here: `url`, `lines` (its services), `uses` (the products used), `thumbs`
    (its first photos: thumbnail URL and kind) and `payment_label`."""
    url, thumbnail_url = page_urls("visits:detail"), page_urls("gallery:thumbnail")
    payments = dict(Visit.Payment.choices)
    for visit in visits:
        visit.url = url(visit.pk)
        visit.lines = [line.name for line in visit.service_list]
        visit.uses = [str(use.product) for use in visit.product_list]
        visit.thumbs = [
            (thumbnail_url(photo.pk), photo.get_kind_display())
            for photo in visit.photo_list[:THUMBS_SHOWN]
        ]
        visit.payment_label = payments.get(visit.payment_method, visit.payment_method)
    return visits


def filter_values(form):
    """Each filter as its input shows it (what its widget would write in `value`), "" for
    none: the list writes its filter inputs by hand rather than rendering a widget each."""
    values = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            values[name] = field.widget.check_test(value)
        elif isinstance(field.widget, forms.Select):
            values[name] = "" if value is None else str(value)
        else:
            value = field.widget.format_value(value)
            values[name] = "" if value is None else value
    return values


@account_required
def visit_list(request):
    form = VisitFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply; an invalid one shows its error
        data = form.cleaned_data
    visits = filter_visits(Visit.objects.all(), data, default_month=True)
    if (data.get("q") or "").strip() and not data["q"].strip().isdigit():
        visits = Visit.objects.filter(pk__in=visits.values("pk"))  # the search's joins, once
    # The totals and the split by payment method from one grouped aggregate.
    by_payment = list(
        visits.order_by()
        .values("payment_method")
        .annotate(count=Count("pk"), revenue=Sum("total"))
        .order_by("-revenue")
    )
    totals = {
        "count": sum(row["count"] for row in by_payment),
        "revenue": sum((row["revenue"] or 0 for row in by_payment), 0),
    }
    labels = dict(Visit.Payment.choices)
    paginator = Paginator(for_rows(visits), PAGE_SIZE)
    paginator.count = totals["count"]  # counted by the totals already: not once more
    page = paginator.get_page(request.GET.get("page"))
    rows = visit_rows(page.object_list) if totals["count"] else []
    month = shown_month(data)
    context = {
        "form": form,
        "filter_values": filter_values(form),
        "page": page,
        "rows": rows,
        "totals": totals,
        "by_payment": [{**row, "label": labels[row["payment_method"]]} for row in by_payment],
        "export_form": TableFormatForm(auto_id="export_%s") if totals["count"] else None,
        "month": month,
        "previous_month": add_months(month, -1) if month else None,
        "next_month": add_months(month, 1) if month else None,
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
    long_list = in_the_worker(request, "visits", visits.count(), query, file_format)
    if long_list:
        return long_list
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
    consent = client.has_consent(ConsentEvent.Kind.HEALTH)
    context = {"client": client, "form": form, "health_consent": consent}
    return render(request, "visits/reaction_form.html", context)


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
        health.add_allergens(form.cleaned_data["allergens"])
        health.save(update_fields=["allergen_ids", "updated_at"])
        messages.success(request, _("Her allergies are updated."))
        return redirect(f"{client.get_absolute_url()}#health")
    if consent:
        log_health_view(request, client)  # her symptoms and suspected products
    context = {"reaction": reaction, "client": client, "form": form, "health_consent": consent}
    return render(request, "visits/reaction_detail.html", context)
