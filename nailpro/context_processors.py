def account(request):
    """Expose the logged-in technician's account to every template."""
    return {"account": getattr(request, "account", None)}
