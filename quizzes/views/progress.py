"""Placeholder views: replaced by the issue that owns this module."""

from django.http import HttpResponse



def dashboard(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def history(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def export(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)
