"""Her visits as a long list for the worker (clients.list_export): past
VISIT_EXPORT_IMMEDIATE_MAX visits (5,000 by default), the export is built in the background."""

from django.utils.translation import gettext_lazy as _

from clients.list_export import ListKind, register_list

from .exports import visit_table
from .forms import VisitFilterForm
from .models import Visit


def filtered_visits(query):
    """Return the visits as the list page's filters (a QueryDict) select them."""
    from .views import filter_visits  # the list page's own filtering, kept in one place

    form = VisitFilterForm(query)
    form.is_valid()
    return Visit.objects.filter(
        pk__in=filter_visits(Visit.objects.all(), form.cleaned_data).values("pk")
    )


def _ids(account, query):
    # The order visit_table uses, so that chunks put end to end keep it.
    return filtered_visits(query).order_by("started_at", "number")


def _table(account, ids, export):
    return visit_table(Visit.objects.filter(pk__in=ids), account=account)


def register():
    register_list(
        "visits",
        ListKind(
            title=_("Visits"),
            label=_("visits"),
            back="visits:list",
            setting="VISIT_EXPORT_IMMEDIATE_MAX",
            default_max=5_000,
            ids=_ids,
            table=_table,
        ),
    )
