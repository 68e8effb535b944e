from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agenda.links import maps_url, route_url
from agenda.models import Appointment
from clients.models import Client

from .forms import AccountSettingsForm, LanguageForm, LoginForm, SignupForm


@login_required
def dashboard(request):
    context = {}
    if request.account is not None:
        today = timezone.localdate()
        appointments = list(Appointment.objects.on_day(today).active().for_list())
        now = timezone.now()
        upcoming = Appointment.objects.active().filter(start__gte=now).for_list()
        next_one = next((a for a in appointments if a.end > now), None) or upcoming.first()
        context = {
            "today_appointments": appointments,
            "next_appointment": next_one,
            "next_maps_url": maps_url(next_one.address) if next_one and next_one.address else "",
            "route_url": route_url([a.address for a in appointments], request.account.address),
            "has_clients": Client.objects.exists(),
            "today_iso": today.isoformat(),
        }
    return render(request, "nailpro/dashboard.html", context)


def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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


@login_required
def account_settings(request):
    account = request.account
    if account is None:
        # A staff login without a business of its own: the admin is its place.
        return redirect("admin:index")
    form = AccountSettingsForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("account")
    return render(request, "nailpro/account.html", {"form": form})


@login_required
def privacy(request):
    """What NailPro stores about her clients, why, for how long; who is responsible."""
    return render(request, "nailpro/privacy.html")


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


@login_required
def client_export(request, client_id):
    """Download everything about one client as a ZIP (she asked for her data)."""
    from clients.models import Client

    from .exports import client_export as build

    client = get_object_or_404(Client, pk=client_id)
    response = HttpResponse(build(client, request.user), content_type="application/zip")
    name = slugify(client.display_name) or "cliente"
    response["Content-Disposition"] = (
        f'attachment; filename="nailpro-{name}-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    return response


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
