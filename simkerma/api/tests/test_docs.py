from __future__ import annotations

import re

from django.contrib.staticfiles import finders


def test_it_serves_the_documentation_from_the_site_alone(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses, html
    assert all(address.startswith("/static/ninja/") for address in addresses), addresses
    for address in addresses:
        assert finders.find(address.removeprefix("/static/")) is not None, address
    # Swagger UI's default online validator is switched off.
    assert '"validatorUrl": null' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in html  # no inline script: the CSP would refuse it


def test_it_publishes_the_schema_with_a_description_and_answers_for_every_operation(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Simkerma API"
    assert schema["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) == 15
    for path, method, operation in operations:
        assert operation.get("summary") and len(operation.get("description", "")) > 20, (path, method)
        assert {"200", "201"} & set(operation["responses"]), (path, method)
        assert "401" in operation["responses"], (path, method)


def test_it_gives_examples_in_the_schemas(client, db):
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert components["AgreementOut"]["properties"]["number"]["examples"] == ["001/MOU.PL29/III/2025"]
    assert components["ServiceRequestIn"]["properties"]["kind"]["examples"] == ["draf_baru"]
    assert components["KpiOut"]["properties"]["year"]["examples"] == [2025]


def test_it_answers_an_unknown_address_under_the_api_with_json(client, db):
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
