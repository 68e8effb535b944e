import functools
import json

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .offline import user_key


def account(request):
    """Expose the logged-in technician's account to every template."""
    return {"account": getattr(request, "account", None)}


def offline(request):
    """What the phone's offline scripts need: whose copies these are, the copy's stamp, and
    their few sentences in her language."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "offline_user_key": user_key(user),
        "offline_copy": getattr(request, "offline_copy", None),
        "offline_strings": offline_strings_json(get_language()),
    }


@functools.cache
def offline_strings_json(language):
    """offline_strings() as JSON, written once per language (the same sentences every page)."""
    return json.dumps(offline_strings())


def offline_strings():
    """The few sentences the offline scripts show, in her language (a data attribute: CSP)."""
    return {
        "networkError": _("No network: this was not done. Try again when you have signal."),
        "serverError": _("The server could not do it. Try again in a moment."),
        "preparing": _("Preparing your day…"),
        "prepared": _("Ready for offline: %(summary)s, since %(time)s."),
        "prepareFailed": _("Could not prepare your day: no network?"),
        "nothing": _("Nothing is kept on this phone yet."),
        "waiting": _("%(count)s change(s) waiting for the network."),
        "review": _("%(count)s change(s) to review: they could not be applied."),
        "copied": _("Copied."),
        "refused": _("Refused by the server (error %(status)s)."),
        "visit": _("Visit"),
        "noShow": _("Absent"),
        "note": _("Notes on her card"),
        # What she typed, by field, on the "to review" list (the forms' own labels).
        "fields": {
            "started_at": _("date and time"),
            "ends_at": _("End time"),
            "total": _("total"),
            "payment_method": _("payment method"),
            "paid": _("paid"),
            "technique_notes": _("technique notes"),
            "notes": _("notes"),
        },
    }
