from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import generic

from fupin.accounts.filtersets import ApiTokenFilterSet, UserFilterSet
from fupin.accounts.forms import ApiTokenForm, ProfileForm, UserForm
from fupin.accounts.models import ApiToken, User
from fupin.accounts.tables import ApiTokenTable, UserTable
from fupin.core.views import AccessMixin, ViewSet


class UserViews(ViewSet):
    model = User
    table = UserTable
    filterset = UserFilterSet
    form = UserForm
    detail_fields = ["username", "full_name", "role", "region_code", "unit", "phone", "language",
                     "is_active", "last_login", "date_joined"]


class LoginView(AccessMixin, auth_views.LoginView):
    access = "public"
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(AccessMixin, auth_views.LogoutView):
    """GET asks (a link or a typed address must not end a session by itself, and Django's
    view answers a bare 405); POST logs out and says so on the login page."""

    access = "public"
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return render(request, "accounts/logout.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # After auth.logout() the session is new, so the message survives into the next page.
        messages.info(request, _("You are logged out."))
        return response


class PasswordChangeView(AccessMixin, auth_views.PasswordChangeView):
    access = "login"
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


class ProfileView(AccessMixin, generic.UpdateView):
    """One's own account: name, phone, language."""

    access = "login"
    model = User
    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def get_queryset(self):  # only ever oneself
        return User.objects.filter(pk=self.request.user.pk)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your settings were saved."))
        response.set_cookie("django_language", self.object.language, samesite="Lax")
        return response


class ApiTokenCreateView(AccessMixin, generic.FormView):
    model = ApiToken
    action = "add"
    form_class = ApiTokenForm
    template_name = "accounts/apitoken_add.html"

    def get_form_kwargs(self):
        return generic.FormView.get_form_kwargs(self)

    def form_valid(self, form):
        token, key = ApiToken.issue(self.request.user, form.cleaned_data["name"],
                                    form.cleaned_data.get("expires_at"))
        # The key is shown once and never stored.
        return render(self.request, "accounts/apitoken_created.html", {"token": token, "key": key})


class ApiTokenViews(ViewSet):
    model = ApiToken
    table = ApiTokenTable
    filterset = ApiTokenFilterSet
    form = ApiTokenForm
    create_view = ApiTokenCreateView
    edit_view = None


class LanguageView(AccessMixin, generic.View):
    """Switch the language; remembered on the user when logged in."""

    access = "public"
    http_method_names = ["post"]

    def post(self, request):
        from django.conf import settings
        from django.utils.http import url_has_allowed_host_and_scheme

        lang = request.POST.get("language", "")
        if lang not in dict(settings.LANGUAGES):
            messages.error(request, _("Unknown language."))
            lang = settings.LANGUAGE_CODE
        nxt = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
            nxt = "/"
        if request.user.is_authenticated and request.user.language != lang:
            request.user.language = lang
            request.user.save(update_fields=["language"])
        response = redirect(nxt)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax")
        return response


