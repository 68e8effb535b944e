from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from catalog.models import Allergen, Product, Service
from clients.models import ConsentEvent, HealthProfile, NailState
from nailpro.clock import minutes_between
from nailpro.forms import AccountFormMixin
from nailpro.inputs import DateInput, DateTimeInput

from .models import Reaction, Visit, VisitProduct, VisitService


class VisitForm(AccountFormMixin, forms.ModelForm):
    """A visit: the services done (catalog prices, editable), the products used (with batch
    numbers), the total, the payment; and the allergy check of the chosen products."""

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

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, account=client.account, **kwargs)
        self.client = self.instance.client = client
        self.fields["total"].required = False
        self.fields["total"].help_text = _(
            "Left empty: the sum of the services. Lower it for a discount."
        )
        self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        if not self.instance._state.adding:
            self.fields["ends_at"].initial = timezone.localtime(self.instance.ends_at).time()
        editing = not self.instance._state.adding
        lines = {line.service_id: line for line in self.instance.services.all()} if editing else {}
        used = {use.product_id: use for use in self.instance.products.all()} if editing else {}

        self.service_rows = []
        for service in Service.objects.filter(account=self.account).filter(
            Q(archived=False) | Q(pk__in=list(lines))
        ):
            line = lines.get(service.pk)
            chosen, price = f"service_{service.pk}", f"price_{service.pk}"
            self.fields[chosen] = forms.BooleanField(
                label=service.name, required=False, initial=line is not None
            )
            self.fields[price] = forms.DecimalField(
                label=_("Price of %(service)s") % {"service": service.name},
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=2,
                initial=line.price if line else service.price,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.service_rows.append((service, self[chosen], self[price]))

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
        self._refuse_foreign_items()
        self.chosen_services = [
            (service, cleaned.get(f"price_{service.pk}"))
            for service, _chosen, _price in self.service_rows
            if cleaned.get(f"service_{service.pk}")
        ]
        self.chosen_products = [
            (product, cleaned.get(f"batch_{product.pk}", ""))
            for product, _chosen, _batch in self.product_rows
            if cleaned.get(f"product_{product.pk}")
        ]
        if not self.chosen_services:
            self.add_error(
                None, forms.ValidationError(_("Choose at least one service."), code="no_service")
            )
        for service, price in self.chosen_services:
            if price is None:
                self.add_error(
                    f"price_{service.pk}",
                    forms.ValidationError(_("Give the price of this service."), code="required"),
                )
        if cleaned.get("total") is None and self.chosen_services:
            cleaned["total"] = sum(
                (price or Decimal("0") for _s, price in self.chosen_services), Decimal("0")
            )
            self.instance.total = cleaned["total"]
        self._check_times(cleaned)
        self._check_allergies(cleaned)
        return cleaned

    def _refuse_foreign_items(self):
        """An id in the POST that is not one of her own services or products is refused."""
        for key in self.data:
            prefix, _sep, _rest = key.partition("_")
            if prefix in ("service", "product", "price", "batch") and key not in self.fields:
                raise forms.ValidationError(
                    _("This service or product is not in your catalog."), code="unknown_item"
                )

    def _check_times(self, cleaned):
        start, end = cleaned.get("started_at"), cleaned.get("ends_at")
        if not (start and end):
            return
        local_start = timezone.localtime(start)
        end_at = local_start.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
        if end_at <= local_start:
            self.add_error(
                "ends_at",
                forms.ValidationError(
                    _("The end comes before the start."), code="end_before_start"
                ),
            )
            return
        self.instance.duration = minutes_between(local_start, end_at)

    def client_allergens(self):
        """Her allergens, or an empty set when she has not consented to health data."""
        if not self.client.has_consent(ConsentEvent.Kind.HEALTH):
            return set()
        health = HealthProfile.objects.filter(client=self.client).first()
        return set(health.allergens.all()) if health else set()

    def _check_allergies(self, cleaned):
        allergens = self.client_allergens()
        self.allergy_conflicts = [
            (product, allergen)
            for product, _batch in getattr(self, "chosen_products", [])
            for allergen in product.allergens.all()
            if allergen in allergens
        ]
        if not self.allergy_conflicts:
            self.instance.allergy_warning = ""
            self.instance.allergy_confirmed = False
            return
        warning = "; ".join(
            f"{product} : {allergen.name}" for product, allergen in self.allergy_conflicts
        )
        if not cleaned.get("confirm_allergy"):
            self.add_error(
                None,
                forms.ValidationError(
                    _("Allergy: %(conflicts)s. Check with her, then confirm to save."),
                    code="allergy",
                    params={"conflicts": warning},
                ),
            )
        self.instance.allergy_warning = warning
        self.instance.allergy_confirmed = True

    @transaction.atomic
    def save(self):
        visit = super().save()
        visit.services.all().delete()
        visit.products.all().delete()
        VisitService.objects.bulk_create(
            VisitService(
                account=visit.account,
                visit=visit,
                service=service,
                name=service.name,
                price=price,
                position=position,
            )
            for position, (service, price) in enumerate(self.chosen_services)
        )
        VisitProduct.objects.bulk_create(
            VisitProduct(account=visit.account, visit=visit, product=product, batch_number=batch)
            for product, batch in self.chosen_products
        )
        if not visit.chart_snapshot:
            visit.chart_snapshot = chart_of(self.client)
            visit.save(update_fields=["chart_snapshot"])
        return visit


def chart_of(client):
    """Her hand chart as it is now, to keep with the visit."""
    return {
        nail.finger: {"length": nail.length, "condition": nail.condition, "remarks": nail.remarks}
        for nail in NailState.objects.filter(client=client)
        if not nail.is_blank
    }


class VisitFilterForm(forms.Form):
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


class AllergensFromReactionForm(forms.Form):
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
