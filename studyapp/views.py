"""Placeholder: the foundation issue builds home, signup, profile."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("studyapp")


def signup(request):
    return HttpResponse("Not built yet.", status=501)


def profile(request):
    return HttpResponse("Not built yet.", status=501)


def delete_account(request):
    return HttpResponse("Not built yet.", status=501)
