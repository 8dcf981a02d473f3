from django.urls import path

from academy.accounts import telegram, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="account_login"),
    path("logout/", views.LogoutView.as_view(), name="account_logout"),
    path("signup/", views.signup, name="account_signup"),
    path("profile/", views.profile, name="account_profile"),
    path("profile/telegram/link/", telegram.link, name="account_telegram_link"),
    path("profile/telegram/unlink/", telegram.unlink, name="account_telegram_unlink"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
