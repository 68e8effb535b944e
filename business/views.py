"""Pages of her business as a whole: the dashboard and its lists, the account page, its
export, deletion and retention review."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from agenda.models import local_midnight
from billing import stripe_sync
from clients.models import Client
from gallery.models import Photo
from nailpro.decorators import account_required
from nailpro.files import serve_stored_file
from nailpro.forms import AccountDeleteForm, AccountSettingsForm
from nailpro.links import maps_url, route_url
from nailpro.messaging import sms_enabled
from nailpro.models import SmsSent
from visits.models import Visit

from . import client_lists
from . import dashboard as dashboard_blocks
from .account_export import account_exports_purge, stored_file_names
from .booking_requests import booking_requests_block
from .models import AccountExport
from .retention import describe_cutoff, inactive_clients, inactive_erase
from .services import account_delete as account_delete_service
from .services import account_export_start, account_export_watch


@login_required
def dashboard(request):
    """Her day, and who to call: one screen on a phone, each block leading to its list."""
    account = request.account
    if account is None:
        return render(request, "business/dashboard.html", {})
    today, now = timezone.localdate(), timezone.now()
    appointments, next_one = dashboard_blocks.day_appointments(account, today, now)
    counts = dashboard_blocks.dashboard_counts(account, now)
    new_clients = dashboard_blocks.new_this_month(today)
    birthdays = dashboard_blocks.birthdays(account, today)
    shown_birthdays = birthdays[: dashboard_blocks.BIRTHDAYS_SHOWN]
    # The heads of the full lists: their first page, as short as the block.
    rebook = client_lists.rebook_page(account, now, 1, dashboard_blocks.SHOWN).object_list
    lapsed = client_lists.lapsed_page(account, now, 1, dashboard_blocks.SHOWN).object_list
    # The kept days of the chart's 12 months, last month's and this one's among them.
    days = dashboard_blocks.VisitDays(
        dashboard_blocks.chart_start(today),
        dashboard_blocks.add_months(dashboard_blocks.month_start(today), 1),
    )
    month = dashboard_blocks.month_figures(today, now=now, days=days)
    context = {
        "today": today,
        "today_appointments": appointments,
        "next_appointment": next_one,
        "next_maps_url": maps_url(next_one.address) if next_one and next_one.address else "",
        "route_url": route_url([a.address for a in appointments], account.address),
        "birthdays": dashboard_blocks.with_greetings(shown_birthdays, account),
        "birthday_count": len(birthdays),
        "rebook": dashboard_blocks.describe_rebook(rebook),
        "rebook_count": counts["rebook"],
        "lapsed": dashboard_blocks.describe_lapsed(lapsed),
        "lapsed_count": counts["lapsed"],
        "new_clients": dashboard_blocks.with_links(
            list(
                new_clients.only(*dashboard_blocks.CLIENT_SHOWN).order_by("-created_at")[
                    : dashboard_blocks.SHOWN
                ]
            )
        ),
        "new_clients_count": new_clients.count(),
        "month": month,
        "bars": dashboard_blocks.label_bars(
            dashboard_blocks.revenue_by_month(today, days=days), account.currency
        ),
        "chart": {"width": dashboard_blocks.CHART_WIDTH, "height": dashboard_blocks.CHART_HEIGHT},
        "bar_width": dashboard_blocks.CHART_WIDTH / 12 - dashboard_blocks.BAR_GAP,
        "unpaid": counts["unpaid"],
        **booking_requests_block(),
        "reschedule_requests": dashboard_blocks.reschedule_requests(),
    }
    # A block showing a client says she has some; else the database says whether she has any.
    context["has_clients"] = (
        bool(
            appointments
            or birthdays
            or counts["rebook"]
            or counts["lapsed"]
            or context["new_clients"]
            or context["reschedule_requests"]
        )
        or Client.objects.exists()
    )
    return render(request, "business/dashboard.html", context)


@login_required
def account_settings(request):
    account = request.account
    if account is None:
        # A staff login without a business of its own: the admin is its place.
        return redirect("admin:index")
    form = AccountSettingsForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("account")
    context = {
        "form": form,
        "inactive_count": inactive_clients(account).count(),
        "export": AccountExport.objects.filter(account=account).first(),
        "sms_enabled": sms_enabled(),
        "sms_this_month": SmsSent.objects.filter(
            sent_at__gte=local_midnight(timezone.localdate().replace(day=1))
        ).count(),
    }
    return render(request, "business/account.html", context)


RETENTION_PAGE_SIZE = 50
LIST_PAGE_SIZE = 25  # the dashboard's full lists, as the client list


@account_required
def retention(request):
    """Clients nothing happened with for longer than she keeps them: to erase."""
    clients = inactive_clients(request.account)
    page = Paginator(clients, RETENTION_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "cutoff": describe_cutoff(request.account)}
    return render(request, "business/retention.html", context)


@account_required
def retention_erase(request):
    """Erase every client the retention page lists, after saying what goes."""
    if request.method == "POST":
        count = inactive_erase(account=request.account)
        messages.success(
            request,
            ngettext(
                "%(count)d client erased; her visits' accounting lines are kept, anonymised.",
                "%(count)d clients erased; their visits' accounting lines are kept, anonymised.",
                count,
            )
            % {"count": count},
        )
        return redirect("retention")
    context = {
        "count": inactive_clients(request.account).count(),
        "cutoff": describe_cutoff(request.account),
    }
    return render(request, "business/retention_confirm_erase.html", context)


@account_required
def account_export(request):
    """Start an export of the whole account; follow its progress; download it when ready."""
    if request.method == "POST":
        account_export_start(account=request.account, user=request.user)
        messages.success(
            request, _("Your export is being prepared. It stays on this page for 7 days.")
        )
        return redirect("account_export")
    account_exports_purge(account=request.account)
    export = AccountExport.objects.filter(account=request.account).first()
    context = {"export": export, **account_export_watch(export)}
    template = "business/account_export.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@account_required
@require_GET
def account_export_download(request, accountexport_id):
    export = get_object_or_404(
        AccountExport, pk=accountexport_id, status=AccountExport.Status.READY
    )
    if export.is_expired:
        raise Http404("Expired export")
    response = serve_stored_file(export.file)
    response["Content-Disposition"] = (
        f'attachment; filename="nailpro-{timezone.localdate(export.created_at):%Y-%m-%d}.zip"'
    )
    return response


@account_required
def account_delete(request):
    """Delete her account and everything in it, once she typed her password."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete_service(account=request.account)
        except stripe_sync.stripe.StripeError:
            form.add_error(
                None,
                _(
                    "Your subscription could not be cancelled at Stripe, so nothing was "
                    "deleted. Try again in a few minutes."
                ),
            )
        else:
            logout(request)
            messages.success(
                request, _("Your account and all its data are deleted. Goodbye, and thank you!")
            )
            return redirect("login")
    return render(
        request, "business/account_delete.html", {"form": form, "counts": _account_counts(request)}
    )


def _account_counts(request):
    """Count what deleting the account removes."""
    account = request.account
    return {
        "clients": Client.objects.filter(account=account).count(),
        "visits": Visit.objects.filter(account=account).count(),
        "photos": Photo.objects.filter(account=account).count()
        + Client.objects.filter(account=account).exclude(photo="").count(),
        "files": len(stored_file_names(account, include_exports=True)),
    }


@login_required
def privacy(request):
    """What NailPro stores about her clients, why, for how long; who is responsible."""
    return render(request, "business/privacy.html")


@login_required
@account_required
def rebook_list(request):
    """Every client due for a new appointment, most overdue first."""
    number = client_lists.page_number(request.GET.get("page"))
    page = client_lists.rebook_page(request.account, timezone.now(), number, LIST_PAGE_SIZE)
    return render(request, "business/rebook_list.html", {"page": page})


@login_required
@account_required
def lapsed_list(request):
    """Every client with no visit for three months, the most recently lost first."""
    number = client_lists.page_number(request.GET.get("page"))
    page = client_lists.lapsed_page(request.account, timezone.now(), number, LIST_PAGE_SIZE)
    return render(request, "business/lapsed_list.html", {"page": page})
