"""The catalog: the services she sells and the products she uses, added, edited, archived.

Nothing is ever deleted here: past visits keep their services and products.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from nailpro.decorators import account_required

from .forms import ProductFilterForm, ProductForm, ServiceForm
from .models import Product, Service, fold

PAGE_SIZE = 25
# The pages of each kind of item, for the views and templates they share.
SERVICE_URLS = {
    "list": "catalog:index",
    "edit": "catalog:service_edit",
    "archive": "catalog:service_archive",
    "restore": "catalog:service_restore",
}
PRODUCT_URLS = {
    "list": "catalog:products",
    "edit": "catalog:product_edit",
    "archive": "catalog:product_archive",
    "restore": "catalog:product_restore",
}
ARCHIVED = gettext_noop(
    "“%(name)s” is archived: no longer offered for new visits, past visits keep it."
)


def get_service(request, service_id):
    """Return the service of the logged-in account, or 404 (another account's looks missing)."""
    return get_object_or_404(Service, pk=service_id)


def get_product(request, product_id):
    """Return the product of the logged-in account, or 404 (another account's looks missing)."""
    return get_object_or_404(Product, pk=product_id)


@account_required
def service_list(request):
    services = list(Service.objects.all())
    context = {
        "services": [service for service in services if not service.archived],
        "archived": [service for service in services if service.archived],
    }
    return render(request, "catalog/service_list.html", context)


@account_required
def service_new(request):
    form = ServiceForm(request.POST or None, account=request.account)
    added = _("“%(name)s” is added to your services.")
    return form_page(request, form, "catalog/service_form.html", SERVICE_URLS, saved=added)


@account_required
def service_edit(request, service_id):
    service = get_service(request, service_id)
    form = ServiceForm(request.POST or None, instance=service, account=request.account)
    return form_page(request, form, "catalog/service_form.html", SERVICE_URLS, saved=_("Saved."))


@account_required
@require_POST
def service_archive(request, service_id, archived):
    service = get_service(request, service_id)
    restored = _("“%(name)s” is back among your services.")
    return archive(request, service, archived, SERVICE_URLS, restored=restored)


@account_required
def product_list(request):
    form = ProductFilterForm(request.GET or None)
    products = Product.objects.prefetch_related("allergens")
    if form.is_bound:
        form.is_valid()  # an invalid field is shown with its error; the valid ones still apply
        products = search(products, form.cleaned_data.get("q"))
        if form.cleaned_data.get("category"):
            products = products.filter(category=form.cleaned_data["category"])
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "products": [product for product in page.object_list if not product.archived],
        "archived": [product for product in page.object_list if product.archived],
        "total": Product.objects.count(),
    }
    template = "catalog/product_list.html"
    if request.htmx and not request.htmx.boosted and request.htmx.target == "product-results":
        template += "#results"
    return render(request, template, context)


def search(products, text):
    """Find products by brand, name or shade, ignoring case and accents: "etoile" finds
    "Ongle Étoile"; each word must match."""
    for token in fold((text or "")[:100]).split():
        products = products.filter(search_text__contains=token)
    return products


@account_required
def product_new(request):
    form = ProductForm(request.POST or None, account=request.account)
    added = _("“%(name)s” is added to your products.")
    return form_page(request, form, "catalog/product_form.html", PRODUCT_URLS, saved=added)


@account_required
def product_edit(request, product_id):
    product = get_product(request, product_id)
    form = ProductForm(request.POST or None, instance=product, account=request.account)
    return form_page(request, form, "catalog/product_form.html", PRODUCT_URLS, saved=_("Saved."))


@account_required
@require_POST
def product_archive(request, product_id, archived):
    product = get_product(request, product_id)
    restored = _("“%(name)s” is back among your products.")
    return archive(request, product, archived, PRODUCT_URLS, restored=restored)


def form_page(request, form, template, urls, *, saved):
    """Show the form of a service or a product; once a POST is valid, save it, say `saved`
    (with the item's name) and go back to its list."""
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, saved % {"name": item})
        return redirect(urls["list"])
    item = None if form.instance._state.adding else form.instance
    return render(request, template, {"form": form, "item": item, "urls": urls})


def archive(request, item, archived, urls, *, restored):
    """Archive or restore a service or a product, if its model allows it."""
    item.archived = archived
    try:
        item.full_clean()  # restoring a service may meet an active one of the same name
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(urls["edit"], item.pk)
    item.save(update_fields=["archived"])
    message = _(ARCHIVED) if archived else restored
    messages.success(request, message % {"name": item})
    return redirect(urls["list"])
