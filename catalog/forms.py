from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nailpro.forms import AccountFormMixin, CleanTextMixin

from .models import Allergen, Product, Service


class ServiceForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "category",
            "duration",
            "price",
            "rebook_after_weeks",
            "colour",
            "public",
        ]
        widgets = {
            "public": forms.CheckboxInput(attrs={"role": "switch"}),
            "duration": forms.NumberInput(attrs={"min": 5, "step": 5, "inputmode": "numeric"}),
            "rebook_after_weeks": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "price": forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }
        error_messages = {
            "duration": {"min_value": _("A service lasts at least 5 minutes.")},
            "price": {"min_value": _("The price cannot be negative.")},
        }


class ProductForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = ["brand", "name", "category", "shade", "allergens", "notes"]
        widgets = {
            "allergens": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "allergens": _("Read them on the label or the safety data sheet."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Keep allergens retired from the list on the products that already have them.
        current = [] if self.instance._state.adding else list(self.instance.allergens.all())
        self.fields["allergens"].queryset = Allergen.objects.filter(
            Q(is_active=True) | Q(pk__in=[allergen.pk for allergen in current])
        )


class ProductFilterForm(CleanTextMixin, forms.Form):
    """Search and category filter of the product list; both optional and forgiving."""

    q = forms.CharField(label=_("Brand, name or shade"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *Product.Category.choices],
        required=False,
    )


LONGEST_LINE = 16 * 60  # minutes: no service lasts longer than a working day


@dataclass
class ServiceRow:
    """One service of her catalog in a picker: the box to tick, its price and its duration."""

    service: Service
    chosen: forms.BoundField
    price: forms.BoundField
    duration: forms.BoundField | None = None


@dataclass
class ServiceLine:
    """A chosen service with the price (and the duration) agreed for this record."""

    service: Service
    price: Decimal | None
    duration: int | None = None


class ServiceLinesMixin:
    """The service picker of visits and appointments: a row per service of her catalog (the
    archived ones only where already on the record), each with a box, a price and, where
    `with_durations`, a duration; `service_lines` holds the chosen ones once cleaned."""

    with_durations = False
    # Fields named after an item of the catalog: one the form does not know is someone else's.
    item_prefixes = ("service", "price", "duration")

    def add_service_rows(self, proposed):
        """Add the rows; `proposed` maps service ids to the lines already on the record or
        suggested (ServiceLine, VisitService…), ticked and filled in with their price and
        duration."""
        catalog = Service.objects.filter(account=self.account).filter(
            Q(archived=False) | Q(pk__in=[pk for pk in proposed if pk])
        )
        self.service_rows, self.service_lines = [], []
        for service in catalog:
            line = proposed.get(service.pk)
            self.fields[f"service_{service.pk}"] = forms.BooleanField(
                label=service.name, required=False, initial=line is not None
            )
            self.fields[f"price_{service.pk}"] = forms.DecimalField(
                label=_("Price of %(service)s") % {"service": service.name},
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=2,
                initial=line.price if line else service.price,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            if self.with_durations:
                self.fields[f"duration_{service.pk}"] = forms.IntegerField(
                    label=_("Duration of %(service)s (minutes)") % {"service": service.name},
                    required=False,
                    min_value=5,
                    max_value=LONGEST_LINE,
                    initial=line.duration if line else service.duration,
                    widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
                )
            self.service_rows.append(
                ServiceRow(
                    service=service,
                    chosen=self[f"service_{service.pk}"],
                    price=self[f"price_{service.pk}"],
                    duration=self[f"duration_{service.pk}"] if self.with_durations else None,
                )
            )

    def clean_service_lines(self, cleaned):
        """Refuse an item from outside her catalog; keep the chosen lines, each priced (and
        timed); at least one."""
        for key in self.data:
            prefix, _sep, _rest = key.partition("_")
            if prefix in self.item_prefixes and key not in self.fields:
                raise forms.ValidationError(
                    _("This service or product is not in your catalog."), code="unknown_item"
                )
        self.service_lines = []
        for row in self.service_rows:
            pk = row.service.pk
            if not cleaned.get(f"service_{pk}"):
                continue
            line = ServiceLine(row.service, cleaned.get(f"price_{pk}"))
            needed = [("price", _("Give the price of this service."))]
            if self.with_durations:
                line.duration = cleaned.get(f"duration_{pk}")
                needed.append(("duration", _("Give the duration of this service.")))
            for name, message in needed:
                field = f"{name}_{pk}"
                if getattr(line, name) is None and field not in self.errors:
                    self.add_error(field, forms.ValidationError(message, code="required"))
            self.service_lines.append(line)
        if not self.service_lines:
            self.add_error(
                None, forms.ValidationError(_("Choose at least one service."), code="no_service")
            )
        return self.service_lines

    def save_service_lines(self, lines):
        """Replace the lines of the record with the chosen ones; `lines` is its related
        manager (visit.services, appointment.services)."""
        record, model = lines.instance, lines.model
        lines.all().delete()
        model.objects.bulk_create(
            model(
                account=record.account,
                service=line.service,
                name=line.service.name,
                price=line.price,
                position=position,
                **{lines.field.name: record},
                **({"duration": line.duration} if self.with_durations else {}),
            )
            for position, line in enumerate(self.service_lines)
        )


def service_lines_of(record):
    """Return {service id: line} of the lines of a visit or an appointment, to propose them
    again (a line has a price, and a duration on appointments)."""
    return {line.service_id: line for line in record.services.all() if line.service_id}
