from django.urls import path

from fupin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("language/", views.LanguageView.as_view(), name="language"),
    *views.ApiTokenViews.urls(app_name, prefix="tokens/"),
    *views.UserViews.urls(app_name, prefix="users/"),
]
