"""factory_boy factories for bulk test data."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from ivcs.accounts.models import Membership, Organisation, User
from ivcs.tenants.selectors import default_tenant
from tests.conftest import PASSWORD


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Faker("name", locale="es_MX")
    email_verified = True
    language = "es"

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    # The default tenant, re-created if a transactional test flushed the database before.
    tenant = factory.LazyFunction(default_tenant)
    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Faker("company", locale="es_MX")
    kind = Organisation.Kind.SME
    country = "CL"


def make_organisation(
    *, owner: User | None = None, members: dict[str, User] | None = None, **fields: Any
) -> Organisation:
    """An organisation with an optional owner and {role: user} members."""
    organisation = OrganisationFactory(**fields)
    if owner is not None:
        Membership.objects.create(user=owner, organisation=organisation, role=Membership.Role.OWNER)
    for role, user in (members or {}).items():
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return organisation
