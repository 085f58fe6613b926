"""Input-product chains: the reference links between HS codes (what a product is made of) and the
SMEs' own bills of materials.

`ChainLink` and `ChainEndUse` are reference data shared by every tenant, loaded by `ivcs
import-chains` from data/input_output/ (curated, derived from industry tables, read from rules of
origin). A `BillOfMaterials` belongs to one SME organisation (tenant-scoped through it); every save
raises its version and keeps the previous content as a `BomVersion`.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from ivcs.accounts.models import Organisation
from ivcs.products.models import HsCode

MAX_INPUTS = 100
MAX_BOMS_PER_ORGANISATION = 200


class LinkSource(models.TextChoices):
    CURATED = "curated", _("curated and reviewed")
    DERIVED = "derived", _("derived from industry input-output tables")
    RULES_OF_ORIGIN = "rules_of_origin", _("named in a rule of origin")
    USER = "user", _("added by SMEs to their own chains")


class EndUse(models.TextChoices):
    INTERMEDIATE = "intermediate", _("intermediate good")
    CAPITAL = "capital", _("capital good")
    CONSUMPTION = "consumption", _("consumer good")
    NOT_CLASSIFIED = "not_classified", _("not classified")


class ChainLink(models.Model):
    """`input` is used to make `product` (HS 2022 codes of 4 or 6 digits), with its evidence."""

    input = models.CharField(_("input"), max_length=6, db_index=True)
    product = models.CharField(_("product"), max_length=6, db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=LinkSource.choices)
    weight = models.FloatField(
        _("weight"), validators=[MinValueValidator(0.0), MaxValueValidator(1.0)], help_text=_("0 to 1")
    )
    confidence = models.FloatField(
        _("confidence"), validators=[MinValueValidator(0.0), MaxValueValidator(1.0)], help_text=_("0 to 1")
    )
    detail = models.TextField(_("source detail"), blank=True, default="")
    role = models.CharField(_("role"), max_length=20, blank=True, default="")
    dataset = models.CharField(_("data file"), max_length=80)
    checked = models.DateField(_("checked on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        ordering = ["product", "-weight", "input"]
        constraints = [
            models.UniqueConstraint(fields=["input", "product", "source"], name="one_link_per_source"),
            models.CheckConstraint(condition=~models.Q(input=models.F("product")), name="link_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.input} → {self.product} ({self.source})"


class ChainEndUse(models.Model):
    """The end use of an HS6 subheading (UN BEC Rev.4 via the SNA basic classes)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    end_use = models.CharField(_("end use"), max_length=20, choices=EndUse.choices)

    class Meta:
        verbose_name = _("end use")
        verbose_name_plural = _("end uses")

    def __str__(self) -> str:
        return f"{self.code} {self.end_use}"


class Originating(models.TextChoices):
    YES = "yes", _("yes, the supplier declares it originating")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("not known")


class BillOfMaterials(models.Model):  # type: ignore[django-manager-missing]
    """An SME's recipe for one of its products: its inputs, where they come from and what they cost."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="bills_of_materials",
        limit_choices_to={"kind": Organisation.Kind.SME},
    )
    product = models.ForeignKey(HsCode, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    notes = models.TextField(_("notes"), max_length=2000, blank=True, default="")
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects: ClassVar[models.Manager[BillOfMaterials]] = ScopedManager(tenant="organisation__tenant")

    class Meta:
        verbose_name = _("bill of materials")
        verbose_name_plural = _("bills of materials")
        ordering = ["organisation", "product", "id"]

    def __str__(self) -> str:
        return f"{self.product_id} {self.name}".strip()


class BomInput(models.Model):
    bom = models.ForeignKey(
        BillOfMaterials, verbose_name=_("bill of materials"), on_delete=models.CASCADE, related_name="inputs"
    )
    hs_code = models.ForeignKey(HsCode, verbose_name=_("HS code"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=200, blank=True, default="")
    origin = models.CharField(
        _("origin country"), max_length=2, blank=True, default="", help_text=_("ISO 3166-1 alpha-2; empty: not known")
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True, default="")
    value_share = models.DecimalField(
        _("share of the product's value (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    originating = models.CharField(
        _("originating declared by the supplier"),
        max_length=8,
        choices=Originating.choices,
        default=Originating.UNKNOWN,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects: ClassVar[models.Manager[BomInput]] = ScopedManager(tenant="bom__organisation__tenant")

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["bom", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_share__isnull=True)
                | (models.Q(value_share__gte=0) & models.Q(value_share__lte=100)),
                name="bom_input_share_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hs_code_id} {self.origin}"


class BomVersion(models.Model):
    """The content of a bill of materials as saved at one version (JSON, the API's shape)."""

    bom = models.ForeignKey(
        BillOfMaterials, verbose_name=_("bill of materials"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    objects: ClassVar[models.Manager[BomVersion]] = ScopedManager(tenant="bom__organisation__tenant")

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["bom", "-version"]
        constraints = [models.UniqueConstraint(fields=["bom", "version"], name="one_row_per_bom_version")]

    def __str__(self) -> str:
        return f"{self.bom_id} v{self.version}"
