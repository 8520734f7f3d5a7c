from django.urls import path

from simkerma.org import views

app_name = "org"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("unit/baru/", views.unit_edit, name="unit_create"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("prodi/baru/", views.prodi_edit, name="prodi_create"),
    path("prodi/<int:pk>/ubah/", views.prodi_edit, name="prodi_edit"),
    path("dosen-tetap/", views.lecturer_counts, name="lecturer_counts"),
]
