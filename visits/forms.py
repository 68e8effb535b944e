from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from catalog.forms import LONGEST_LINE, ServiceLinesMixin, service_lines_of
from catalog.models import Allergen, Product
from clients.models import ConsentEvent, NailState
from nailpro.clock import duration_until
from nailpro.forms import AccountFormMixin, CleanTextMixin
from nailpro.inputs import DateInput, DateTimeInput, MonthInput
from nailpro.text import fold

from .models import Reaction, Visit, VisitProduct

FOUND_PRODUCTS = 20  # rows a product search shows: a few taps, never the whole catalog


@dataclass
class ProductRow:
    """A product in the picker: its box, its batch number, and the allergens she shares with it."""

    product: Product
    chosen: forms.BoundField
    batch: forms.BoundField
    shared: list

    @property
    def shared_names(self):
        return ", ".join(allergen.short_name for allergen in self.shared)

    def __iter__(self):  # (product, chosen, batch), as the rows were before
        return iter((self.product, self.chosen, self.batch))


class VisitForm(ServiceLinesMixin, AccountFormMixin, forms.ModelForm):
    """A visit: the services done (catalog prices, editable), the products used (with batch
    numbers), the total, the payment; the visit's allergy check shown, confirmed if need be."""

    item_prefixes = ("service", "price", "product", "batch")

    ends_at = forms.TimeField(
        label=_("End time"),
        required=False,
        help_text=_("Left empty: the services' durations added up."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    confirm_allergy = forms.BooleanField(
        label=_("I have checked with her: use these products anyway"), required=False
    )

    class Meta:
        model = Visit
        fields = ["started_at", "payment_method", "paid", "total", "technique_notes"]
        widgets = {
            "started_at": DateTimeInput(),
            "technique_notes": forms.Textarea(attrs={"rows": 3}),
            "total": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        }

    def __init__(self, *args, client, services=None, known_allergens=None, **kwargs):
        """`services` proposes lines ({service id: line}) for a new visit; `known_allergens`
        (her allergens, as `client.known_allergens()` gives them) flags the products."""
        super().__init__(*args, account=client.account, **kwargs)
        self.client = self.instance.client = client
        self.fields["total"].required = False
        self.fields["total"].help_text = _(
            "Left empty: the sum of the services. Lower it for a discount."
        )
        self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        editing = not self.instance._state.adding
        if editing:
            self.fields["ends_at"].initial = timezone.localtime(self.instance.ends_at).time()
        self.add_service_rows(service_lines_of(self.instance) if editing else services or {})
        for row in self.service_rows:  # what the running total and end time add up
            row.chosen.field.widget.attrs.update(
                {"data-duration": row.service.duration, "data-price-input": row.price.auto_id}
            )
        used = {use.product_id: use for use in self.instance.products.all()} if editing else {}

        known = client.known_allergens() if known_allergens is None else known_allergens
        self.known_allergens = known
        self.product_rows = []
        products = Product.objects.filter(account=self.account).filter(
            Q(archived=False) | Q(pk__in=list(used))
        )
        self.products = {product.pk: product for product in products.prefetch_related("allergens")}
        for product in self.products.values():
            use = used.get(product.pk)
            chosen, batch = f"product_{product.pk}", f"batch_{product.pk}"
            self.fields[chosen] = forms.BooleanField(
                label=str(product), required=False, initial=use is not None
            )
            self.fields[batch] = forms.CharField(
                label=_("Batch number of %(product)s") % {"product": product},
                required=False,
                max_length=60,
                initial=use.batch_number if use else "",
                widget=forms.TextInput(attrs={"placeholder": _("Batch no. (optional)")}),
            )
            shared = [allergen for allergen in product.allergens.all() if allergen in known]
            self.product_rows.append(ProductRow(product, self[chosen], self[batch], shared))
        self.allergy_conflicts = []

    @property
    def service_groups(self):
        """The services grouped by category ("" for those without), categories in order, the
        ones without one last."""
        groups = {}
        for row in self.service_rows:
            groups.setdefault(row.service.category.strip(), []).append(row)
        return sorted(groups.items(), key=lambda group: (not group[0], group[0].casefold()))

    def is_chosen(self, row):
        """Whether the product is ticked: in what was sent, else on the visit."""
        if self.is_bound:
            return row.chosen.field.widget.value_from_datadict(
                self.data, self.files, row.chosen.html_name
            )
        return bool(row.chosen.initial)

    @property
    def chosen_rows(self):
        """The products ticked, shown above the search."""
        return [row for row in self.product_rows if self.is_chosen(row)]

    def found_rows(self, text, *, besides=()):
        """The products (not yet ticked, nor among `besides`) whose brand, name or shade hold
        every word typed."""
        tokens = fold(text or "").split()
        if not tokens:
            return []
        skipped = {row.product.pk for row in besides}
        return [
            row
            for row in self.product_rows
            if not row.product.archived
            and all(token in row.product.search_text for token in tokens)
            and not self.is_chosen(row)
            and row.product.pk not in skipped
        ][:FOUND_PRODUCTS]

    def rows_of(self, products):
        """The picker rows of these products (the last visit's, as suggestions)."""
        wanted = {product.pk for product in products}
        return [
            row
            for row in self.product_rows
            if row.product.pk in wanted and not row.product.archived and not self.is_chosen(row)
        ]

    @property
    def services_total(self):
        """The sum of the ticked services' prices as they stand on the form (the running total
        a page without JavaScript shows)."""
        total = Decimal("0")
        for row in self.service_rows:
            ticked = (
                row.chosen.field.widget.value_from_datadict(
                    self.data, self.files, row.chosen.html_name
                )
                if self.is_bound
                else row.chosen.initial
            )
            if not ticked:
                continue
            value = row.price.value()
            try:
                total += Decimal(str(value)) if value not in (None, "") else Decimal("0")
            except ArithmeticError:
                continue
        return total

    @property
    def running_figures(self):
        """The total shown in the bar: the one typed, else the services' sum; and the discount
        when she lowered it."""
        services = self.services_total
        value = self["total"].value()
        try:
            total = Decimal(str(value)) if value not in (None, "") else None
        except ArithmeticError:
            total = None
        if total is None or not total.is_finite():
            return {"total": services, "discount": Decimal("0")}
        return {"total": total, "discount": max(services - total, Decimal("0"))}

    def clean(self):
        cleaned = super().clean()
        lines = self.clean_service_lines(cleaned)
        self.chosen_products = [
            (product, cleaned.get(f"batch_{product.pk}", ""))
            for product, _chosen, _batch in self.product_rows
            if cleaned.get(f"product_{product.pk}")
        ]
        if cleaned.get("total") is None and lines:
            cleaned["total"] = sum((line.price or Decimal("0") for line in lines), Decimal("0"))
            self.instance.total = cleaned["total"]
        start, end = cleaned.get("started_at"), cleaned.get("ends_at")
        if start and end:
            try:
                self.instance.duration = duration_until(start, end)
            except forms.ValidationError as error:
                self.add_error("ends_at", error)
        elif lines:  # left empty: the services' usual durations, added up
            minutes = sum(line.service.duration or 0 for line in lines)
            self.instance.duration = min(max(minutes, 5), LONGEST_LINE)
        products = [product for product, _batch in self.chosen_products]
        try:
            self.instance.check_allergies(products, confirmed=cleaned.get("confirm_allergy"))
        except forms.ValidationError as error:
            self.allergy_conflicts = self.instance.allergy_conflicts(products)
            self.add_error(None, error)
        return cleaned

    @transaction.atomic
    def save(self):
        visit = super().save()
        self.save_service_lines(visit.services)
        visit.products.all().delete()
        VisitProduct.objects.bulk_create(
            VisitProduct(account=visit.account, visit=visit, product=product, batch_number=batch)
            for product, batch in self.chosen_products
        )
        if not visit.chart_snapshot:
            visit.chart_snapshot = chart_of(self.client)
            visit.save(update_fields=["chart_snapshot"])
        return visit


def chart_of(client):
    """Her hand chart as it is now, to keep with the visit (a medical condition only under her
    health consent)."""
    consent = client.has_consent(ConsentEvent.Kind.HEALTH)
    return {
        nail.finger: {
            "length": nail.length,
            "condition": NailState.shown_condition(nail.condition, consent=consent),
            "remarks": nail.remarks,
        }
        for nail in NailState.objects.filter(client=client)
        if not nail.is_blank
    }


class VisitFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Client, service, product or number"), required=False)
    # The list shows one month at a time (this one unless she picks another, or gives dates, a
    # client, a visit number or "unpaid only"): its totals stay a month's, not her history's.
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput,
        help_text=_("Year and month, e.g. 2026-12."),
    )
    client = forms.UUIDField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    payment_method = forms.ChoiceField(
        label=_("Payment method"), choices=[("", _("Any")), *Visit.Payment.choices], required=False
    )
    unpaid = forms.BooleanField(label=_("Unpaid only"), required=False)


class ReactionForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Reaction
        fields = ["date", "symptoms", "suspected_products"]
        widgets = {
            "date": DateInput(),
            "symptoms": forms.Textarea(attrs={"rows": 3}),
            "suspected_products": forms.CheckboxSelectMultiple,
        }
        field_classes = {"suspected_products": SafeModelMultipleChoiceField}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, account=client.account, **kwargs)
        self.instance.client = client
        # The products of her past visits, newest use first.
        used = VisitProduct.objects.filter(visit__client=client).values("product")
        self.fields["suspected_products"].queryset = Product.objects.filter(pk__in=used)


class AllergensFromReactionForm(CleanTextMixin, forms.Form):
    allergens = forms.ModelMultipleChoiceField(
        label=_("Allergens to add to her allergies"),
        queryset=Allergen.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reaction, **kwargs):
        super().__init__(*args, **kwargs)
        proposed = Allergen.objects.filter(pk__in=reaction.suspected_products.values("allergens"))
        self.fields["allergens"].queryset = proposed
        self.fields["allergens"].initial = [allergen.pk for allergen in proposed]
