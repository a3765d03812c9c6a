"""Placeholder views: replaced by the issue that owns this module."""

from django.http import HttpResponse



def question_list(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def write(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def autosave(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def answer_detail(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def assess(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def feedback(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)
