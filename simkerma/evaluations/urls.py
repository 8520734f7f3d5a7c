from django.urls import path

from simkerma.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_index, name="index"),
    path("ekspor.xlsx", views.evaluations_export, name="export"),
    path("dokumen/<int:pk>/", views.agreement_page, name="agreement"),
    path("dokumen/<int:pk>/baru/", views.evaluation_create, name="create"),
    path("dokumen/<int:pk>/monitoring/", views.monitoring_create, name="monitoring_create"),
    path("dokumen/<int:pk>/survei/", views.survey_send, name="survey_send"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/ubah/", views.evaluation_edit, name="edit"),
    path("<int:pk>/pdf/", views.evaluation_pdf_view, name="pdf"),
    path("<int:pk>/arsipkan/", views.evaluation_archive, name="archive"),
    path("<int:pk>/riwayat/", views.evaluation_history, name="history"),
    path("monitoring/<int:pk>/ubah/", views.monitoring_edit, name="monitoring_edit"),
    path("survei/<str:token>/", views.survey_answer, name="survey_answer"),
]
