import secrets

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Study


@require_GET
def study_list(request):
    return render(request, "studies/study_list.html", {"studies": Study.objects.all()})


def check_database():
    """Reading the studies table proves the connection, the password and that the migrations ran."""
    Study.objects.exists()


def check_redis():
    """A write and a read back through Django's cache prove the connection and the password."""
    token = secrets.token_hex(8)
    cache.set("noctis:health", token, timeout=10)
    if cache.get("noctis:health") != token:
        raise RuntimeError("the value written was not read back")


@never_cache
@require_GET
def health(request):
    """200 and {"status": "ok", ...} when PostgreSQL and Redis both answer, else 503 naming what failed."""
    body = {"status": "ok"}
    for name, check in (("database", check_database), ("redis", check_redis)):
        try:
            check()
            body[name] = "ok"
        # Any failure at all means unhealthy: the monitoring wants its text, not a 500 page.
        except Exception as error:
            body[name] = f"{type(error).__name__}: {error}".strip()
            body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
