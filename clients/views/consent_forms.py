"""The consent form: signed on the phone with her finger, or printed and signed on paper."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nailpro.decorators import account_required
from nailpro.files import serve_stored_file
from nailpro.kiosk import kiosk_enter, kiosk_state

from ..forms import ConsentPaperForm, ConsentSignForm
from ..models import ConsentText, SignedConsent
from ..services import consent_form_sign, consent_language_for
from .common import get_client

LANGUAGES = dict(settings.LANGUAGES)


def form_language(request, client):
    """Return the language to show her form in: the one asked for, her last form's, or the
    account's."""
    asked = request.GET.get("language")
    if asked in LANGUAGES:
        return asked
    return consent_language_for(client)


def _posted_text(request):
    """Return the text version she read, as sent back with her answers, if it exists."""
    pk = request.POST.get("text", "")
    return ConsentText.objects.filter(pk=pk).first() if pk.isdigit() else None


def _context(client, text, **extra):
    return {"client": client, "text": text, "languages": settings.LANGUAGES, **extra}


def _add_ledger_error(form, error, field=None):
    """Show a refusal of the consent ledger (e.g. a later answer exists) on the form."""
    dated = getattr(error, "error_dict", {}).get("date")
    form.add_error(field if dated else None, dated or error.messages)


@account_required
def consent_sign(request, client_id):
    """Show her the form in her language; she answers each point and signs with her finger.

    The phone is in her hands: the session stays on this page (kiosk mode) until the technician
    takes it back with her PIN or password."""
    client = get_client(request, client_id)
    state = kiosk_state(request)
    if not state or state["page"] != request.path:
        kiosk_enter(request, page=request.path, back=f"{client.get_absolute_url()}#consents")
    text = _posted_text(request) or ConsentText.current(form_language(request, client))
    form = ConsentSignForm(request.POST or None, text=text)
    if request.method == "POST" and form.is_valid():
        try:
            signed = consent_form_sign(
                client=client,
                text=text,
                choices=form.choices(),
                signature=form.cleaned_data["signature"],
                user=request.user,
            )
        except ValidationError as error:
            _add_ledger_error(form, error)
        else:
            messages.success(request, _("The consent form is signed: her consents are updated."))
            state = kiosk_state(request)
            state["back"] = signed.get_absolute_url()
            request.session["kiosk"] = state
            return redirect("kiosk_unlock")
    return render(request, "clients/consent_sign.html", _context(client, text, form=form))


@account_required
def consent_paper(request, client_id):
    """Record a form she signed on paper: the text version, the date and her answers."""
    client = get_client(request, client_id)
    text = ConsentText.current(form_language(request, client))
    form = ConsentPaperForm(request.POST or None, text=text)
    if request.method == "POST" and form.is_valid():
        try:
            signed = consent_form_sign(
                client=client,
                text=form.cleaned_data["text"],
                choices=form.choices(),
                signed_on=form.cleaned_data["signed_on"],
                user=request.user,
            )
        except ValidationError as error:
            _add_ledger_error(form, error, field="signed_on")
        else:
            messages.success(request, _("The paper form is recorded: her consents are updated."))
            return redirect(signed)
    return render(request, "clients/consent_paper.html", _context(client, text, form=form))


@account_required
@require_GET
def consent_blank(request, client_id):
    """A blank form to print: the same text, empty boxes and a line for her signature."""
    client = get_client(request, client_id)
    text = ConsentText.current(form_language(request, client))
    return render(request, "clients/consent_print.html", _context(client, text))


def get_signed_consent(request, client_id, signedconsent_id):
    """Return the form this client of the logged-in account signed, or 404."""
    queryset = SignedConsent.objects.filter(client_id=client_id).select_related(
        "client", "text", "recorded_by"
    )
    return get_object_or_404(queryset, pk=signedconsent_id)


@account_required
@require_GET
def consent_signed(request, client_id, signedconsent_id):
    """The form as she signed it, with a check that nothing in it changed since."""
    signed = get_signed_consent(request, client_id, signedconsent_id)
    context = {
        "client": signed.client,
        "signed": signed,
        "text": signed.text,
        "integrity_verified": signed.integrity_verified(),
    }
    return render(request, "clients/consent_signed.html", context)


@account_required
@require_GET
def consent_signature(request, client_id, signedconsent_id):
    """Serve her signature image after the account check: never a public URL."""
    signed = get_signed_consent(request, client_id, signedconsent_id)
    return serve_stored_file(signed.signature)
