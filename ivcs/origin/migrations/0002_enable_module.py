"""Switch the rules-of-origin module on for the tenants that existed before its pages landed."""

from django.db import migrations


def enable(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    for tenant in Tenant.objects.all():
        modules = list(tenant.enabled_modules or [])
        if "origin" not in modules:
            tenant.enabled_modules = [*modules, "origin"]
            tenant.save(update_fields=["enabled_modules"])


class Migration(migrations.Migration):
    dependencies = [("origin", "0001_initial"), ("tenants", "0002_default_tenant")]

    operations = [migrations.RunPython(enable, migrations.RunPython.noop)]
