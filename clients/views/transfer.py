"""Moving client lists in and out: export the filtered list, import a list from another tool."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nailpro.decorators import account_required
from nailpro.files import serve_stored_file
from nailpro.tabular import EncodingUnsure, TableError, csv_response, table_response

from ..exports import client_table
from ..forms import ClientExportForm, ImportMappingForm, ImportUploadForm
from ..importing import (
    PREVIEW_SAMPLE,
    client_import_create,
    client_import_queue,
    import_preview,
    import_watch,
    imports_purge,
    read_stored,
)
from ..list_export import (
    filtered_clients,
    immediate_max,
    list_export_start,
    list_exports_purge,
    list_kind,
)
from ..models import ClientImport, ListExport

SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "clientes-exemple.csv"


@account_required
@require_http_methods(["GET", "POST"])
def client_export(request):
    """Download the client list as she filtered it, in the format she chose.

    A list longer than `immediate_max()` is built by the worker: the page asks her to start
    it (a POST), then follows its progress.
    """
    query = request.POST if request.method == "POST" else request.GET
    options = ClientExportForm(query)
    options.is_valid()
    file_format = options.cleaned_data.get("format") or "xlsx"
    with_health = options.cleaned_data.get("health", False)
    clients = filtered_clients(request.account, query)
    long_list = in_the_worker(
        request, "clients", clients.count(), query, file_format, with_health=with_health
    )
    if long_list:
        return long_list
    headers, rows = client_table(
        clients,
        account=request.account,
        with_health=with_health,
        user=request.user,
        where=request.path,
    )
    label = _("clients")
    name = f"nailpro-{label}-{timezone.localdate():%Y-%m-%d}"
    return table_response(name, headers, rows, file_format=file_format, title=_("Clients"))


def in_the_worker(request, kind, count, query, file_format, *, with_health=False):
    """For a list longer than `immediate_max(kind)`, return the page that asks her to build it
    in the worker or, on her POST, start it and follow it; None for a list built right away."""
    if count <= immediate_max(kind):
        return None
    if request.method != "POST":
        return list_export_confirm(request, kind, count, query)
    export = list_export_start(
        kind=kind,
        account=request.account,
        user=request.user,
        query=query,
        file_format=file_format,
        with_health=with_health,
    )
    return redirect(export)


def list_export_confirm(request, kind, count, query):
    """Say that the list is long, and let her start building it (a POST to the same URL)."""
    hidden = [(name, value) for name, values in query.lists() for value in values]
    context = {
        "count": count,
        "hidden": hidden,
        "limit": immediate_max(kind),
        "kind": list_kind(kind),
        "action": request.path,
    }
    return render(request, "clients/list_export_start.html", context)


@account_required
@require_GET
def list_export(request, listexport_id):
    """Follow a long list being built; htmx asks again every 2 seconds until it is ready."""
    list_exports_purge(account=request.account)
    export = get_object_or_404(ListExport, pk=listexport_id)
    template = "clients/list_export.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"export": export, "kind": list_kind(export.kind)})


@account_required
@require_GET
def list_export_download(request, listexport_id):
    export = get_object_or_404(ListExport, pk=listexport_id, status=ListExport.Status.READY)
    if export.is_expired:
        raise Http404("Expired export")
    response = serve_stored_file(export.file, max_age=0)
    label = list_kind(export.kind).label
    day = timezone.localdate(export.created_at)
    response["Content-Disposition"] = (
        f'attachment; filename="nailpro-{label}-{day:%Y-%m-%d}.{export.extension}"'
    )
    return response


@account_required
def client_import(request):
    """Upload a list: checked at once, then its columns are shown to confirm."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            client_import = client_import_create(
                account=request.account,
                user=request.user,
                upload=form.cleaned_data["file"],
                encoding=form.cleaned_data["encoding"],
            )
        except EncodingUnsure as error:
            form.add_error("file", ValidationError(str(error), code=error.code))
            form.offer_encodings(error.samples)
        except TableError as error:
            form.add_error("file", ValidationError(str(error), code=error.code))
        else:
            return redirect(client_import)
    imports_purge(request.account)
    imports = ClientImport.objects.all()[:5]
    return render(request, "clients/import_form.html", {"form": form, "imports": imports})


@account_required
@require_GET
def client_import_sample(request):
    """Download a sample list to try the import with."""
    return FileResponse(
        SAMPLE.open("rb"), as_attachment=True, filename=SAMPLE.name, content_type="text/csv"
    )


def get_client_import(request, clientimport_id):
    """Return the client import of the logged-in account, or 404."""
    return get_object_or_404(ClientImport, pk=clientimport_id)


@account_required
def client_import_mapping(request, clientimport_id):
    """Confirm which column holds what, see the first rows checked, then start."""
    client_import = get_client_import(request, clientimport_id)
    if client_import.status != ClientImport.Status.DRAFT:
        return redirect("clients:import_progress", clientimport_id=client_import.pk)
    try:
        # A sample: the whole file is read and checked once, by the import (PREVIEW_SAMPLE).
        table = read_stored(client_import, limit=PREVIEW_SAMPLE)
    except TableError as error:
        context = {"client_import": client_import, "error": str(error)}
        return render(request, "clients/import_mapping.html", context)
    samples = _first_values(table)
    form = ImportMappingForm(
        request.POST or None,
        headers=table.headers,
        mapping=client_import.mapping,
        samples=samples,
    )
    mapping = client_import.mapping
    if request.method == "POST" and form.is_valid():
        client_import.mapping = mapping = form.mapping()
        if "start" in request.POST:
            client_import_queue(client_import)
            return redirect("clients:import_progress", clientimport_id=client_import.pk)
        client_import.save(update_fields=["mapping"])
        if not request.htmx:
            return redirect("clients:import_mapping", clientimport_id=client_import.pk)
    context = {
        "client_import": client_import,
        "form": form,
        **import_preview(client_import, table, mapping),
    }
    template = "clients/import_mapping.html"
    if request.htmx:
        template += "#preview"
    return render(request, template, context)


def _first_values(table):
    """Return, for each column, the first value filled in, to help her recognise it."""
    samples = []
    for index in range(len(table.headers)):
        value = next((row[index] for _line, row in table.rows if str(row[index]).strip()), "")
        samples.append(str(value)[:40])
    return samples


@account_required
@require_GET
def client_import_progress(request, clientimport_id):
    """Show how far the import is; htmx asks again every 2 seconds until it ends."""
    client_import = get_client_import(request, clientimport_id)
    if client_import.status == ClientImport.Status.DRAFT:
        return redirect("clients:import_mapping", clientimport_id=client_import.pk)
    context = {"client_import": client_import, **import_watch(client_import)}
    template = "clients/import_progress.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, context)


@account_required
@require_GET
def client_import_report(request, clientimport_id):
    """Download the rows that were not imported, each with the reason, as CSV."""
    client_import = get_client_import(request, clientimport_id)
    if not client_import.is_finished:
        messages.info(request, _("The report is ready when the import ends."))
        return redirect("clients:import_progress", clientimport_id=client_import.pk)
    headers = [_("Line"), _("Reason"), *client_import.headers]
    rows = [[entry["line"], entry["reason"], *entry["values"]] for entry in client_import.rejected]
    delimiter = ";" if request.account.language == "fr" else ","
    label = _("report")
    name = f"nailpro-import-{timezone.localtime(client_import.created_at):%Y-%m-%d}-{label}"
    return csv_response(name, headers, rows, delimiter=delimiter)
