"""The hand chart: ten nails, each a control that opens its own small form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nailpro.decorators import account_required

from ..forms import NailForm
from ..models import NailState
from .common import card_context, get_card, get_client


def nail_history(client, finger):
    """Return this nail's past states, newest first, from the chart kept with each visit."""
    labels = {
        **dict(NailState.Length.choices),
        **dict(NailState.Condition.choices),
    }
    history = []
    # The visits app, built on top of clients: read through the reverse relation.
    for visit in client.visits.order_by("-started_at").values("started_at", "chart_snapshot"):
        state = (visit["chart_snapshot"] or {}).get(finger)
        if state:
            described = [labels.get(state.get(key), "") for key in ("condition", "length")]
            history.append(
                {
                    "date": visit["started_at"],
                    "state": ", ".join(str(part) for part in described if part),
                    "remarks": state.get("remarks", ""),
                }
            )
    return history


@account_required
def nail_edit(request, client_id):
    """Annotate one nail; the finger comes as ?finger=left_ring."""
    client = get_client(request, client_id)
    finger = request.GET.get("finger") or request.POST.get("finger")
    if not finger:
        # Without a finger: the chart alone, to pick one (works without JavaScript).
        return render(request, "clients/nail_form.html", card_context(get_card(request, client_id)))
    if finger not in NailState.Finger.values:
        raise Http404("No such finger")
    state = NailState.objects.filter(client=client, finger=finger).first()
    instance = state or NailState(account=client.account, client=client, finger=finger)
    form = NailForm(request.POST or None, instance=instance, account=request.account)
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            context = card_context(get_card(request, client_id))
            context["saved_nail"] = instance.get_finger_display()
            return render(request, "clients/client_detail.html#nails", context)
        nail = instance.get_finger_display()
        messages.success(request, _("The %(nail)s is noted.") % {"nail": nail})
        return redirect(f"{client.get_absolute_url()}#nails")
    context = {
        "client": client,
        "form": form,
        "nail": instance,
        "history": nail_history(client, finger),
    }
    template = "clients/nail_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context)
