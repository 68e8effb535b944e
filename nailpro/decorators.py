"""View decorators shared by the apps."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


def account_required(view):
    """Log in required, and a business of her own: a staff login goes to the admin."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.account is None:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper
