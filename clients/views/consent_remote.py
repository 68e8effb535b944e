"""The consent form sent as a link: made from her card, signed on her own phone without an
account. Signing goes through the same form, service and ledger as on the technician's phone."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_scopes import scope

from nailpro import links
from nailpro.decorators import account_required
from nailpro.throttle import throttle_allows
from nailpro.tokens import token_hash

from ..forms import ConsentSignForm
from ..models import ConsentLink, ConsentText
from ..services import consent_link_create, consent_link_open, consent_link_sign
from .common import get_client
from .consent_forms import _add_ledger_error

# Opening and posting the form both count: enough for her to change her answers a few
# times, far too few to guess a link.
LINK_TRIES = 30
LINK_WINDOW = datetime.timedelta(hours=1)
SESSION_KEY = "consent_links"  # client id -> the secret of the link made for her


def _link_message(client, url):
    return _(
        "Hello %(name)s, here is the consent form of %(business)s, to fill in and sign on "
        "your phone (the link works for 7 days): %(url)s"
    ) % {"name": client.first_name or "", "business": client.account.name, "url": url}


@account_required
@require_http_methods(["GET", "POST"])
def consent_send(request, client_id):
    """Make the link to her form, and offer to send it: copy, SMS, WhatsApp, e-mail."""
    client = get_client(request, client_id)
    made = request.session.get(SESSION_KEY, {})
    if request.method == "POST":
        link, token = consent_link_create(client=client, user=request.user)
        made[str(client.pk)] = token
        request.session[SESSION_KEY] = made
        messages.success(request, _("The link is ready: send it to her."))
        return redirect("clients:consent_send", client_id=client.pk)
    token = made.get(str(client.pk))
    link = None
    if token:
        link = ConsentLink.objects.open().filter(token_hash=token_hash(token)).first()
    context = {"client": client, "link": link, "last": client.consent_links.first()}
    if link is not None:
        url = request.build_absolute_uri(reverse("consent_remote", args=[token]))
        with translation.override(link.language):
            text = _link_message(client, url)
            subject = _("Your consent form")
        context |= {
            "url": url,
            "sms_url": links.sms_url(client, text),
            "whatsapp_url": links.whatsapp_url(client, text),
            "mail_url": links.mail_message_url(client.email, subject, text),
        }
    return render(request, "clients/consent_send.html", context)


def _closed(request, status=404):
    """One page for a link that is unknown, used or expired: it does not say which."""
    return render(request, "clients/consent_remote_closed.html", status=status)


def _posted_text(request, language):
    """The text version she read, sent back with her answers, if it is one of her language."""
    pk = request.POST.get("text", "")
    if not pk.isdigit():
        return None
    return ConsentText.objects.filter(pk=pk, language=language).first()


@never_cache
@require_http_methods(["GET", "POST"])
def consent_remote(request, token):
    """Her consent form, opened from the link on her own phone: her first name, the
    technician's name and the form, nothing else of her card."""
    if not throttle_allows(request, "consent-link", limit=LINK_TRIES, window=LINK_WINDOW):
        return _closed(request, status=429)
    link = consent_link_open(token)
    if link is None:
        return _closed(request)
    with scope(account=link.account), translation.override(link.language):
        text = _posted_text(request, link.language) or ConsentText.current(link.language)
        form = ConsentSignForm(request.POST or None, text=text)
        if request.method == "POST" and form.is_valid():
            try:
                consent_link_sign(
                    link=link,
                    text=text,
                    choices=form.choices(),
                    signature=form.cleaned_data["signature"],
                )
            except ValidationError as error:
                if error.code == "link_closed":
                    return _closed(request)
                _add_ledger_error(form, error)
            else:
                request.session["consent_signed_for"] = link.account.name
                request.session["consent_signed_language"] = link.language
                return redirect("consent_remote_done")
        context = {
            "first_name": link.client.first_name,
            "business": link.account.name,
            "text": text,
            "form": form,
        }
        return render(request, "clients/consent_remote.html", context)


@never_cache
@require_safe
def consent_remote_done(request):
    """Thank her, in her language, once her form is signed."""
    business = request.session.get("consent_signed_for")
    language = request.session.get("consent_signed_language")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        return render(request, "clients/consent_remote_done.html", {"business": business})
