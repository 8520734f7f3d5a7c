"""Indexed word search on activities (core.search_index)."""

from django.db import migrations

from simkerma.core.search_index import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("activities", "0007_seed_cooperation_forms"), ("agreements", "0006_search_index")]

    operations = [
        CreateSearchIndex(table="activities_activity", columns=["code", "title"]),
    ]
