"""The visits list as a table, for her accountant or her own spreadsheet."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clients.exports import phone_text

from .models import Visit, VisitProduct, VisitService


def _label(name):
    return capfirst(Visit._meta.get_field(name).verbose_name)


def visit_table(visits, *, account):
    """Return (headers, rows) for the given visits, oldest first, in a fixed number of queries."""
    visits = (
        visits.select_related("client")
        .prefetch_related(
            Prefetch("services", queryset=VisitService.objects.order_by("position")),
            Prefetch("products", queryset=VisitProduct.objects.select_related("product")),
        )
        .order_by("started_at", "number")
    )
    headers = [
        _label("number"),
        _label("started_at"),
        _("Client"),
        _("Phone"),
        _("Services"),
        _("Products (batch)"),
        _label("duration"),
        _label("total"),
        _("Currency"),
        _label("payment_method"),
        _label("paid"),
        _label("technique_notes"),
    ]
    rows = [
        [
            visit.number,
            timezone.localtime(visit.started_at),
            visit.client.display_name,
            phone_text(visit.client.phone, account.phone_region),
            ", ".join(line.name for line in visit.services.all()),
            ", ".join(_product(use) for use in visit.products.all()),
            visit.duration,
            visit.total,
            account.currency,
            visit.get_payment_method_display(),
            visit.paid,
            visit.technique_notes,
        ]
        for visit in visits
    ]
    return headers, rows


def _product(use):
    return f"{use.product} ({use.batch_number})" if use.batch_number else str(use.product)
