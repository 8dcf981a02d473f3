"""scripts/backup.sh and scripts/restore.sh: the database and both media folders, together.

On SQLite the in-memory test database is copied to a file first (what a deployment's db.sqlite3 would be);
on PostgreSQL (marker-free: it follows DATABASE_URL) the test database itself is dumped and restored into
a fresh database. The restored copy is then read by a separate process, as the restored site would.
"""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import textwrap
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests import factories

ROOT = Path(settings.BASE_DIR)
PG = connection.vendor == "postgresql"


def _script_env(database_url, media, private):
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "DJANGO_"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "academy.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
        "PYTHON": sys.executable,
    }


def _run(args, env):
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _pg_url(name):
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{database['USER']}{password}@{host}:{port}/{name}"


def _drop_pg_database(name):
    env = {**os.environ, "PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}
    database = connection.settings_dict
    subprocess.run(
        [
            "dropdb",
            "--if-exists",
            "--force",
            "-h",
            database.get("HOST") or "127.0.0.1",
            "-p",
            str(database.get("PORT") or 5432),
            "-U",
            database["USER"],
            name,
        ],
        env=env,
        capture_output=True,
    )


@pytest.fixture
def source_database(tmp_path):
    """A URL of the current test database as a deployment would have it (committed data)."""
    if PG:
        return _pg_url(connection.settings_dict["NAME"])
    path = tmp_path / "live" / "db.sqlite3"
    path.parent.mkdir()

    def copy():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"

    return copy


@pytest.fixture
def restored_database(tmp_path):
    if PG:
        name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:6]}"
        yield _pg_url(name)
        _drop_pg_database(name)
    else:
        yield f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}"


def _certificate_for(participant, course, admin_user):
    """An issued certificate once the certificates app can issue one; None before."""
    try:
        from certificates.services import issuance
    except ImportError:
        return None
    if (
        not hasattr(issuance, "issue_certificate")
        or "certificates_certificate" not in connection.introspection.table_names()
    ):
        return None
    from courses.models import Registration

    session = factories.make_session(course, starts_at=factories.bishkek(2026, 3, 2), status="open")
    registration = Registration.objects.create(session=session, user=participant, status="confirmed")
    registration.completed_at = factories.bishkek(2026, 3, 3, 18)
    registration.save(update_fields=["completed_at"])
    from tests.certificates.conftest import make_template

    certificate, _created = issuance.issue_certificate(
        registration, template=make_template(), issued_by=admin_user, notify=False
    )
    return certificate


READ_BACK = textwrap.dedent(
    """
    import json, sys
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from academy.models import User

    email, code = sys.argv[1], sys.argv[2]
    user = User.objects.get(email=email)
    result = {"name": user.profile.full_name, "media": [], "private": []}
    for root, key in ((settings.MEDIA_ROOT, "media"), (settings.PRIVATE_MEDIA_ROOT, "private")):
        from pathlib import Path
        result[key] = sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())
    if code:
        response = Client().get(f"/verify/{code}/?lang=en")
        result["verify_status"] = response.status_code
        result["verify_body"] = response.content.decode()
    print(json.dumps(result))
    """
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_a_fresh_database_and_media_keeps_everything(
    tmp_path, settings, participant, course, admin_user, source_database, restored_database
):
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "bap-template.docx").write_bytes(b"PK\x03\x04 joint action plan template")
    (private / "assignments" / "7").mkdir(parents=True)
    (private / "assignments" / "7" / "plan.pdf").write_bytes(b"%PDF-1.4 a participant's plan")
    certificate = _certificate_for(participant, course, admin_user)

    source_url = source_database if PG else source_database()
    archive = Path(
        _run(["bash", "scripts/backup.sh", str(tmp_path / "out")], _script_env(source_url, media, private))
        .stdout.strip()
        .splitlines()[-1]
    )
    assert archive.is_file() and archive.name.startswith("academy-backup-") and archive.suffix == ".tar"
    assert oct(archive.stat().st_mode)[-3:] == "600"
    with tarfile.open(archive) as bundle:
        names = {Path(name).name for name in bundle.getnames()}
        manifest = json.load(
            bundle.extractfile(next(m for m in bundle.getmembers() if m.name.endswith("manifest.json")))
        )
    assert {"manifest.json", "media.tar.gz", "private_media.tar.gz", manifest["database"]["file"]} <= names
    assert manifest["database"]["engine"] == ("postgresql" if PG else "sqlite3")
    assert manifest["migrations"]["academy"]
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())

    fresh_media, fresh_private = tmp_path / "new-media", tmp_path / "new-private"
    target = _script_env(restored_database, fresh_media, fresh_private)
    _run(["bash", "scripts/restore.sh", str(archive)], target)

    code = certificate.code if certificate is not None else ""
    read = json.loads(_run([sys.executable, "-c", READ_BACK, participant.email, code], target).stdout.splitlines()[-1])
    assert read["name"] == participant.profile.full_name
    assert read["media"] == ["documents/bap-template.docx"]
    assert "assignments/7/plan.pdf" in read["private"]
    assert (fresh_private / "assignments" / "7" / "plan.pdf").read_bytes() == b"%PDF-1.4 a participant's plan"
    from certificates import urls_unprefixed

    if certificate is not None and urls_unprefixed.urlpatterns:  # once /verify/<code>/ exists
        assert read["verify_status"] == 200
        assert certificate.number in read["verify_body"]

    # Restoring over a live site needs --force, and keeps the old media aside.
    refused = subprocess.run(
        ["bash", "scripts/restore.sh", str(archive)], env=target, cwd=ROOT, capture_output=True, text=True
    )
    assert refused.returncode != 0
    assert "--force" in refused.stderr


