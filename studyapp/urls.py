from django.contrib import admin
from django.urls import include, path

from studyapp import views

handler400 = "studyapp.errors.bad_request"
handler403 = "studyapp.errors.permission_denied"
handler404 = "studyapp.errors.page_not_found"
handler500 = "studyapp.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/delete/", views.delete_account, name="delete-account"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("preview/", include("content.urls")),
    path("", include("quizzes.urls")),
]
