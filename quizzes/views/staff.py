"""Placeholder views: replaced by the issue that owns this module."""

from django.http import HttpResponse



def learner_list(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)


def learner_detail(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501)
