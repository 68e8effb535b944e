"""The page a reminder links to: she confirms her appointment or asks to move it, without an
account. The secret in the address is the only key: an unknown, mistyped or forged one gets
the same answer, each connection may try only so many, and the page shows her first name, the
date, time and place, nothing else of her card."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django_scopes import scope, scopes_disabled

from nailpro.throttle import throttle_allows

from .forms import ReplyForm
from .models import ReplyLink
from .reminders import place_access_notes
from .services import reply_link_answer


@never_cache
def reply_page(request, token):
    window = datetime.timedelta(minutes=settings.REPLY_LINK_RATE_MINUTES)
    if not throttle_allows(request, "reply-link", limit=settings.REPLY_LINK_RATE, window=window):
        return render(request, "agenda/reply_closed.html", {"reason": "throttled"}, status=429)
    with scopes_disabled():
        link = ReplyLink.objects.for_token(token)
    if link is None:
        return render(request, "agenda/reply_closed.html", {"reason": "unknown"}, status=404)
    account, appointment = link.account, link.appointment
    language = appointment.client.spoken_language
    zone = account.time_zone
    with scope(account=account.pk), translation.override(language), timezone.override(zone):
        return _answer(request, link, account, appointment)


def _answer(request, link, account, appointment):
    context = {
        "account": account,
        "first_name": appointment.client.first_name,
        "start": timezone.localtime(appointment.start),
        "end": timezone.localtime(appointment.end),
        "address": appointment.address,
        "access_notes": place_access_notes(appointment),
        "confirmed": appointment.status == appointment.Status.CONFIRMED,
    }
    if not link.is_usable:
        reason = "used" if link.used_at else "expired"
        return render(request, "agenda/reply_closed.html", context | {"reason": reason}, status=410)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["action"] == ReplyForm.CONFIRM
        try:
            reply_link_answer(link=link, confirm=confirm, message=form.cleaned_data["message"])
        except ValidationError as error:
            reason = error.code
            return render(
                request, "agenda/reply_closed.html", context | {"reason": reason}, status=410
            )
        done = "confirmed" if confirm else "asked"
        return render(request, "agenda/reply_done.html", context | {"done": done})
    status = 400 if form.is_bound else 200
    return render(request, "agenda/reply_page.html", context | {"form": form}, status=status)
