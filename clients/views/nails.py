"""The hand chart: ten nails, each a control that opens its own small form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nailpro.decorators import account_required
from nailpro.health_log import log_health_view

from ..forms import NailForm
from ..models import ConsentEvent, NailState
from .common import get_card, get_client, shown_card_context


def nail_history(client, finger, *, consent):
    """Return this nail's past states, newest first, from the chart kept with each visit (a
    medical condition only under her health consent `consent`), and whether one is shown."""
    lengths = dict(NailState.Length.choices)
    conditions = dict(NailState.Condition.choices)
    history, shows_health = [], False
    # The visits app, built on top of clients: read through the reverse relation.
    for visit in client.visits.order_by("-started_at").values("started_at", "chart_snapshot"):
        state = (visit["chart_snapshot"] or {}).get(finger)
        if state:
            condition = NailState.shown_condition(state.get("condition", ""), consent=consent)
            shows_health |= condition in NailState.MEDICAL_CONDITIONS
            described = [conditions.get(condition, ""), lengths.get(state.get("length"), "")]
            history.append(
                {
                    "date": visit["started_at"],
                    "state": ", ".join(str(part) for part in described if part),
                    "remarks": state.get("remarks", ""),
                }
            )
    return history, shows_health


@account_required
def nail_edit(request, client_id):
    """Annotate one nail; the finger comes as ?finger=left_ring."""
    client = get_client(request, client_id)
    finger = request.GET.get("finger") or request.POST.get("finger")
    if not finger:
        # Without a finger: the chart alone, to pick one (works without JavaScript).
        context = shown_card_context(request, get_card(request, client_id))
        return render(request, "clients/nail_form.html", context)
    if finger not in NailState.Finger.values:
        raise Http404("No such finger")
    state = NailState.objects.filter(client=client, finger=finger).first()
    instance = state or NailState(account=client.account, client=client, finger=finger)
    form = NailForm(request.POST or None, instance=instance, account=request.account)
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            context = shown_card_context(request, get_card(request, client_id))
            context["saved_nail"] = instance.get_finger_display()
            return render(request, "clients/client_detail.html#nails", context)
        nail = instance.get_finger_display()
        messages.success(request, _("The %(nail)s is noted.") % {"nail": nail})
        return redirect(f"{client.get_absolute_url()}#nails")
    consent = client.has_consent(ConsentEvent.Kind.HEALTH)
    history, shows_health = nail_history(client, finger, consent=consent)
    if shows_health or instance.condition in NailState.MEDICAL_CONDITIONS:
        log_health_view(request, client)
    context = {"client": client, "form": form, "nail": instance, "history": history}
    template = "clients/nail_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context)
