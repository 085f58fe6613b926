"""The business profile of an SME: what it makes, where, how much, for whom, and what it holds.

One profile per organisation of kind `sme`, tenant-scoped through its organisation. Certificates
held are not stored here: they are ivcs.standards' HeldCertification rows of the organisation.
Contact details are never shown outside the organisation; the other fields are shown to other
organisations of the same tenant only when `public` is set.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from ivcs.accounts.models import Organisation
from ivcs.core.choices import Language, Unit
from ivcs.products.models import HsCode
from ivcs.standards.models import Sector

MAX_DESCRIPTION = 4000
MAX_PRODUCT_DESCRIPTION = 1000
MAX_PRODUCTS = 50


CapacityUnit = Unit  # the same units as opportunities' quantities


class RevenueBand(models.TextChoices):
    MICRO = "micro", _("Micro: under USD 100,000 a year")
    SMALL = "small", _("Small: USD 100,000 to 2 million a year")
    MEDIUM = "medium", _("Medium: USD 2 to 10 million a year")
    LARGE = "large", _("Large: over USD 10 million a year")


class BuyerType(models.TextChoices):
    RETAIL = "retail", _("Retail")
    FOOD_SERVICE = "food_service", _("Food service")
    MANUFACTURER = "manufacturer", _("Manufacturer")
    DISTRIBUTOR = "distributor", _("Distributor")
    PUBLIC = "public", _("Public procurement")
    OTHER = "other", _("Other")


class Profile(models.Model):  # type: ignore[django-manager-missing]
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="profile",
        limit_choices_to={"kind": Organisation.Kind.SME},
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    region = models.CharField(_("region"), max_length=120, blank=True, default="")
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="+", blank=True)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION, blank=True, default="")
    description_language = models.CharField(
        _("language of the description"), max_length=2, choices=Language.choices, default=Language.ES
    )
    capacity_volume = models.DecimalField(
        _("production capacity per year"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=10, choices=CapacityUnit.choices, blank=True, default=""
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue_band = models.CharField(
        _("annual revenue"), max_length=10, choices=RevenueBand.choices, blank=True, default=""
    )
    years_exporting = models.PositiveSmallIntegerField(
        _("years exporting"), default=0, validators=[MaxValueValidator(100)]
    )
    markets_served = models.JSONField(_("markets served"), default=list, blank=True, help_text=_("ISO country codes"))
    languages = models.JSONField(_("languages spoken"), default=list, blank=True, help_text=_("es, pt, en"))
    interest_countries = models.JSONField(
        _("markets of interest"), default=list, blank=True, help_text=_("ISO country codes or blocs such as EU")
    )
    interest_buyer_types = models.JSONField(_("buyers of interest"), default=list, blank=True)
    public = models.BooleanField(
        _("visible to buyers"),
        default=False,
        help_text=_("Shown to buyers in supplier discovery. Contact details are never shown."),
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True, default="")
    contact_email = models.EmailField(_("contact e-mail"), blank=True, default="")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects: ClassVar[models.Manager[Profile]] = ScopedManager(tenant="organisation__tenant")

    class Meta:
        verbose_name = _("SME profile")
        verbose_name_plural = _("SME profiles")
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity_volume__isnull=True) | models.Q(capacity_volume__gte=0),
                name="profile_capacity_not_negative",
            ),
            models.CheckConstraint(condition=models.Q(years_exporting__lte=100), name="profile_years_le_100"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ProfileProduct(models.Model):
    """A product the SME makes, by HS heading (4 digits) or subheading (6), in its own words too."""

    profile = models.ForeignKey(Profile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="products")
    hs_code = models.ForeignKey(HsCode, verbose_name=_("HS code"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"), max_length=MAX_PRODUCT_DESCRIPTION, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects: ClassVar[models.Manager[ProfileProduct]] = ScopedManager(tenant="profile__organisation__tenant")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["profile", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "hs_code"], name="one_row_per_hs_code")]

    def __str__(self) -> str:
        return f"{self.hs_code_id} {self.description[:40]}"
