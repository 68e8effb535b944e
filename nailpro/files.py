"""Stored files (photos): served only by views that checked the account, deleted after commit."""

import mimetypes
from pathlib import Path

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control


def serve_stored_file(stored, *, max_age=0, public=False):
    """Answer with a stored file, or 404 when it is missing (never a 500).

    A private file (her photos, thumbnails, portraits, signatures, exports) is `no-store`:
    kept by no browser cache, it does not outlive her logout on a shared phone. Only a public
    file (the portfolio) is cached, `max_age` seconds.
    """
    if not stored:
        raise Http404("No file")
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    try:
        response = FileResponse(stored.open("rb"), content_type=content_type)
    except OSError as missing:
        raise Http404("File missing from storage") from missing
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_store=True)
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


def delete_folder_on_commit(storage, folder, *, extra=()):
    """Delete every file under `folder` (and the `extra` names) once the transaction commits.

    The folder is walked then, not now: a file written meanwhile goes too.
    """
    extra = [name for name in extra if name]

    def delete():
        for name in [*_walk(storage, folder), *extra]:
            storage.delete(name)
        _remove_empty_folders(storage, folder)

    transaction.on_commit(delete)


def _walk(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def _remove_empty_folders(storage, folder):
    """Remove the folders left empty on a local disk (a bucket has no folders)."""
    try:
        root = Path(storage.path(folder))
    except NotImplementedError:
        return
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if not any(root.iterdir()):
        root.rmdir()
