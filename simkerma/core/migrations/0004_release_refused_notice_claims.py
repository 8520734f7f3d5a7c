"""Notices the mail server refused kept their worker's claim before notices were sent at most once.
The claim is released, as a refusal now does, so they are retried and not held as of unknown outcome."""

from django.db import migrations

MAX_ATTEMPTS = 5  # simkerma.core.notices.MAX_ATTEMPTS when this was written


def release(apps, schema_editor):
    Notice = apps.get_model("core", "Notice")
    (
        Notice.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .exclude(claimed_by="")
        .exclude(last_error="")
        .update(claimed_by="")
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_data_version")]

    operations = [migrations.RunPython(release, migrations.RunPython.noop)]
