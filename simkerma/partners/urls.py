from django.urls import path

from simkerma.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("baru/", views.partner_create, name="create"),
    path("cek-nama/", views.partner_check_name, name="check_name"),
    path("pilih/", views.partner_pick, name="pick"),
    path("kategori/", views.category_list, name="categories"),
    path("kategori/baru/", views.category_edit, name="category_create"),
    path("kategori/<int:pk>/ubah/", views.category_edit, name="category_edit"),
    path("kategori/<int:pk>/hapus/", views.category_delete, name="category_delete"),
    path("<int:pk>/", views.partner_detail, name="detail"),
    path("<int:pk>/ubah/", views.partner_edit, name="edit"),
    path("<int:pk>/gabungkan/", views.partner_merge_view, name="merge"),
    path("<int:pk>/riwayat/", views.partner_history, name="history"),
]
