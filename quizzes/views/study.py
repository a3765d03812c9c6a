"""Placeholder views: replaced by the issue that owns this module."""

from django.http import HttpResponse



def topic_list(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def topic_detail(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def topic_studied(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def search(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)
