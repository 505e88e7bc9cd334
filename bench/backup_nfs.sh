#!/usr/bin/env bash
# Backup vs cp on a simulated network folder: a FUSE passthrough that adds
# DELAY_MS (default 2) to every operation (bench/backup_fuse_latency.py),
# then the backup benchmark with its target on that mount (cp + fsync and
# `gogga backup`, side by side, same store as benches/backup.rs).
# Needs root (or fusermount3), /dev/fuse, libfuse3, `pip install mfusepy`.
# Usage: bench/backup_nfs.sh [DELAY_MS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
delay=${1:-2}
base=${GOGGA_BENCH_DIR:-/var/tmp/gogga-bench-backup}
backing=$base/slow-backing
mnt=$base/slow-mount
mkdir -p "$backing" "$mnt"
python3 "$here/backup_fuse_latency.py" "$backing" "$mnt" "$delay" &
fuse_pid=$!
trap 'umount "$mnt" 2>/dev/null || true; wait $fuse_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do mountpoint -q "$mnt" && break; sleep 0.1; done
mountpoint -q "$mnt" || { echo "FUSE mount failed" >&2; exit 1; }
echo "simulated network folder: $mnt ($delay ms per operation)"
# GOGGA_BENCH_BIN: an already built bench binary (cargo's lock is busy on a
# shared machine); otherwise cargo builds and runs it.
if [ -n "${GOGGA_BENCH_BIN:-}" ]; then
  GOGGA_BENCH_TARGET=$mnt GOGGA_BENCH_SKIP_LATENCY=1 "$GOGGA_BENCH_BIN"
else
  GOGGA_BENCH_TARGET=$mnt GOGGA_BENCH_SKIP_LATENCY=1 cargo bench -j2 --bench backup
fi
