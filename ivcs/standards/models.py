"""Purchasing standards, certification schemes, certifiers, costs, financing, courses and buyers' requirements.

The catalogue (sectors, schemes, certifiers, costs, programmes, courses, buyers' requirement sets)
is reference data shared by every tenant: it is loaded from data/standards by `ivcs
import-standards` and curated by operators. Every record carries its provenance: sources, the date
the facts were checked, and whether they were verified (fields not confirmed are listed).
What an organisation holds (`HeldCertification`) and what a certifier proposes to change
(`CertifierUpdate`) belong to a tenant's organisations.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from ivcs.accounts.models import Organisation, User


def translated(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text of a {en, es, pt} mapping in the active language, falling back to English."""
    if not texts:
        return ""
    lang = (language or get_language() or "en")[:2].lower()
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


class Verified(models.TextChoices):
    YES = "yes", _("verified")
    PARTIAL = "partial", _("partly verified")
    NO = "no", _("not verified")


class Provenance(models.Model):
    """Where the facts of a record come from and how far they were checked."""

    sources = models.JSONField(_("sources"), default=list, blank=True, help_text=_("list of {url, title, date}"))
    checked = models.DateField(_("checked on"))
    verified = models.CharField(_("verified"), max_length=8, choices=Verified.choices, default=Verified.NO)
    unverified = models.JSONField(_("fields not verified"), default=list, blank=True)
    note = models.TextField(_("curator's note"), blank=True, default="")

    class Meta:
        abstract = True

    def is_unverified(self, field: str) -> bool:
        return self.verified == Verified.NO or field in (self.unverified or [])


