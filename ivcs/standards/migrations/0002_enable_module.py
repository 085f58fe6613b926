"""Switch the standards module on for the tenants that existed before it landed.

New tenants get every module by default (tenants.models.default_modules); a partner can switch a
module off in the operator area afterwards.
"""

from django.db import migrations


def enable(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    for tenant in Tenant.objects.all():
        modules = list(tenant.enabled_modules or [])
        if "standards" not in modules:
            tenant.enabled_modules = [*modules, "standards"]
            tenant.save(update_fields=["enabled_modules"])


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial"), ("tenants", "0002_default_tenant")]

    operations = [migrations.RunPython(enable, migrations.RunPython.noop)]
