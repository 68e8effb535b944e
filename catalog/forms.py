from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nailpro.forms import AccountFormMixin

from .models import Allergen, Product, Service


class ServiceForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "duration", "price", "rebook_after_weeks", "colour"]
        widgets = {
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


class ProductFilterForm(forms.Form):
    """Search and category filter of the product list; both optional and forgiving."""

    q = forms.CharField(label=_("Brand, name or shade"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *Product.Category.choices],
        required=False,
    )
