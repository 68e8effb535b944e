"""Visits: what was done for a client, with which products, for how much; and reactions."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Max, Q, Sum, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from catalog.models import Product, Service
from clients.models import Client, ConsentEvent
from nailpro.crypto import EncryptedJSONField, EncryptedTextField
from nailpro.models import AccountOwned

from . import figures


class VisitQuerySet(models.QuerySet):
    def for_history(self):
        """Newest first, with what the history shows of each visit."""
        return self.order_by("-started_at").prefetch_related(
            models.Prefetch("services", queryset=VisitService.objects.order_by("position")),
            models.Prefetch("products", queryset=VisitProduct.objects.select_related("product")),
            "photos",  # the gallery, built on top of visits: a reverse relation
        )

    def card_history(self, size, favourites=3):
        """Her newest `size` visits as the client card shows them, and her `favourites`
        services most often done ([{"name", "times"}], most frequent first), in two queries.

        On each visit: `lines` (its services' names, in order), `uses` (the products used)
        and, weighed over all her visits by the database, `spent_30_days` and
        `spent_12_months` (None without a visit in that time)."""
        now = timezone.now()
        visits = list(
            self.order_by("-started_at")
            .defer("chart_snapshot", "allergy_warning")  # health facts the card does not show
            .annotate(
                spent_30_days=_spent_since(now - datetime.timedelta(days=30)),
                spent_12_months=_spent_since(now - datetime.timedelta(days=365)),
            )[:size]
        )
        for visit in visits:
            visit.lines, visit.uses = [], []
        by_id = {visit.pk: visit for visit in visits}
        if not by_id:
            return visits, []
        # One query, three kinds of rows: (visit, position, name, "", "") for a service of a
        # visit shown, (visit, None, brand, name, shade) for a product, (None, times, name,
        # "", "") for a service over all her visits.
        no_visit = Value(None, output_field=models.UUIDField())
        no_position = Value(None, output_field=models.IntegerField())
        services = (
            VisitService.objects.filter(visit_id__in=by_id)
            .order_by()
            .values_list("visit_id", "position", "name", Value(""), Value(""))
        )
        products = (
            VisitProduct.objects.filter(visit_id__in=by_id)
            .order_by()
            .values_list(
                "visit_id", no_position, "product__brand", "product__name", "product__shade"
            )
        )
        counted = (
            VisitService.objects.filter(visit__in=self.order_by())
            .order_by()
            .values("name")
            .annotate(times=Count("pk"))
            .values_list(no_visit, "times", "name", Value(""), Value(""))
        )
        times = []
        for visit_id, number, *names in sorted(
            services.union(products, counted, all=True),
            key=lambda row: (row[1] is None, row[1] or 0),
        ):
            if visit_id is None:
                times.append((names[0], number))
            elif number is None:
                by_id[visit_id].uses.append(" ".join(part for part in names if part))
            else:
                by_id[visit_id].lines.append(names[0])
        times.sort(key=lambda item: (-item[1], item[0]))
        return visits, [{"name": name, "times": n} for name, n in times[:favourites]]


def _spent_since(moment):
    """What all her visits since `moment` came to, on each of her rows (a window over all)."""
    return models.Window(Sum(models.Case(models.When(started_at__gte=moment, then="total"))))


class Visit(AccountOwned):
    class Payment(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Card")
        TRANSFER = "transfer", _("Bank transfer")
        CHEQUE = "cheque", _("Cheque")
        VOUCHER = "voucher", _("Voucher")
        FREE = "free", _("Free of charge")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="visits", verbose_name=_("client")
    )
    number = models.PositiveIntegerField(_("visit number"), editable=False)
    started_at = models.DateTimeField(_("date and time"), default=timezone.now)
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(1)]
    )
    total = models.DecimalField(
        _("total"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    payment_method = models.CharField(
        _("payment method"), max_length=12, choices=Payment.choices, default=Payment.CARD
    )
    paid = models.BooleanField(_("paid"), default=True)
    technique_notes = models.TextField(
        _("technique notes"), blank=True, help_text=_("Colour mix, technique, what to redo…")
    )
    # Health facts (her nails' conditions, her allergies): encrypted at rest, shown only under
    # her health consent, erased when she withdraws it (visits.privacy).
    chart_snapshot = EncryptedJSONField(_("hand chart at this visit"), default=dict, blank=True)
    allergy_warning = EncryptedTextField(_("allergy warning"), blank=True, editable=False)
    allergy_confirmed = models.BooleanField(
        _("used despite an allergy warning"), default=False, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(
        account="account", _manager_class=models.Manager.from_queryset(VisitQuerySet)
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "number"], name="visit_number_per_account")
        ]
        indexes = [
            # Holding the total and the payment method, the month's and the year's figures
            # (dashboard, visits list) are read from the index alone on PostgreSQL.
            models.Index(
                fields=["account", "started_at"],
                include=["total", "payment_method"],
                name="visit_account_date",
            ),
            # The dashboard's unpaid block reads the few unpaid visits, not every visit.
            models.Index(fields=["account"], condition=Q(paid=False), name="visit_account_unpaid"),
        ]

    def __str__(self):
        return _("Visit no. %(number)s") % {"number": self.number}

    @classmethod
    def from_db(cls, db, field_names, values):
        visit = super().from_db(db, field_names, values)
        visit._loaded_client_id = visit.__dict__.get("client_id")
        return visit

    def save(self, *args, **kwargs):
        # Her kept figures change with the visit, in the same transaction (visits.figures).
        with transaction.atomic():
            # Lock the account row: numbers follow each other without gaps or twins, and the
            # account's kept days are weighed one change after the other.
            time_zone = figures.lock_account(self.account_id)
            stored_at = None
            if self._state.adding:
                last = Visit._base_manager.filter(account_id=self.account_id).aggregate(
                    last=Max("number")
                )["last"]
                self.number = (last or 0) + 1
            else:
                stored_at = figures.stored_started_at(self.pk)
            super().save(*args, **kwargs)
            figures.refresh(self.client_id, getattr(self, "_loaded_client_id", None))
            figures.refresh_days(self.account_id, time_zone, self.started_at, stored_at)
        self._loaded_client_id = self.client_id

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            figures.lock_account(self.account_id)
            # Its day as stored (this object may be older than the row); visits.figures'
            # post_delete receiver refreshes that day.
            self._stored_started_at = figures.stored_started_at(self.pk)
            result = super().delete(*args, **kwargs)
            figures.refresh(self.client_id)
        return result

    def get_absolute_url(self):
        return reverse("visits:detail", kwargs={"visit_id": self.pk})

    @property
    def ends_at(self):
        return self.started_at + datetime.timedelta(minutes=self.duration)

    @property
    def services_total(self):
        return sum((line.price for line in self.services.all()), Decimal("0"))

    @property
    def discount(self):
        return max(self.services_total - self.total, Decimal("0"))

    def rebook_after_weeks(self):
        """Weeks until she should come back: the quickest cadence of the services done, else
        the account's usual time between visits."""
        cadences = [
            line.service.rebook_after_weeks
            for line in self.services.all()
            if line.service is not None and line.service.rebook_after_weeks
        ]
        return min(cadences, default=self.account.rebook_after_weeks)

    def allergy_conflicts(self, products):
        """Return [(product, allergen)] for each of these products' allergens she is known to
        have (none known without her health consent)."""
        known = set(self.client.known_allergens())
        return [
            (product, allergen)
            for product in products
            for allergen in product.allergens.all()
            if allergen in known
        ]

    def check_allergies(self, products, *, confirmed):
        """Check the products used against her known allergies and keep the warning with the
        visit; refuse them (code "allergy_unconfirmed") unless she has confirmed with her."""
        conflicts = self.allergy_conflicts(products)
        self.allergy_warning = "; ".join(
            f"{product} : {allergen.name}" for product, allergen in conflicts
        )
        self.allergy_confirmed = bool(conflicts)
        if conflicts and not confirmed:
            raise ValidationError(
                _("Allergy: %(conflicts)s. Check with her, then confirm to save."),
                code="allergy_unconfirmed",
                params={"conflicts": self.allergy_warning},
            )
        return self.allergy_warning


class ClientFigures(AccountOwned):
    """Her figures from her visits, kept on write by visits.figures (never edited by hand)."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="figures", verbose_name=_("client")
    )
    first_visit_at = models.DateTimeField(_("first visit"))
    last_visit_at = models.DateTimeField(_("last visit"))
    visit_count = models.PositiveIntegerField(_("visits"))
    total_spent = models.DecimalField(_("total spent"), max_digits=12, decimal_places=2)
    # Days between two visits on average; None after a single visit (the account's setting
    # applies then, read when the list is read so that changing it takes effect at once).
    interval_days = models.PositiveIntegerField(_("usual interval (days)"), null=True)
    due_at = models.DateTimeField(_("due again"), null=True)
    # Neither blacklisted nor erased (visits.figures.listed): the clients the dashboard counts.
    listed = models.BooleanField(default=True, editable=False)
    # Her visits still due and their total: the dashboard adds them up with its other counts.
    unpaid_count = models.PositiveIntegerField(_("unpaid visits"), default=0)
    unpaid_total = models.DecimalField(
        _("still due"), max_digits=12, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("client figures")
        verbose_name_plural = _("client figures")
        indexes = [
            models.Index(fields=["account", "last_visit_at"], name="figures_account_last"),
            models.Index(fields=["account", "due_at"], name="figures_account_due"),
            # "To book again" reads the clients of a single visit (no interval yet) by their
            # last visit: this index keeps them apart from the others (business.client_lists).
            models.Index(
                fields=["account", "last_visit_at"],
                condition=Q(interval_days__isnull=True),
                name="figures_account_single_last",
            ),
        ]

    def __str__(self):
        return str(self.client_id)


class DayFigures(AccountOwned):
    """The visits and revenue of one day of the account, kept on write by visits.figures.

    The day is local to `time_zone` (the account's when written): the dashboard's month and
    its 12-month chart add up at most a year of these rows instead of every visit.
    """

    day = models.DateField(_("date"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    visit_count = models.PositiveIntegerField(_("visits"))
    revenue = models.DecimalField(_("Revenue"), max_digits=14, decimal_places=2)

    class Meta:
        # The revenue of one day (its visits with it).
        verbose_name = _("Revenue")
        verbose_name_plural = _("Revenue")
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="day_figures_account_day")
        ]

    def __str__(self):
        return f"{self.day} ({self.time_zone})"


class VisitService(AccountOwned):
    """A service done at a visit: its name and price as they were that day."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(_("service"), max_length=120)
    price = models.DecimalField(
        _("price"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("service done")
        verbose_name_plural = _("services done")
        ordering = ["position"]

    def __str__(self):
        return self.name


class VisitProduct(AccountOwned):
    """A product used at a visit, with the batch (lot) number to trace a reaction to a bottle."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    batch_number = models.CharField(_("batch number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("product used")
        verbose_name_plural = _("products used")

    def __str__(self):
        return str(self.product)


class Reaction(AccountOwned):
    """A reaction she had, and the products of her past visits suspected of causing it."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("client")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    symptoms = EncryptedTextField(_("symptoms"))  # health data, under her consent
    suspected_products = models.ManyToManyField(
        Product, blank=True, related_name="+", verbose_name=_("suspected products")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return _("Reaction of %(date)s") % {"date": self.date}

    def clean(self):
        super().clean()
        if self.client_id and not self.client.has_consent(ConsentEvent.Kind.HEALTH):
            raise ValidationError(
                _(
                    "A reaction is health data: record her health-data consent first. "
                    "Nothing was saved."
                ),
                code="no_health_consent",
            )
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": ValidationError(_("This date is in the future."), code="future_date")}
            )
