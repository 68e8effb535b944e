"""The page that asks before deleting anything (rule 6 in ARCHITECTURE.md)."""

from django.shortcuts import render


def confirm_delete(request, *, question, consequence, cancel_url):
    """Ask before deleting (rule 6 in ARCHITECTURE.md): say what goes, offer a way back."""
    context = {"question": question, "consequence": consequence, "cancel_url": cancel_url}
    return render(request, "nailpro/confirm_delete.html", context)
