"""Tenants: the partners (TPOs, chambers) that run IVCS under their own name, hosts and colours."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

DEFAULT_TENANT_SLUG = "ivcs"
MAX_LOGO_BYTES = 512 * 1024

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, for example #0b5394."))
host_name = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$",
    _("Enter a host name such as comex.example.org (lower case, no scheme, no path)."),
)


def validate_logo_size(file: FieldFile) -> None:
    if file.size is not None and file.size > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo must be at most 512 KB."))


def validate_modules(value: object) -> None:
    known = set(settings.IVCS_MODULES)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Enabled modules must be a list of module names."))
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValidationError(
            _("Unknown modules: %(names)s."), params={"names": ", ".join(unknown)}, code="unknown_module"
        )


def default_modules() -> list[str]:
    return list(settings.IVCS_MODULES)


class Tenant(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    logo = models.FileField(
        _("logo"),
        upload_to="tenants/logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_logo_size],
        help_text=_("PNG, JPEG or WebP, at most 512 KB."),
    )
    primary_colour = models.CharField(_("primary colour"), max_length=7, default="#0b5394", validators=[hex_colour])
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#e69138", validators=[hex_colour])
    default_language = models.CharField(
        _("default language"), max_length=7, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    enabled_modules = models.JSONField(
        _("enabled modules"), default=default_modules, blank=True, validators=[validate_modules]
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.slug == DEFAULT_TENANT_SLUG

    def module_enabled(self, module: str) -> bool:
        return module in settings.IVCS_MODULES and module in (self.enabled_modules or [])


class TenantDomain(models.Model):
    """A host name that serves a tenant (comex.example.org). One host, one tenant."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), related_name="domains", on_delete=models.CASCADE)
    host = models.CharField(_("host"), max_length=255, unique=True, validators=[host_name])

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")

    def __str__(self) -> str:
        return self.host

    def save(self, *args: object, **kwargs: object) -> None:
        self.host = self.host.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
