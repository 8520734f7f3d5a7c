"""Indexed word search on service requests (core.search_index)."""

from django.db import migrations

from simkerma.core.search_index import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0003_conversation"), ("partners", "0005_search_index")]

    operations = [
        CreateSearchIndex(
            table="servicedesk_servicerequest",
            columns=["code", "subject", "requester_name", "requester_organisation"],
        ),
    ]
