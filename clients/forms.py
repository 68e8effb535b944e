import calendar
import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from catalog.models import Allergen
from nailpro.forms import AccountFormMixin, CleanTextMixin
from nailpro.images import process_image, process_signature
from nailpro.inputs import DateInput
from nailpro.tabular import ENCODINGS, MAX_UPLOAD_BYTES

from .importing import FIELDS, JOINED_FIELDS
from .models import (
    Category,
    Client,
    ConsentEvent,
    ConsentText,
    Gift,
    HealthProfile,
    NailState,
)
from .widgets import use_picker


class ClientForm(AccountFormMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone", "phone2"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(autocomplete="tel", inputmode="tel")
        if "email" in self.fields:
            self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")


class DuplicateCheckMixin(forms.Form):
    """Refuse to save a phone or e-mail another client of the account already has, unless
    the technician confirms it is someone else (no silent duplicate)."""

    confirm_duplicate = forms.BooleanField(
        label=_("It is another person: save anyway"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = []

    def _post_clean(self):
        super()._post_clean()  # fills the instance with the cleaned phone and e-mail
        contact_changed = {"phone", "phone2", "email"} & set(self.changed_data)
        if self.errors or self.cleaned_data.get("confirm_duplicate") or not contact_changed:
            return
        self.duplicates = list(self.instance.duplicates()[:5])
        if self.duplicates:
            self.add_error(
                None,
                forms.ValidationError(
                    _("This phone or e-mail already belongs to another client."),
                    code="duplicate_client",
                ),
            )


class QuickClientForm(DuplicateCheckMixin, ClientForm):
    class Meta:
        model = Client
        fields = ["first_name", "last_name", "phone", "email"]


class IdentityForm(DuplicateCheckMixin, ClientForm):
    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "patronymic",
            "phone",
            "phone2",
            "email",
            "reminder_channel",
            "birth_date",
            "birthday_day",
            "birthday_month",
            "gender",
            "language",
        ]
        widgets = {
            "birth_date": DateInput(),
            "birthday_day": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 31}),
        }
        help_texts = {"birthday_day": _("Without the year: day and month only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A patronymic is asked where names carry one: a Russian-speaking account, or a
        # client who already has one.
        if self.account.language != "ru" and not self.instance.patronymic:
            del self.fields["patronymic"]
        if not self.instance.language:
            self.initial.setdefault("language", self.instance.spoken_language)
        self.fields["language"].choices = [
            (code, name) for code, name in self.fields["language"].choices if code
        ]
        # Left out of a post (an older page, a script): her channel stays as it was.
        self.fields["reminder_channel"].required = False

    def clean_reminder_channel(self):
        return self.cleaned_data.get("reminder_channel") or self.instance.reminder_channel


class AddressForm(ClientForm):
    class Meta:
        model = Client
        fields = ["street", "postal_code", "city", "access_notes"]
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 3})}


