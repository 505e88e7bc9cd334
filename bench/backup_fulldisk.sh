#!/usr/bin/env bash
# A real full disk: back up a store bigger than a 4 MiB tmpfs into it.
# Expect exit 1, a message saying the folder is full, and no file left.
# Needs root (mount). Usage: bench/backup_fulldisk.sh DATA_DIR
set -uo pipefail
data=$1
gogga=${CARGO_TARGET_DIR:-target}/release/gogga
mnt=$(mktemp -d)
mount -t tmpfs -o size=4m tmpfs "$mnt" || { echo "cannot mount a tmpfs (root needed)" >&2; exit 2; }
GOGGA_DATA_DIR=$data "$gogga" backup --to "$mnt"
echo "exit code: $?"
echo "left in the folder: [$(ls -A "$mnt")]"
umount "$mnt"; rmdir "$mnt"
