from django.contrib.auth import views as auth_views
from django.urls import path

from simkerma.accounts import views

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("kata-sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("kata-sandi/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("kata-sandi/atur/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("kata-sandi/atur/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("undangan/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("pengguna/", views.account_list, name="account_list"),
    path("pengguna/undang/", views.account_create, name="account_create"),
    path("pengguna/<int:pk>/", views.account_detail, name="account_detail"),
    path("pengguna/<int:pk>/ubah/", views.account_edit, name="account_edit"),
    path("pengguna/<int:pk>/nonaktifkan/", views.account_deactivate_view, name="account_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.account_reactivate_view, name="account_reactivate"),
    path("pengguna/<int:pk>/undang-ulang/", views.account_invitation_resend, name="account_invitation_resend"),
    path("pengguna/<int:pk>/riwayat/", views.account_history, name="account_history"),
]
