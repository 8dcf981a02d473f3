#!/usr/bin/env bash
# Restore an archive made by scripts/backup.sh: the database and both media folders together.
#
#   scripts/restore.sh ARCHIVE [--force]
#
# The target is what the environment points at (DATABASE_URL, MEDIA_ROOT, PRIVATE_MEDIA_ROOT, as for the
# application). Without --force it refuses to overwrite a database that has tables or a media folder that
# has files. With --force the old media folders are kept beside the new ones as <folder>.pre-restore-<time>.
# Stop the web and worker processes first; start them (and run `manage.py migrate`) afterwards. The script
# clears the cache at the end (manage.py clear_cache), so no page from before the restore is served.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077

ARCHIVE="${1:?usage: scripts/restore.sh ARCHIVE [--force]}"
FORCE="${2:-}"
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || command -v python3 )}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-academy.settings.dev}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tar -C "$WORK" -xf "$ARCHIVE"
FOLDER="$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'academy-backup-*' | head -n 1)"
[ -n "$FOLDER" ] && [ -f "$FOLDER/manifest.json" ] || { echo "restore: $ARCHIVE is not an academy backup" >&2; exit 1; }
CHECKED="$("$PYTHON" scripts/backup_settings.py --check "$FOLDER")"
eval "$CHECKED"
SETTINGS="$("$PYTHON" scripts/backup_settings.py)"
eval "$SETTINGS"
[ "$DB_ENGINE_OF_BACKUP" = "$DB_ENGINE" ] || {
  echo "restore: the backup holds a $DB_ENGINE_OF_BACKUP database but the target is $DB_ENGINE" >&2; exit 1; }

folder_has_files() { [ -d "$1" ] && [ -n "$(find "$1" -mindepth 1 -print -quit)" ]; }
for target in "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"; do
  if folder_has_files "$target" && [ "$FORCE" != "--force" ]; then
    echo "restore: $target is not empty (use --force to set it aside and restore)" >&2; exit 1
  fi
done

case "$DB_ENGINE" in
  postgresql)
    export PGPASSWORD="$DB_PASSWORD"
    PSQL=(psql --host="$DB_HOST" --port="$DB_PORT" --username="$DB_USER" --no-psqlrc --quiet --tuples-only)
    if [ -z "$("${PSQL[@]}" --dbname=postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
      createdb --host="$DB_HOST" --port="$DB_PORT" --username="$DB_USER" "$DB_NAME"
    fi
    TABLES="$("${PSQL[@]}" --dbname="$DB_NAME" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" | tr -d ' ')"
    if [ "$TABLES" != "0" ] && [ "$FORCE" != "--force" ]; then
      echo "restore: database $DB_NAME already has $TABLES tables (use --force to replace them)" >&2; exit 1
    fi
    pg_restore --no-owner --no-privileges --clean --if-exists --exit-on-error --single-transaction \
      --host="$DB_HOST" --port="$DB_PORT" --username="$DB_USER" --dbname="$DB_NAME" "$FOLDER/$DB_FILE"
    ;;
  sqlite3)
    if [ -s "$DB_NAME" ] && [ "$FORCE" != "--force" ]; then
      echo "restore: $DB_NAME exists (use --force to replace it)" >&2; exit 1
    fi
    mkdir -p "$(dirname "$DB_NAME")"
    [ -f "$DB_NAME" ] && mv "$DB_NAME" "$DB_NAME.pre-restore-$STAMP"
    rm -f "$DB_NAME-wal" "$DB_NAME-shm" "$DB_NAME-journal"
    cp "$FOLDER/$DB_FILE" "$DB_NAME.restoring"
    [ "$(sqlite3 "$DB_NAME.restoring" 'PRAGMA integrity_check;')" = "ok" ] || {
      echo "restore: the database in the backup failed its integrity check" >&2; exit 1; }
    mv "$DB_NAME.restoring" "$DB_NAME"
    ;;
  *)
    echo "restore: unsupported database engine $DB_ENGINE" >&2; exit 1
    ;;
esac

restore_folder() {  # tarball folder
  if folder_has_files "$2"; then
    mv "$2" "$2.pre-restore-$STAMP"
  fi
  mkdir -p "$2"
  tar -C "$2" -xzf "$FOLDER/$1"
}
restore_folder media.tar.gz "$MEDIA_ROOT"
restore_folder private_media.tar.gz "$PRIVATE_MEDIA_ROOT"

# The cache (Redis in production) still holds pages and verification answers of the data before the restore,
# for up to an hour: empty it (only the cache's keys; Celery's queue in the same Redis is kept).
if ! "$PYTHON" manage.py clear_cache >&2; then
  echo "restore: database and media restored, but the cache could not be cleared:" \
    "run manage.py clear_cache before starting the site" >&2
  exit 1
fi
echo "restore: database ($DB_ENGINE) and media restored from $(basename "$FOLDER"), cache cleared;" \
  "now run manage.py migrate" >&2
