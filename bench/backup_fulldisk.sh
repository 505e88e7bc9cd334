#!/usr/bin/env bash
# Real failing folders, no injection: back up a store bigger than a 4 MiB
# tmpfs into it (full), then into a read-only tmpfs. Expect exit 1 each
# time, a message that names the folder and says why, and no file left.
# Needs root (mount). Usage: bench/backup_fulldisk.sh DATA_DIR
set -uo pipefail
data=$1
gogga=${CARGO_TARGET_DIR:-target}/release/gogga
mnt=$(mktemp -d)
mount -t tmpfs -o size=4m tmpfs "$mnt" || { echo "cannot mount a tmpfs (root needed)" >&2; exit 2; }
echo "== full: $(du -sh "$data/gogga.db" | cut -f1) database into a 4 MiB tmpfs"
GOGGA_DATA_DIR=$data "$gogga" backup --to "$mnt"
echo "exit code: $?; left in the folder: [$(ls -A "$mnt")]"
mount -o remount,ro "$mnt"
echo "== read-only tmpfs"
GOGGA_DATA_DIR=$data "$gogga" backup --to "$mnt"
echo "exit code: $?; left in the folder: [$(ls -A "$mnt")]"
umount "$mnt"; rmdir "$mnt"
echo "== missing folder"
GOGGA_DATA_DIR=$data "$gogga" backup --to "$mnt"
echo "exit code: $?"
