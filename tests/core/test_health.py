"""/healthz: 200 only when the database answers and a worker was seen recently."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from bistand.core.models import WorkerHeartbeat
from bistand.ops.management.commands.worker import beat

pytestmark = pytest.mark.django_db


def test_unhealthy_when_no_worker_has_started(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "worker": "no worker has started"}


def test_healthy_with_a_recent_heartbeat(client):
    beat("worker-1", timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_unhealthy_when_the_heartbeat_is_stale(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    old = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="w", started_at=old, last_seen=old)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "ago" in response.json()["checks"]["worker"]


def test_unhealthy_when_the_database_fails(client, monkeypatch):
    beat("worker-1", timezone.now())

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("database unreachable")
