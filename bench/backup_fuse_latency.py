#!/usr/bin/env python3
"""A FUSE passthrough that adds a fixed delay to every filesystem operation,
to stand in for an NFS mount (1-5 ms per operation) in backup benchmarks.

Usage: backup_fuse_latency.py BACKING_DIR MOUNTPOINT [DELAY_MS]
Needs /dev/fuse, libfuse3 and `pip install mfusepy`. Runs in the foreground;
unmount with `umount MOUNTPOINT`. Each request the kernel sends (lookup,
getattr, create, every write/read of up to 128 KiB, fsync, rename, ...)
sleeps DELAY_MS before it is served, one at a time, like a round trip.
"""

import errno
import os
import sys
import threading
import time

import mfusepy as fuse


class Slow(fuse.Operations):
    def __init__(self, root, delay):
        self.root = root
        self.delay = delay
        self.mutex = threading.Lock()  # one round trip at a time
        self.ops = 0

    def _wait(self):
        with self.mutex:
            self.ops += 1
            time.sleep(self.delay)

    def _p(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def access(self, path, amode):
        self._wait()
        if not os.access(self._p(path), amode):
            raise fuse.FuseOSError(errno.EACCES)

    def getattr(self, path, fh=None):
        self._wait()
        st = os.lstat(self._p(path))
        keys = ("st_atime", "st_ctime", "st_gid", "st_mode", "st_mtime", "st_nlink", "st_size", "st_uid")
        return {k: getattr(st, k) for k in keys}

    def readdir(self, path, fh):
        self._wait()
        return [".", ".."] + os.listdir(self._p(path))

    def statfs(self, path):
        self._wait()
        sv = os.statvfs(self._p(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files", "f_flag", "f_frsize", "f_namemax")
        return {k: getattr(sv, k) for k in keys}

    def open(self, path, flags):
        self._wait()
        return os.open(self._p(path), flags)

    def create(self, path, mode, fi=None):
        self._wait()
        return os.open(self._p(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)

    def read(self, path, size, offset, fh):
        self._wait()
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        self._wait()
        return os.pwrite(fh, data, offset)

    def truncate(self, path, length, fh=None):
        self._wait()
        os.truncate(self._p(path), length)

    def flush(self, path, fh):
        self._wait()
        return 0

    def fsync(self, path, datasync, fh):
        self._wait()
        os.fsync(fh)
        return 0

    def fsyncdir(self, path, datasync, fh):
        self._wait()
        return 0

    def release(self, path, fh):
        os.close(fh)
        return 0

    def rename(self, old, new):
        self._wait()
        os.rename(self._p(old), self._p(new))

    def unlink(self, path):
        self._wait()
        os.unlink(self._p(path))

    def mkdir(self, path, mode):
        self._wait()
        os.mkdir(self._p(path), mode)

    def rmdir(self, path):
        self._wait()
        os.rmdir(self._p(path))

    def chmod(self, path, mode):
        self._wait()
        os.chmod(self._p(path), mode)

    def chown(self, path, uid, gid):
        self._wait()
        os.chown(self._p(path), uid, gid)

    def utimens(self, path, times=None):
        self._wait()
        os.utime(self._p(path), times)


if __name__ == "__main__":
    backing, mountpoint = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) / 1000.0 if len(sys.argv) > 3 else 0.002
    fuse.FUSE(Slow(backing, delay), mountpoint, foreground=True, nothreads=False)
