"""Switch the chains module on for the tenants that existed before it landed."""

from django.db import migrations


def enable(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    for tenant in Tenant.objects.all():
        modules = list(tenant.enabled_modules or [])
        if "chains" not in modules:
            tenant.enabled_modules = [*modules, "chains"]
            tenant.save(update_fields=["enabled_modules"])


class Migration(migrations.Migration):
    dependencies = [("chains", "0001_initial"), ("tenants", "0002_default_tenant")]

    operations = [migrations.RunPython(enable, migrations.RunPython.noop)]
