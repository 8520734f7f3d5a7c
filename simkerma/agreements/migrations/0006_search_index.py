"""Indexed word search on agreements (core.search_index)."""

from django.db import migrations

from simkerma.core.search_index import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_sdg_ministry_mark"), ("partners", "0005_search_index")]

    operations = [
        CreateSearchIndex(
            table="agreements_agreement", columns=["number", "partner_number", "title"], groups=[["number"]]
        ),
    ]
