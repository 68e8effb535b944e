from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from clients.models import Client
from clients.widgets import use_picker
from nailpro.forms import AccountFormMixin, CleanTextMixin
from nailpro.images import check_batch, process_image
from nailpro.inputs import DateInput
from visits.models import Visit

from .models import TAGS, Photo


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImagesField(forms.FileField):
    """Several photos at once; each is checked and re-encoded by nailpro.images."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        # Counted and measured from the headers before any photo is decoded.
        check_batch(files)
        processed, errors = [], []
        for upload in files:
            try:
                processed.append(process_image(super().clean(upload, initial)))
            except ValidationError as refusal:  # ImageRejected, or an empty file
                name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:80]
                errors.append(
                    ValidationError(
                        _("%(file)s: %(reason)s"),
                        code=refusal.code,
                        params={"file": name, "reason": " ".join(refusal.messages)},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return processed


class PhotoUploadForm(AccountFormMixin, forms.Form):
    photos = MultipleImagesField(
        label=_("Photos"),
        help_text=_(
            "JPEG, PNG, WebP or HEIC, 15 MB each, 20 at most at once. Location and camera "
            "details are removed."
        ),
    )
    client = SafeModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    # Set by the visit's "add photos" link; hidden, since a list of every visit would be unusable.
    visit = SafeModelChoiceField(
        label=_("Visit"), queryset=Visit.objects.none(), required=False, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Photo.Kind.choices, initial=Photo.Kind.AFTER)
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    tags = forms.MultipleChoiceField(
        label=_("Tags"), choices=TAGS, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(account=self.account)
        use_picker(self, "client")
        self.fields["visit"].queryset = Visit.objects.filter(account=self.account)

    def clean(self):
        cleaned = super().clean()
        visit, client = cleaned.get("visit"), cleaned.get("client")
        if visit and client and visit.client_id != client.pk:
            self.add_error(
                "visit", ValidationError(_("This visit is another client's."), code="other_client")
            )
        return cleaned


class PhotoForm(CleanTextMixin, forms.ModelForm):
    tags = forms.MultipleChoiceField(
        label=_("Tags"), choices=TAGS, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Photo
        fields = ["kind", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].initial = self.instance.tag_list

    def save(self, commit=True):
        self.instance.set_tags(self.cleaned_data["tags"])
        return super().save(commit)


class PhotoFilterForm(CleanTextMixin, forms.Form):
    client = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *Photo.Kind.choices], required=False
    )
    tag = forms.ChoiceField(label=_("Tag"), choices=[("", _("Any")), *TAGS], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
