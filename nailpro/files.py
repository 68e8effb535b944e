"""Stored files (photos): served only by views that checked the account, deleted after commit."""

import mimetypes

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control


def serve_stored_file(stored, *, max_age, public=False):
    """Answer with a stored file, or 404 when it is missing (never a 500)."""
    if not stored:
        raise Http404("No file")
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    try:
        response = FileResponse(stored.open("rb"), content_type=content_type)
    except OSError as missing:
        raise Http404("File missing from storage") from missing
    patch_cache_control(response, **{"public" if public else "private": True}, max_age=max_age)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def delete_files_on_commit(storage, names):
    """Delete stored files once the transaction that removed or replaced them has committed.

    Names, not file objects: the caller may point its fields at new files meanwhile.
    """
    names = [name for name in names if name]

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
