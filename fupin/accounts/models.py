"""Users (用户), their role and scope region, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.managers import RestrictedQuerySet
from fupin.core.masking import PHONE
from fupin.core.models import validate_region_code
from fupin.core.policy import Role
from fupin.regions.scope import PROVINCE, is_level


class FupinUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    """A user (用户) with one role (角色) and one scope region (管辖区划)."""

    region_field = "region_code"
    personal_fields = {"phone": PHONE}

    role = models.CharField(_("role"), max_length=20, choices=Role.CHOICES, default=Role.VIEWER)
    region_code = models.CharField(
        _("scope region"), max_length=12, blank=True, db_index=True,
        validators=[validate_region_code],
        help_text=_("The user sees and changes only records under this region."),
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True,
                            help_text=_("The user's work unit, e.g. the county organization department."))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default="zh-hans")
    member = models.OneToOneField(
        "party.PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="user", verbose_name=_("party member"),
        help_text=_("The party-member record of this user; a helper's households are those "
                    "paired with it."))

    objects = FupinUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Only province administrators reach the Django admin (it is for back-office fixes);
        # the role is the single source of truth.
        self.is_staff = self.is_superuser or (
            self.role == Role.ADMIN and is_level(self.region_code, PROVINCE))
        super().save(*args, **kwargs)


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token (接口令牌); only its hash is stored."""

    region_field = "user__region_code"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
        key = "fp_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash_key(key),
                                   expires_at=expires_at)
        return token, key

    @classmethod
    def authenticate(cls, key: str):
        token = cls.objects.select_related("user").filter(key_hash=_hash_key(key)).first()
        if token is None or not token.user.is_active:
            return None
        if token.expires_at and token.expires_at < timezone.now():
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user

    @staticmethod
    def policy_filter(queryset, user, action):
        # A token is its owner's alone, whatever the role.
        return queryset.filter(user=user)
