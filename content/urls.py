from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("questions/<slug:slug>/", views.question_preview, name="question-preview"),
]
