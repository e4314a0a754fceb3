#!/usr/bin/env bash
# Nightly dump of the huuco database; keep 14 days. Usage: backup.sh postgres://… /var/backups/huuco
set -euo pipefail
url=$1
dir=$2
mkdir -p "$dir"
pg_dump --format=custom --file="$dir/huuco-$(date +%F).dump" "$url"
find "$dir" -name 'huuco-*.dump' -mtime +14 -delete
