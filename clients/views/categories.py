"""The account's own client categories."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nailpro.confirm import confirm_delete
from nailpro.decorators import account_required

from ..forms import CategoryForm
from ..models import Category


@account_required
def category_list(request):
    form = CategoryForm(request.POST or None, account=request.account)
    if request.method == "POST" and form.is_valid():
        form.instance.position = Category.objects.count()
        form.save()
        messages.success(request, _("Category added."))
        return redirect("clients:categories")
    categories = Category.objects.annotate(client_count=Count("clients"))
    return render(request, "clients/category_list.html", {"form": form, "categories": categories})


def get_category(request, category_id):
    """Return the category of the logged-in account, or 404."""
    return get_object_or_404(Category, pk=category_id)


@account_required
def category_edit(request, category_id):
    category = get_category(request, category_id)
    form = CategoryForm(request.POST or None, instance=category, account=request.account)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Category renamed."))
        return redirect("clients:categories")
    return render(request, "clients/category_form.html", {"form": form, "category": category})


@account_required
def category_delete(request, category_id):
    category = get_category(request, category_id)
    if request.method != "POST":
        return confirm_delete(
            request,
            question=_("Delete the category “%(name)s”?") % {"name": category.name},
            consequence=_("Its clients are kept: they simply have no category any more."),
            cancel_url=reverse("clients:category_edit", args=[category.pk]),
        )
    category.delete()
    messages.success(
        request,
        _("Category “%(name)s” deleted; its clients are kept, without a category.")
        % {"name": category.name},
    )
    return redirect("clients:categories")
