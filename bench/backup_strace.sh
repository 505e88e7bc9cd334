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
on_target() { # lines whose path argument or fd is in the target folder
  grep -E "(<|\")$target" "$1" | grep -vE "^[0-9]+ +execve"
}
count() { # strace log -> "count syscall" per system call on the target
  on_target "$1" | sed -E 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/' | sort | uniq -c | sort -rn
}
GOGGA_DATA_DIR=$data strace -f -y -e trace=file,desc -o "$out/backup.log" "$gogga" backup --to "$target" >/dev/null
echo "== gogga backup --to $target: syscalls on the target folder"
count "$out/backup.log"
echo "   total: $(on_target "$out/backup.log" | wc -l)"
strace -f -y -e trace=file,desc -o "$out/cp.log" cp "$data/gogga.db" "$target/cp-copy.db"
echo "== cp gogga.db $target/: syscalls on the target folder"
count "$out/cp.log"
echo "   total: $(on_target "$out/cp.log" | wc -l)"
rm -f "$target/cp-copy.db"
rm -rf "$out"
