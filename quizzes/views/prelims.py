"""Placeholder views: replaced by the issue that owns this module."""

from django.http import HttpResponse



def home(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def start(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def attempt(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def answer(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def submit(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def result(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def bookmark(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)
