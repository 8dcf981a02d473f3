#!/usr/bin/env bash
# Back up the database and both media folders into one timestamped archive with a manifest.
#
#   scripts/backup.sh [OUTPUT_DIR]          (default OUTPUT_DIR: ./backups)
#
# Reads the same environment as the application (DJANGO_SETTINGS_MODULE, DATABASE_URL, MEDIA_ROOT,
# PRIVATE_MEDIA_ROOT, ...). PostgreSQL is dumped with `pg_dump -Fc`, SQLite copied with `sqlite3 .backup`
# (both consistent while the site runs). Prints the archive's path on the last line.
# The archive holds personal data: store it encrypted and with restricted access (it is created mode 600).
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077

OUTPUT_DIR="${1:-${BACKUP_DIR:-backups}}"
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || command -v python3 )}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-academy.settings.dev}"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
NAME="academy-backup-$STAMP"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/$NAME" "$OUTPUT_DIR"

# Database and folders exactly as the application sees them (and the migrations applied, for the manifest).
SETTINGS="$("$PYTHON" scripts/backup_settings.py "$WORK/migrations.json")"
eval "$SETTINGS"

case "$DB_ENGINE" in
  postgresql)
    DB_FILE=database.dump
    PGPASSWORD="$DB_PASSWORD" pg_dump --format=custom --no-owner --no-privileges \
      --host="$DB_HOST" --port="$DB_PORT" --username="$DB_USER" --dbname="$DB_NAME" \
      --file="$WORK/$NAME/$DB_FILE"
    ;;
  sqlite3)
    DB_FILE=database.sqlite3
    [ -f "$DB_NAME" ] || { echo "backup: SQLite database $DB_NAME does not exist" >&2; exit 1; }
    sqlite3 "$DB_NAME" ".backup '$WORK/$NAME/$DB_FILE'"
    [ "$(sqlite3 "$WORK/$NAME/$DB_FILE" 'PRAGMA integrity_check;')" = "ok" ] || {
      echo "backup: the SQLite copy failed its integrity check" >&2; exit 1; }
    ;;
  *)
    echo "backup: unsupported database engine $DB_ENGINE" >&2
    exit 1
    ;;
esac

archive_folder() {  # folder tarball
  if [ -d "$1" ]; then
    tar -C "$1" -czf "$WORK/$NAME/$2" .
  else
    tar -czf "$WORK/$NAME/$2" --files-from /dev/null
  fi
}
archive_folder "$MEDIA_ROOT" media.tar.gz
archive_folder "$PRIVATE_MEDIA_ROOT" private_media.tar.gz

"$PYTHON" scripts/backup_settings.py --manifest "$WORK/$NAME" "$DB_ENGINE" "$DB_FILE" "$STAMP" \
  "$WORK/migrations.json" > "$WORK/$NAME/manifest.json"

tar -C "$WORK" -cf "$OUTPUT_DIR/$NAME.tar" "$NAME"
chmod 600 "$OUTPUT_DIR/$NAME.tar"
echo "backup: database ($DB_ENGINE), media and private media saved" >&2
echo "$OUTPUT_DIR/$NAME.tar"
