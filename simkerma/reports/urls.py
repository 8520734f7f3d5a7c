from django.urls import path

from simkerma.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/", views.detail, name="detail"),
    path("<slug:key>/unduh/<slug:fmt>/", views.download, name="download"),
]
