from django.urls import path

from simkerma.kpis import views

app_name = "kpis"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cakupan-prodi/", views.coverage, name="coverage"),
    path("cakupan-prodi/<int:prodi>/", views.prodi_activities, name="prodi_activities"),
    path("aspek/", views.aspects, name="aspects"),
    path("unit/<int:unit>/<str:field>/", views.unit_field, name="unit_field"),
]
