"""The user model: signs in by e-mail, carries the public profile (display name, avatar, language)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import roles


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        blank=True,
        help_text=_("Shown next to your posts. Leave empty to stay anonymous."),
    )
    # Nullable: most customers never upload one; the theme draws initials instead.
    # The file name is random (see portal.core.images): the customer's own file name never reaches the disk.
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True, null=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("use_agent_console", _("Can use the agent console and see agent-only content")),
            ("view_operations", _("Can view the operations dashboard")),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        """The name shown to other customers: the display name, or a masked e-mail address."""
        if self.display_name:
            return self.display_name
        local = (self.email or "").split("@")[0]
        return (local[:2] + "***") if local else "—"

    def get_full_name(self):
        return self.public_name

    # Permissions: the user's groups and permissions come in one query (portal.core.roles.prime) before
    # Django's backends answer from their per-user caches; object permissions are left to the backends.
    def has_perm(self, perm, obj=None):
        if obj is None and self.is_active and not self.is_superuser:
            roles.prime(self)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and not self.is_superuser:
            roles.prime(self)
        return super().has_module_perms(app_label)

    def get_short_name(self):
        return self.public_name


class VipCustomer(models.Model):
    """The seed's VIP line, on the customer's account: one source both the message board and the forum read.

    Set by staff (the message desk's supervisors, `portal.intake.actions.set_vip`). Their messages get VIP
    priority and the shorter answer time; their forum threads the shorter first-response target and a badge in
    the moderators' queues. The verified mobile number counts as VIP without signing in (SMS, the web form).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vip")
    mobile = models.CharField(_("verified mobile number"), max_length=20, blank=True, db_index=True)
    # Nullable: the staff member may leave.
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("VIP customer")
        verbose_name_plural = _("VIP customers")

    def __str__(self):
        return str(self.user)
