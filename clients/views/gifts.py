"""Gifts: what each client received, by year, and the account's gifts of the year."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nailpro.confirm import confirm_delete
from nailpro.decorators import account_required

from ..forms import GiftForm
from ..models import Gift
from .common import card_context, get_card, get_client


@account_required
def gift_new(request, client_id):
    client = get_client(request, client_id)
    initial = {"occasion": request.GET.get("occasion") or Gift.Occasion.BIRTHDAY}
    form = GiftForm(request.POST or None, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            context = card_context(get_card(request, client_id))
            return render(request, "clients/client_detail.html#gifts", context)
        messages.success(request, _("The gift is noted."))
        return redirect(f"{client.get_absolute_url()}#gifts")
    template = "clients/gift_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, {"client": client, "form": form})


def get_gift(request, client_id, gift_id):
    """Return the gift of this client of the logged-in account, or 404."""
    return get_object_or_404(Gift, pk=gift_id, client_id=client_id)


@account_required
def gift_delete(request, client_id, gift_id):
    client = get_client(request, client_id)
    gift = get_gift(request, client_id, gift_id)
    card_url = f"{client.get_absolute_url()}#gifts"
    if request.method == "POST":
        gift.delete()
        messages.success(request, _("The gift is removed."))
        return redirect(card_url)
    return confirm_delete(
        request,
        question=_("Remove this gift?"),
        consequence=f"{gift.given_on:%d/%m/%Y} · {gift.get_occasion_display()} : {gift}",
        cancel_url=card_url,
    )


@account_required
def gift_list(request):
    """Gifts of a year (the current one by default) across all clients."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 1900), today.year + 1)
    gifts = Gift.objects.filter(given_on__year=year).select_related("client")
    total = sum((gift.value or 0) for gift in gifts)
    context = {"gifts": gifts, "year": year, "today": today, "total": total}
    return render(request, "clients/gift_list.html", context)
