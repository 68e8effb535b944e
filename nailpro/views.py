import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from .context_processors import offline_strings
from .decorators import account_required
from .forms import KioskPinForm, KioskUnlockForm, LanguageForm, LoginForm, SignupForm
from .kiosk import kiosk_state, kiosk_unlock


def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
        messages.success(request, _("Welcome to NailPro! Your account is ready."))
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are logged out. See you soon!"))
        # Nothing of hers stays on the phone: the service worker's copies and queue go too
        # (the service worker sends what was queued before letting the logout through).
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; every other session of this user ends (Django rotates the
    session hash they were bound to), this one stays logged in."""

    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is changed. Your other devices have been logged out."),
        )
        return response


@require_POST
def switch_language(request):
    """Switch the interface language: stored on the account when logged in, in a cookie too."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or reverse("dashboard")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("dashboard")
    response = redirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.account is not None:
            request.account.language = language
            request.account.save(update_fields=["language"])
        response.set_cookie(
            "django_language",
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, from its static file, served at the root so its scope is "/"."""
    path = finders.find("js/sw.js")
    if path is None:
        raise Http404
    with open(path, "rb") as file:
        body = file.read()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline_page(request):
    """What the phone shows without network: the pages it holds, the writes waiting to be
    sent or to be reviewed (filled in on the phone by static/js/offline.js)."""
    strings = json.dumps(offline_strings())
    return render(request, "nailpro/offline.html", {"offline_strings": strings})


MANIFEST_DESCRIPTION = gettext_lazy("Client records for travelling nail technicians")


@require_GET
def manifest(request):
    """Web app manifest, so the technician can add NailPro to her phone's home screen."""
    icons = [
        {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    data = {
        "name": "NailPro",
        "short_name": "NailPro",
        "description": str(MANIFEST_DESCRIPTION),
        "start_url": reverse("dashboard"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#fbf6f4",
        "theme_color": "#b0446a",
        "lang": request.LANGUAGE_CODE,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@account_required
def kiosk_pin(request):
    """Set, change or remove the PIN that takes the phone back from a client."""
    user = request.user
    form = KioskPinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("remove"):
        user.set_kiosk_pin("")
        user.save(update_fields=["kiosk_pin"])
        messages.success(request, _("The PIN is removed: your password unlocks the phone."))
        return redirect("account")
    if request.method == "POST" and form.is_valid():
        user.set_kiosk_pin(form.cleaned_data["pin"])
        user.save(update_fields=["kiosk_pin"])
        messages.success(request, _("Your PIN is saved."))
        return redirect("account")
    return render(
        request, "nailpro/kiosk_pin.html", {"form": form, "has_pin": bool(user.kiosk_pin)}
    )


@account_required
def kiosk_unlock_view(request):
    """Take the phone back: her PIN (or password) ends the kiosk mode."""
    state = kiosk_state(request)
    if state is None:
        return redirect("dashboard")
    posted = request.POST if request.method == "POST" else None
    form = KioskUnlockForm(posted, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            back = kiosk_unlock(request, secret=form.cleaned_data["secret"])
        except ValidationError as refusal:
            form.add_error("secret", refusal)
        else:
            return redirect(back)
    context = {"form": form, "kiosk_page": state["page"]}
    return render(request, "nailpro/kiosk_unlock.html", context)
