"""The full-text index beside the passages (FTS5 on SQLite, a tsvector column on PostgreSQL), and the
library module switched on for the sites that existed before it landed."""

from django.db import migrations


def install(apps, schema_editor):
    from ivcs.library.fulltext import install_sql

    for statement in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    from ivcs.library.fulltext import uninstall_sql

    for statement in uninstall_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def enable(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    for tenant in Tenant.objects.all():
        modules = list(tenant.enabled_modules or [])
        if "library" not in modules:
            tenant.enabled_modules = [*modules, "library"]
            tenant.save(update_fields=["enabled_modules"])


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial"), ("tenants", "0002_default_tenant")]

    operations = [
        migrations.RunPython(install, uninstall),
        migrations.RunPython(enable, migrations.RunPython.noop),
    ]
