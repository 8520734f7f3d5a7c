from django.urls import path

from simkerma.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_create_view, name="create"),
    path("<int:pk>/cabut/", views.token_revoke_view, name="revoke"),
]
