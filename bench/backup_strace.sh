#!/usr/bin/env bash
# Count the system calls that touch the backup folder, for `gogga backup`
# and for `cp` of the same database, with strace. Usage:
#   bench/backup_strace.sh DATA_DIR TARGET_DIR
# DATA_DIR holds gogga.db (e.g. the benchmark store); TARGET_DIR must exist.
# Uses the release CLI (cargo build --release -p gogga-cli).
set -euo pipefail
data=$1
target=$(realpath "$2")
gogga=${CARGO_TARGET_DIR:-target}/release/gogga
out=$(mktemp -d)
count() { # strace log -> "syscall count" lines for calls naming the target
  grep -F "$target" "$1" | sed -E 's/^(\[pid +[0-9]+\] )?([a-z0-9_]+)\(.*/\2/' | sort | uniq -c | sort -rn
}
GOGGA_DATA_DIR=$data strace -f -y -e trace=file,desc -o "$out/backup.log" "$gogga" backup --to "$target" >/dev/null
echo "== gogga backup --to $target: syscalls on the target folder"
count "$out/backup.log"
echo "   total: $(grep -cF "$target" "$out/backup.log")"
strace -f -y -e trace=file,desc -o "$out/cp.log" cp "$data/gogga.db" "$target/cp-copy.db"
echo "== cp gogga.db $target/: syscalls on the target folder"
count "$out/cp.log"
echo "   total: $(grep -cF "$target" "$out/cp.log")"
rm -f "$target/cp-copy.db"
rm -rf "$out"