class Sector(Provenance):
    id = models.CharField(_("identifier"), max_length=60, primary_key=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.JSONField(_("name"), help_text=_("{en, es, pt}"))
    hs = models.JSONField(_("HS ranges"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return translated(self.name)


class Scheme(Provenance):
    class Kind(models.TextChoices):
        FOOD_SAFETY = "food_safety", _("Food safety")
        PRIMARY_PRODUCTION = "primary_production", _("Good agricultural and aquaculture practices")
        QUALITY = "quality", _("Quality management")
        ENVIRONMENT = "environment", _("Environment")
        SOCIAL = "social", _("Social and labour audit")
        SUSTAINABILITY = "sustainability", _("Sustainability")
        ORGANIC = "organic", _("Organic")
        FAIR_TRADE = "fair_trade", _("Fair trade")
        TEXTILE_PRODUCT = "textile_product", _("Textile product safety")
        TEXTILE_CHAIN = "textile_chain", _("Textile supply chain")
        INFORMATION_SECURITY = "information_security", _("Information security")
        IT_SERVICE = "it_service", _("IT services and software process")
        HALAL_KOSHER = "halal_kosher", _("Religious dietary")
        PRODUCT_SAFETY = "product_safety", _("Product safety")
        MANAGEMENT_SYSTEM = "management_system", _("Management system")

    id = models.CharField(_("identifier"), max_length=60, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True, default="")
    owner = models.CharField(_("owner"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="schemes", blank=True)
    hs = models.JSONField(_("HS ranges"), default=list, blank=True)
    scope = models.JSONField(_("what it covers"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    scheme_version = models.CharField(_("version"), max_length=200, blank=True, default="")
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), null=True, blank=True)
    audit_cycle = models.JSONField(_("audit cycle"), default=dict, blank=True)
    levels = models.JSONField(_("levels or grades"), default=list, blank=True)
    site = models.URLField(_("official site"), max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Recognition(Provenance):
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="recognitions")
    by = models.CharField(_("recognised by"), max_length=40, help_text=_("e.g. gfsi"))
    scope = models.CharField(_("scope"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [models.UniqueConstraint(fields=["scheme", "by"], name="one_recognition_per_body")]

    def __str__(self) -> str:
        return f"{self.scheme_id} ← {self.by}"


class Equivalence(Provenance):
    class Relation(models.TextChoices):
        EQUIVALENT = "equivalent", _("equivalent")
        INCLUDES = "includes", _("includes")
        BENCHMARKED = "benchmarked", _("benchmarked against")

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="relations")
    other = models.ForeignKey(Scheme, verbose_name=_("other scheme"), on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)

    class Meta:
        verbose_name = _("relation between schemes")
        verbose_name_plural = _("relations between schemes")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "other", "relation"], name="one_relation_per_pair"),
            models.CheckConstraint(condition=~models.Q(scheme=models.F("other")), name="relation_between_two"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.relation} {self.other_id}"


class Certifier(Provenance):
    id = models.CharField(_("identifier"), max_length=60, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    site = models.URLField(_("website"), max_length=500, blank=True, default="")
    accreditation = models.JSONField(_("accreditation"), default=dict, blank=True)
    schemes = models.ManyToManyField(Scheme, verbose_name=_("schemes"), related_name="certifiers", blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation that may propose changes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.CERTIFIER},
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certification body")
        verbose_name_plural = _("certification bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Office(Provenance):
    certifier = models.ForeignKey(
        Certifier, verbose_name=_("certifier"), on_delete=models.CASCADE, related_name="offices"
    )
    country = models.CharField(_("country"), max_length=2, db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=60, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    url = models.URLField(_("web page"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["country", "city"]

    def __str__(self) -> str:
        return f"{self.certifier_id} {self.country} {self.city}"


class CostEstimate(Provenance):
    ANY_COUNTRY = "*"

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="costs")
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO code, or * for any country"))
    currency = models.CharField(_("currency"), max_length=3)
    total_min = models.DecimalField(_("minimum"), max_digits=16, decimal_places=2)
    total_max = models.DecimalField(_("maximum"), max_digits=16, decimal_places=2)
    parts = models.JSONField(_("parts"), default=list, blank=True)
    months_min = models.PositiveSmallIntegerField(_("months (minimum)"), null=True, blank=True)
    months_max = models.PositiveSmallIntegerField(_("months (maximum)"), null=True, blank=True)
    basis = models.JSONField(_("what the estimate assumes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("cost and time estimate")
        verbose_name_plural = _("cost and time estimates")
        ordering = ["scheme", "country"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_min__lte=models.F("total_max")), name="cost_min_le_max"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.country} {self.total_min}-{self.total_max} {self.currency}"


class Programme(Provenance):
    class Instrument(models.TextChoices):
        GRANT = "grant", _("Grant")
        LOAN = "loan", _("Loan")
        CO_FINANCING = "co_financing", _("Co-financing")
        GUARANTEE = "guarantee", _("Guarantee")
        TRAINING = "training", _("Training")
        TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
        SUBSIDY = "subsidy", _("Subsidy")
        MATCHMAKING = "matchmaking", _("Business matchmaking")

    id = models.CharField(_("identifier"), max_length=80, primary_key=True)
    country = models.CharField(_("country"), max_length=5, db_index=True, help_text=_("ISO code or LATAM"))
    name = models.CharField(_("name"), max_length=300)
    institution = models.CharField(_("institution"), max_length=300)
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices)
    purposes = models.JSONField(_("purposes"), default=list)
    schemes = models.ManyToManyField(Scheme, verbose_name=_("schemes named"), related_name="programmes", blank=True)
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    coverage_percent = models.PositiveSmallIntegerField(_("coverage (%)"), null=True, blank=True)
    maximum_amount = models.DecimalField(_("maximum"), max_digits=18, decimal_places=2, null=True, blank=True)
    maximum_currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    url = models.URLField(_("web page"), max_length=500, blank=True, default="")
    active = models.CharField(
        _("active"), max_length=8, choices=[("yes", _("yes")), ("no", _("no")), ("unknown", _("unknown"))]
    )

    class Meta:
        verbose_name = _("financing or support programme")
        verbose_name_plural = _("financing and support programmes")
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class Course(Provenance):
    id = models.CharField(_("identifier"), max_length=80, primary_key=True)
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("title"), max_length=300)
    provider = models.CharField(_("provider"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    languages = models.JSONField(_("languages"), default=list)
    cost = models.CharField(_("cost"), max_length=10)
    url = models.URLField(_("web page"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("course or guide")
        verbose_name_plural = _("courses and guides")
        ordering = ["scheme", "title"]

    def __str__(self) -> str:
        return self.title


class Buyer(Provenance):
    id = models.CharField(_("identifier"), max_length=60, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    demo = models.BooleanField(_("fictional demo buyer"), default=False)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="buyers", blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation that edits it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.BUYER},
    )

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["demo", "name"]

    def __str__(self) -> str:
        return self.name


class RequirementSet(Provenance):
    id = models.CharField(_("identifier"), max_length=80, primary_key=True)
    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="requirement_sets")
    title = models.JSONField(_("title"), default=dict)
    hs = models.JSONField(_("HS ranges"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("requirement set")
        verbose_name_plural = _("requirement sets")
        ordering = ["buyer", "id"]

    def __str__(self) -> str:
        return translated(self.title) or self.id


class Requirement(models.Model):
    class Level(models.TextChoices):
        MANDATORY = "mandatory", _("mandatory")
        PREFERRED = "preferred", _("preferred")

    requirement_set = models.ForeignKey(
        RequirementSet, verbose_name=_("requirement set"), on_delete=models.CASCADE, related_name="requirements"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    schemes = models.ManyToManyField(Scheme, verbose_name=_("any of these schemes"), related_name="+", blank=True)
    recognised_by = models.CharField(
        _("or any scheme recognised by"), max_length=40, blank=True, default="", help_text=_("e.g. gfsi")
    )
    note = models.JSONField(_("note"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["requirement_set", "position", "id"]

    def __str__(self) -> str:
        return f"{self.requirement_set_id} #{self.position}"


class HeldCertification(models.Model):
    """A certificate an organisation holds (an SME's, usually), with its expiry date."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="certifications"
    )
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="+")
    expires = models.DateField(_("expires on"), null=True, blank=True)
    certifier = models.ForeignKey(
        Certifier, verbose_name=_("certified by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(_("certificate number"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects: ClassVar[models.Manager[HeldCertification]] = ScopedManager(tenant="organisation__tenant")

    class Meta:
        verbose_name = _("certification held")
        verbose_name_plural = _("certifications held")
        ordering = ["organisation", "scheme"]
        constraints = [models.UniqueConstraint(fields=["organisation", "scheme"], name="one_certificate_per_scheme")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.scheme_id}"


class CertifierUpdate(models.Model):
    """Contact data a certifier proposes for its own record; an operator reviews it before it shows."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    certifier = models.ForeignKey(Certifier, verbose_name=_("certifier"), on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("proposed by (organisation)"), on_delete=models.CASCADE, related_name="+"
    )
    proposed_by = models.ForeignKey(
        User, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data: Any = models.JSONField(_("proposed data"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        User, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects: ClassVar[models.Manager[CertifierUpdate]] = ScopedManager(tenant="organisation__tenant")

    class Meta:
        verbose_name = _("proposed certifier update")
        verbose_name_plural = _("proposed certifier updates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.certifier_id} ({self.status})"