class PreferencesForm(ClientForm):
    class Meta:
        model = Client
        fields = ["nail_system", "nail_shape", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class RelationshipForm(ClientForm):
    class Meta:
        model = Client
        fields = [
            "category",
            "source",
            "referred_by",
            "loyalty_card_number",
            "loyalty_card_expiry",
            "blacklisted",
            "blacklist_reason",
        ]
        widgets = {"loyalty_card_expiry": DateInput()}
        # Choices are set per account in __init__; building them at import needs no scope.
        field_classes = {"category": SafeModelChoiceField, "referred_by": SafeModelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(account=self.account)
        others = Client.objects.filter(account=self.account)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["referred_by"].queryset = others
        use_picker(self, "referred_by", exclude=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("referred_by") and not cleaned.get("source"):
            cleaned["source"] = Client.Source.REFERRAL
            self.instance.source = Client.Source.REFERRAL
        return cleaned


class PortraitForm(CleanTextMixin, forms.Form):
    """Her portrait on the card; the picture goes through nailpro.images like every photo."""

    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def clean_photo(self):
        return process_image(self.cleaned_data["photo"])


class ConsentForm(AccountFormMixin, forms.ModelForm):
    given = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("She agrees")), ("0", _("She refuses or withdraws"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ConsentEvent
        fields = ["kind", "given", "method", "date"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, account=client.account, **kwargs)
        self.instance.client = client


class HealthForm(AccountFormMixin, forms.ModelForm):
    allergens = forms.ModelMultipleChoiceField(
        label=_("Allergies"),
        queryset=Allergen.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pathologies = forms.MultipleChoiceField(
        label=_("Nail pathologies"),
        choices=HealthProfile.Pathology.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HealthProfile
        fields = [
            "allergens",
            "allergy_notes",
            "pathologies",
            "pathology_notes",
            "medications",
            "health_notes",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ["allergy_notes", "pathology_notes", "medications", "health_notes"]
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, account=client.account, **kwargs)
        self.instance.client = client
        # Keep allergens retired from the list on the records that already have them.
        current = list(self.instance.allergen_ids) if self.instance.pk else []
        self.fields["allergens"].queryset = Allergen.objects.filter(
            Q(is_active=True) | Q(pk__in=current)
        )
        if self.instance.pk:
            self.initial.setdefault("allergens", current)

    def _post_clean(self):
        # Her allergens are an encrypted field of the row: set before the model's checks.
        if "allergens" in self.cleaned_data:
            self.instance.set_allergens(self.cleaned_data["allergens"])
        super()._post_clean()


class NailForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = NailState
        fields = ["length", "condition", "remarks"]
        widgets = {
            "length": forms.RadioSelect,
            "condition": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["length"].choices = NailState.Length.choices
        self.fields["condition"].choices = NailState.Condition.choices


class GiftForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Gift
        fields = ["occasion", "description", "given_on", "value"]
        widgets = {"given_on": DateInput(), "value": forms.NumberInput(attrs={"step": "0.01"})}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, account=client.account, **kwargs)
        self.instance.client = client


class CategoryForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Category.objects.filter(account=self.account, name__iexact=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This category already exists."), code="duplicate")
        return name


class FilterField:
    """A filter of the client list as its template writes it (ClientFilterForm.filter_fields):
    a select's options already written (`options`), else an input's type and value."""

    def __init__(self, bound, input_type, options, value):
        self.id = bound.auto_id
        self.name = bound.html_name
        self.label = bound.label
        self.errors = bound.errors
        self.input_type = input_type
        self.options = options
        self.value = value


class ClientFilterForm(CleanTextMixin, forms.Form):
    """Search and filters of the client list; every field is optional and forgiving."""

    BIRTHDAY_CHOICES = [
        ("", _("Any")),
        ("today", _("Today")),
        ("tomorrow", _("Tomorrow")),
        ("week", _("Next 7 days")),
        ("range", _("Between two dates")),
    ]
    YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
    CONSENT_CHOICES = [("", _("Any"))] + [
        (f"{kind}:{answer}", f"{label} — {answer_label}")
        for kind, label in ConsentEvent.Kind.choices
        for answer, answer_label in (("yes", _("yes")), ("no", _("no")))
    ]

    q = forms.CharField(label=_("Name or phone"), required=False)
    letter = forms.CharField(required=False, max_length=1, widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("Any")
    )
    source = forms.ChoiceField(
        label=_("How she found you"),
        choices=[("", _("Any")), *Client.Source.choices],
        required=False,
    )
    blacklisted = forms.ChoiceField(label=_("Blacklisted"), choices=YES_NO, required=False)
    consent = forms.ChoiceField(label=_("Consent"), choices=CONSENT_CHOICES, required=False)
    birthday = forms.ChoiceField(label=_("Birthday"), choices=BIRTHDAY_CHOICES, required=False)
    birthday_from = forms.DateField(label=_("Birthday from"), required=False, widget=DateInput)
    birthday_to = forms.DateField(label=_("Birthday to"), required=False, widget=DateInput)
    added_from = forms.DateField(label=_("Added from"), required=False, widget=DateInput)
    added_to = forms.DateField(label=_("Added to"), required=False, widget=DateInput)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(account=account)

    @property
    def active_filters(self):
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.fields if name not in ("q", "letter"))

    def filter_fields(self):
        """The filters, for the template to write by hand: Django renders a widget through a
        template per option, too slow for the list she opens all day. Each a FilterField:
        its options for a select, else its input type and value."""
        shown = []
        for name, field in self.fields.items():
            if name in ("q", "letter"):
                continue
            bound = self[name]
            widget = field.widget
            value = widget.format_value(bound.value())
            if isinstance(widget, forms.Select):
                if isinstance(field, forms.ModelChoiceField):  # one plain query, no cursor
                    choices = [("", field.empty_label)] + [
                        (obj.pk, field.label_from_instance(obj)) for obj in field.queryset
                    ]
                else:
                    choices = field.choices
                chosen = value[0] if value else ""
                options, found = [], False
                for option, label in choices:
                    selected = not found and str(option) == chosen
                    found = found or selected
                    options.append((option, " selected" if selected else "", label))
                # The options written here: tens of them, a template tag each would cost.
                html = format_html_join("\n", '<option value="{}"{}>{}</option>', options)
                shown.append(FilterField(bound, "", html, None))
            else:
                shown.append(FilterField(bound, widget.input_type, [], value))
        return shown

    def clean(self):
        cleaned = super().clean()
        for start, end in (("birthday_from", "birthday_to"), ("added_from", "added_to")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                self.add_error(
                    end,
                    forms.ValidationError(_("This date is before the first one."), code="order"),
                )
        return cleaned


def birthday_window(choice, start=None, end=None, today=None):
    """Return the (month, day) pairs a birthday filter covers, or None for no filter."""
    today = today or timezone.localdate()
    if choice == "today":
        days = [today]
    elif choice == "tomorrow":
        days = [today + datetime.timedelta(days=1)]
    elif choice == "week":
        days = [today + datetime.timedelta(days=n) for n in range(7)]
    elif choice == "range" and start and end:
        span = min((end - start).days, 366)
        days = [start + datetime.timedelta(days=n) for n in range(span + 1)]
    else:
        return None
    pairs = {(day.month, day.day) for day in days}
    # Born on 29 February: celebrated on the 28th in common years.
    if any(d.month == 2 and d.day == 28 and not calendar.isleap(d.year) for d in days):
        pairs.add((2, 29))
    return sorted(pairs)


class ConsentChoicesForm(CleanTextMixin, forms.Form):
    """Her answer to each point of a consent text: yes or no, never ticked in advance."""

    ANSWERS = [("yes", _("Yes")), ("no", _("No"))]

    def __init__(self, *args, text, **kwargs):
        super().__init__(*args, **kwargs)
        self.text = text
        for kind, label, statement in text.statements():
            self.fields[kind] = forms.ChoiceField(
                label=self.choice_label(label, statement),
                choices=self.ANSWERS,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no.")},
            )

    def choice_label(self, label, statement):
        return statement

    def choices(self):
        """Return {kind: True or False} from the cleaned answers."""
        return {kind: self.cleaned_data[kind] == "yes" for kind in ConsentEvent.Kind.values}


class ConsentSignForm(ConsentChoicesForm):
    """The consent form she fills in and signs on the phone."""

    # Filled by static/js/signature.js with the drawing, as a PNG data URL.
    signature = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def clean_signature(self):
        return process_signature(self.cleaned_data["signature"])


class TextVersionField(forms.ModelChoiceField):
    def label_from_instance(self, text):
        return _("%(language)s, version %(version)s") % {
            "language": text.get_language_display(),
            "version": text.version,
        }


class ConsentPaperForm(ConsentChoicesForm):
    """A consent form she signed on paper, recorded by the technician (no image)."""

    text = TextVersionField(
        label=_("Text of the printed form"),
        queryset=ConsentText.objects.all(),
        empty_label=None,
        help_text=_("Its version is printed at the bottom of the form."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)

    def __init__(self, *args, text, **kwargs):
        super().__init__(*args, text=text, **kwargs)
        self.fields["text"].initial = text.pk
        self.fields["signed_on"].initial = timezone.localdate()
        # The version and the date first, then her answers.
        self.order_fields(["text", "signed_on"])

    def choice_label(self, label, statement):
        return label

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."), code="future_date")
        return signed_on


class TableFormatForm(CleanTextMixin, forms.Form):
    """How she wants a list: Excel, or CSV with commas or semicolons (French Excel)."""

    FORMATS = [
        ("xlsx", _("Excel (.xlsx)")),
        ("csv_semicolon", _("CSV with semicolons (French Excel)")),
        ("csv", _("CSV with commas")),
    ]

    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, initial="xlsx", widget=forms.RadioSelect
    )


class ClientExportForm(TableFormatForm):
    health = forms.BooleanField(
        label=_("Include health data (allergies, pathologies, medications)"),
        required=False,
        help_text=_("Sensitive data: each client's card will show that it was exported."),
    )


class ImportUploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("Your client list (CSV, Excel .xlsx or your phone's contacts .vcf, 5 MB at most)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,.vcf,text/csv,application/vnd.ms-excel,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                "text/vcard,text/x-vcard"
            }
        ),
    )

    # Hidden until her file's encoding cannot be told: then she picks the line that reads right.
    encoding = forms.ChoiceField(
        label=_("How are the letters of your file written?"),
        choices=[("", _("Detect it")), *ENCODINGS],
        required=False,
        widget=forms.HiddenInput,
    )

    def offer_encodings(self, samples):
        """Show the encodings that read her file, each with her first line read in it."""
        field = self.fields["encoding"]
        field.widget = forms.RadioSelect(
            choices=[(encoding, f"{label} : {sample}") for encoding, label, sample in samples]
        )
        field.help_text = _("Pick the one where names and accents read right.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB: split it in smaller files."), code="too_large"
            )
        return upload


class ImportMappingForm(CleanTextMixin, forms.Form):
    """One menu per column of her file: which client detail it holds."""

    def __init__(self, *args, headers, mapping, samples, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Leave out")), *FIELDS.items()]
        for index, header in enumerate(headers):
            sample = samples[index] if index < len(samples) else ""
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
                help_text=_("e.g. %(value)s") % {"value": sample} if sample else "",
            )
        self.columns = len(headers)

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"column_{index}") or "" for index in range(self.columns)]
        if not {"first_name", "last_name", "full_name", "full_name_lfp", "phone"} & set(chosen):
            raise forms.ValidationError(
                _("Choose at least the column of the name or of the phone number."),
                code="no_name_column",
            )
        twice = {name for name in chosen if name and name not in JOINED_FIELDS}
        twice = {name for name in twice if chosen.count(name) > 1}
        if twice:
            raise forms.ValidationError(
                _("Each detail can come from one column only: change the repeated choices."),
                code="column_twice",
            )
        return cleaned

    def mapping(self):
        return [self.cleaned_data.get(f"column_{index}") or "" for index in range(self.columns)]
