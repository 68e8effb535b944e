"""The picker's own buttons in a posted form: a search without JavaScript, or a new client
added on the spot. While she searches or adds a client, the form around the picker is shown
again with everything typed, neither saved nor marked wrong."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from .forms import QuickClientForm
from .widgets import NEW_BUTTON, SEARCH_BUTTON


class NewClientForm(QuickClientForm):
    """ "New client" in the picker: /clients/new/'s form and rules, her name and phone only."""

    class Meta(QuickClientForm.Meta):
        fields = ["first_name", "last_name", "phone"]


NEW_FIELDS = NewClientForm.Meta.fields


class Picking:
    """Read a POST for the picker of `field`; with `allow_new`, create the client typed in
    "New client" through the same form and rules as /clients/new/ (plan limit, duplicates),
    and put her id in `data` so the form around it has her chosen."""

    def __init__(self, request, *, field="client", allow_new=False):
        self.field = field
        self.prefix = f"{field}_new"
        self.created = None
        posted = request.POST if request.method == "POST" else None
        self.data = posted.copy() if posted is not None else None
        self.searching = posted is not None and posted.get(SEARCH_BUTTON) == field
        self.adding = posted is not None and posted.get(NEW_BUTTON) == field
        self.new_form = None
        if allow_new:
            typed = posted is not None and any(
                posted.get(f"{self.prefix}-{name}", "").strip() for name in NEW_FIELDS
            )
            self.new_form = NewClientForm(
                posted if typed or self.adding else None,
                prefix=self.prefix,
                account=request.account,
            )
            if self.new_form.is_bound:
                self._create(request)

    def _create(self, request):
        form = self.new_form
        saved = form.is_valid()
        if saved:
            try:
                client = form.save()
            except ValidationError as refusal:  # the plan's last place went meanwhile
                form.add_error(None, refusal)
                saved = False
        if not saved:
            form.plan_full = form.has_error(NON_FIELD_ERRORS, "plan_limit")
            return
        self.created = client
        self.data[self.field] = str(client.pk)
        for name in self.new_form.fields:
            self.data.pop(f"{self.prefix}-{name}", None)
        self.new_form = NewClientForm(prefix=self.prefix, account=request.account)
        messages.success(request, _("%(name)s is added.") % {"name": client.display_name})

    @property
    def holds(self):
        """Whether the POST only searched or added a client: show the form again."""
        failed = self.new_form is not None and self.new_form.is_bound and bool(self.new_form.errors)
        return self.searching or self.adding or failed

    def submitted(self, form):
        """Whether the form was sent to be saved, and is valid."""
        return self.data is not None and not self.holds and form.is_valid()

    def attach(self, form):
        """Show the inline "New client" in `form`'s picker; while the POST holds, drop the
        form's errors (she has not sent it yet) and keep what she typed."""
        form.fields[self.field].widget.new_form = self.new_form
        if self.data is not None and self.holds:
            form.errors.clear()
        return form
