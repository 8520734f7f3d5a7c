from django.urls import path

from simkerma.intake import views

app_name = "intake"
urlpatterns = [
    path("whatsapp/", views.whatsapp_webhook, name="whatsapp_webhook"),
]
