from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .auth import login_wait_seconds
from .models import Account, User
from .text import clean_text


class CleanTextMixin:
    """Strip control characters from what the form received, before any field reads it.

    Every form taking text uses it (a test checks): a vertical tab pasted from Word or an ESC
    would otherwise be stored, then break the Excel and CSV exports. Stripping is chosen over
    refusing because she never typed them and cannot see them to remove them; passwords are
    left as typed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data:
            self.data = self._clean_data(self.data)

    def _clean_data(self, data):
        secret = {
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.PasswordInput)
        }
        if hasattr(data, "lists"):  # a QueryDict
            cleaned = data.copy()
            for key, values in data.lists():
                if key not in secret:
                    cleaned.setlist(key, [clean_text(value) for value in values])
            return cleaned
        return {key: value if key in secret else _clean_value(value) for key, value in data.items()}


def _clean_value(value):
    if isinstance(value, list | tuple):
        return [clean_text(item) for item in value]
    return clean_text(value)


class AccountFormMixin(CleanTextMixin):
    """Bind a form to the technician's account: its phone region, same-account checks."""

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        if hasattr(self, "instance") and not self.instance.account_id:
            self.instance.account = account
        for field in self.fields.values():
            if hasattr(field, "region"):
                field.region = account.phone_region
                field.widget.region = account.phone_region


class SignupForm(CleanTextMixin, forms.Form):
    """Create a technician's account and her login in one step, on the Free plan."""

    business_name = forms.CharField(
        label=_("Your business name"),
        max_length=120,
        help_text=_("Shown at the top of your pages, e.g. “Léa Ongles à domicile”."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )

    error_messages = {
        "duplicate_email": _(
            "An account already uses this e-mail address. Log in, or reset your password."
        ),
        "password_mismatch": _("The two passwords differ. Type the same password twice."),
    }

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                self.error_messages["duplicate_email"], code="duplicate_email"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                forms.ValidationError(
                    self.error_messages["password_mismatch"], code="password_mismatch"
                ),
            )
        elif password1:
            candidate = User(email=cleaned.get("email") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @transaction.atomic
    def save(self):
        language = get_language() if get_language() in Account.Language.values else "fr"
        account = Account.objects.create(
            name=self.cleaned_data["business_name"].strip(), language=language
        )
        return User.objects.create_user(
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
            account=account,
        )


class LoginForm(CleanTextMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "inputmode": "email"}
        ),
    )

    error_messages = {
        "invalid_login": _(
            "Wrong e-mail address or password. Note that the password is case-sensitive."
        ),
        "inactive": _("This account is inactive."),
        "login_delay": _(
            "Several wrong passwords were typed for this e-mail address. For its safety, wait a "
            "moment (%(seconds)s s), then try again."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            seconds = login_wait_seconds(self.request, username)
            if seconds:
                raise forms.ValidationError(
                    self.error_messages["login_delay"],
                    code="login_delay",
                    params={"seconds": seconds},
                )
        return super().clean()


class AccountSettingsForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Account
        fields = [
            "name",
            "language",
            "time_zone",
            "currency",
            "phone_region",
            "phone",
            "address",
            "place_access_notes",
            "travel_buffer_minutes",
            "reminder_hours_before",
            "rebook_after_weeks",
            "retention_years",
        ]
        widgets = {"place_access_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        # Her number is typed in her own country's way.
        self.fields["phone"].region = self.instance.phone_region or None
        self.fields["phone"].widget.region = self.instance.phone_region or None
        if self.is_bound and isinstance(self.data.get("currency"), str):
            # "chf" typed by a script means CHF: the list holds upper-case ISO codes.
            self.data = self.data.copy()
            self.data["currency"] = self.data["currency"].strip().upper()


class LanguageForm(CleanTextMixin, forms.Form):
    language = forms.ChoiceField(choices=Account.Language.choices)
    next = forms.CharField(required=False)


class AccountDeleteForm(CleanTextMixin, forms.Form):
    """Ask for her password before deleting her account and everything in it."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This is not your password: nothing was deleted. Type it again."),
                code="wrong_password",
            )
        return password


class KioskPinForm(forms.Form):
    """Set the PIN that unlocks the kiosk mode (4 to 8 digits), typed twice."""

    pin = forms.CharField(
        label=_("New PIN"),
        strip=False,
        help_text=_("4 to 8 digits. Without a PIN, your password unlocks the phone."),
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pin_confirm = forms.CharField(
        label=_("The same PIN again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_pin(self):
        pin = self.cleaned_data["pin"]
        if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
            raise forms.ValidationError(_("A PIN is 4 to 8 digits."), code="pin_format")
        return pin

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pin") and cleaned.get("pin") != cleaned.get("pin_confirm"):
            self.add_error(
                "pin_confirm",
                forms.ValidationError(_("The two PINs differ."), code="pin_mismatch"),
            )
        return cleaned


class KioskUnlockForm(forms.Form):
    """Her PIN (or password) to take the phone back from the client."""

    secret = forms.CharField(
        label=_("Your PIN or password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.kiosk_pin:
            self.fields["secret"].label = _("Your PIN")
            self.fields["secret"].widget.attrs["inputmode"] = "numeric"
        else:
            self.fields["secret"].label = _("Your password")