def test_restore_refuses_a_damaged_archive(tmp_path):
    folder = tmp_path / "academy-backup-20260101T000000Z"
    folder.mkdir()
    (folder / "media.tar.gz").write_bytes(b"changed")
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "format": 1,
                "database": {"engine": "sqlite3", "file": "database.sqlite3"},
                "files": {"media.tar.gz": {"bytes": 3, "sha256": "0" * 64}},
            }
        )
    )
    archive = tmp_path / "damaged.tar"
    with tarfile.open(archive, "w") as bundle:
        bundle.add(folder, arcname=folder.name)
    env = _script_env(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path / "m", tmp_path / "p")
    result = subprocess.run(
        ["bash", "scripts/restore.sh", str(archive)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "checksum" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()


REDIS_CACHE = os.environ.get("CACHE_URL", "") if os.environ.get("CACHE_URL", "").startswith("rediscache://") else ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_says_it_cleared_the_cache(tmp_path, settings, participant, source_database, restored_database):
    source_url = source_database if PG else source_database()
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    archive = Path(
        _run(["bash", "scripts/backup.sh", str(tmp_path / "out")], _script_env(source_url, media, private))
        .stdout.strip()
        .splitlines()[-1]
    )
    restored = _run(
        ["bash", "scripts/restore.sh", str(archive)],
        _script_env(restored_database, tmp_path / "new-media", tmp_path / "new-private"),
    )
    assert "cache 'default' cleared" in restored.stderr
    assert "cache cleared" in restored.stderr


@pytest.mark.skipif(not REDIS_CACHE, reason="needs a Redis cache shared between processes (CACHE_URL=rediscache://…)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_restore_verify_shows_the_restored_status_not_a_cached_one(
    tmp_path, settings, participant, course, admin_user, source_database, restored_database
):
    """Backed up while valid, revoked (and the revoked page cached by the live site), then restored: the
    verification page says valid again at once, and Celery's queue in the same Redis database survives."""
    from django.core.cache import cache

    from certificates.services import revocation

    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    certificate = _certificate_for(participant, course, admin_user)
    source_env = _script_env(source_database if PG else source_database(), media, private)
    archive = Path(_run(["bash", "scripts/backup.sh", str(tmp_path / "out")], source_env).stdout.splitlines()[-1])

    revocation.revoke_certificate(certificate, reason="Issued by mistake", actor=admin_user)
    source_env = _script_env(source_database if PG else source_database(), media, private)
    live = json.loads(
        _run([sys.executable, "-c", READ_BACK, participant.email, certificate.code], source_env).stdout.splitlines()[-1]
    )
    assert "This certificate has been revoked." in live["verify_body"]  # and now cached, for an hour

    broker = cache._cache.get_client(write=True)
    broker.rpush("celery", "a queued task")  # what Celery keeps in the same Redis database by default
    try:
        target = _script_env(restored_database, tmp_path / "new-media", tmp_path / "new-private")
        _run(["bash", "scripts/restore.sh", str(archive)], target)
        read = json.loads(
            _run([sys.executable, "-c", READ_BACK, participant.email, certificate.code], target).stdout.splitlines()[-1]
        )
        assert "This certificate is valid." in read["verify_body"]
        assert broker.lrange("celery", 0, -1) == [b"a queued task"]
    finally:
        broker.delete("celery")


def test_clear_cache_empties_the_cache(settings):
    from django.core.cache import cache
    from django.core.management import call_command

    cache.set("academy-cache:v:catalogue", 7)
    call_command("clear_cache")
    assert cache.get("academy-cache:v:catalogue") is None
