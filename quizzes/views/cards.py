"""Placeholder views: replaced by the issue that owns this module."""

from django.http import HttpResponse



def deck_list(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def review(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def rate(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def undo(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)
