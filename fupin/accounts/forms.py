from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from fupin.accounts.models import ApiToken, User
from fupin.core.forms import ScopedModelForm


class UserForm(ScopedModelForm):
    password = forms.CharField(
        label=_("password"), widget=forms.PasswordInput(render_value=False), required=False,
        help_text=_("Leave empty to keep the current password. At least 8 characters."),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "region_code", "unit", "phone", "language",
                  "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = _("At least 8 characters.")

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "expires_at"]
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
