from django.urls import path

from simkerma.activities import calendar_views, reporting_views, views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("baru/", views.activity_create, name="create"),
    path("pilih-dokumen/", views.pick_agreement, name="pick_agreement"),
    path("pilih-terlaksana/", views.pick_reportable, name="pick_reportable"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/ubah/", views.activity_edit, name="edit"),
    path("<int:pk>/status/", views.activity_transition_view, name="transition"),
    path("<int:pk>/riwayat/", views.activity_history, name="history"),
    path("<int:pk>/koordinasi/baru/", views.coordination_create, name="coordination_create"),
    path("<int:pk>/tugas/baru/", views.task_create, name="task_create"),
    path("<int:pk>/luaran/baru/", reporting_views.output_create, name="output_create"),
    path("<int:pk>/luaran/<int:output_pk>/ubah/", reporting_views.output_edit, name="output_edit"),
    path("<int:pk>/luaran/<int:output_pk>/hapus/", reporting_views.output_delete, name="output_delete"),
    path("bentuk-kerjasama/", reporting_views.cooperation_forms, name="cooperation_forms"),
    path("bentuk-kerjasama/<int:pk>/ubah/", reporting_views.cooperation_form_edit, name="cooperation_form_edit"),
    path(
        "bentuk-kerjasama/<int:pk>/hapus/",
        reporting_views.cooperation_form_delete_view,
        name="cooperation_form_delete",
    ),
    path("koordinasi/<int:pk>/", views.coordination_detail, name="coordination_detail"),
    path("koordinasi/<int:pk>/ubah/", views.coordination_edit, name="coordination_edit"),
    path("tugas/", views.my_tasks, name="my_tasks"),
    path("tugas/<int:pk>/selesai/", views.task_done, name="task_done"),
    path("kalender/", calendar_views.calendar_view, name="calendar"),
    path("kalender/langganan/", calendar_views.calendar_subscription, name="calendar_subscription"),
    path("kalender/langganan/ubah/", calendar_views.calendar_subscription_change, name="calendar_subscription_change"),
    path("kalender/feed/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
