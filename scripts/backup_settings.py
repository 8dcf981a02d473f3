"""Helper of backup.sh and restore.sh: the database and folders as the application sees them.

python scripts/backup_settings.py [MIGRATIONS_JSON]   shell assignments (DB_ENGINE=..., MEDIA_ROOT=...);
                                                      also saves the applied migrations to MIGRATIONS_JSON
python scripts/backup_settings.py --manifest DIR ENGINE DB_FILE STAMP MIGRATIONS_JSON
                                                      manifest.json of a backup folder (no Django needed)
python scripts/backup_settings.py --check DIR      verify a backup folder against its manifest
"""

import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1


def _settings():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    return settings


def shell_assignments():
    settings = _settings()
    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    name = str(database["NAME"])
    if engine == "sqlite3" and not os.path.isabs(name):
        name = str(ROOT / name)
    values = {
        "DB_ENGINE": engine,
        "DB_NAME": name,
        "DB_HOST": database.get("HOST") or "127.0.0.1",
        "DB_PORT": str(database.get("PORT") or "5432"),
        "DB_USER": database.get("USER") or "postgres",
        "DB_PASSWORD": database.get("PASSWORD") or "",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    return "\n".join(f"{key}={shlex.quote(value)}" for key, value in values.items())


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _latest_migrations():
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    if not MigrationRecorder(connection).has_table():
        return {}
    latest = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def manifest(folder, engine, db_file, stamp, migrations_json):
    folder = Path(folder)
    files = {
        path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(folder.iterdir())
        if path.name != "manifest.json"
    }
    return json.dumps(
        {
            "format": FORMAT,
            "created_at": stamp,
            "database": {"engine": engine, "file": db_file},
            "media": "media.tar.gz",
            "private_media": "private_media.tar.gz",
            "files": files,
            "code_commit": _git_commit(),
            "migrations": json.loads(Path(migrations_json).read_text()),
        },
        indent=2,
        sort_keys=True,
    )


def check(folder):
    folder = Path(folder)
    data = json.loads((folder / "manifest.json").read_text())
    if data.get("format") != FORMAT:
        raise SystemExit(f"restore: unknown backup format {data.get('format')!r}")
    for name, expected in data["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise SystemExit(f"restore: {name} is missing or damaged (checksum mismatch)")
    print(f"DB_ENGINE_OF_BACKUP={shlex.quote(data['database']['engine'])}")
    print(f"DB_FILE={shlex.quote(data['database']['file'])}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--manifest":
        print(manifest(*sys.argv[2:7]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        print(shell_assignments())
        if len(sys.argv) > 1:
            Path(sys.argv[1]).write_text(json.dumps(_latest_migrations()))
