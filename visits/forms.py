from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from catalog.forms import ServiceLinesMixin, service_lines_of
from catalog.models import Allergen, Product
from clients.models import ConsentEvent, NailState
from nailpro.clock import duration_until
from nailpro.forms import AccountFormMixin, CleanTextMixin
from nailpro.inputs import DateInput, DateTimeInput

from .models import Reaction, Visit, VisitProduct


class VisitForm(ServiceLinesMixin, AccountFormMixin, forms.ModelForm):
    """A visit: the services done (catalog prices, editable), the products used (with batch
    numbers), the total, the payment; the visit's allergy check shown, confirmed if need be."""

    item_prefixes = ("service", "price", "product", "batch")

    ends_at = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
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

    def __init__(self, *args, client, services=None, **kwargs):
        """`services` proposes lines ({service id: line}) for a new visit."""
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
        used = {use.product_id: use for use in self.instance.products.all()} if editing else {}

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
            self.product_rows.append((product, self[chosen], self[batch]))
        self.allergy_conflicts = []

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
