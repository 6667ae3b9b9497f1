#!/usr/bin/env python3
"""Hold an exclusive flock on a file for as long as a run lives: the ansible-playbook process,
then the Terraform processes it left running as async jobs (they are detached, so a Ctrl-C or
kill of the run never reaches them). Once the owner is gone, those get SIGINT, Terraform's
graceful stop (state written, state lock released), and the lock is held until they exit.
The kernel drops the lock when this process ends, however it ends: it never goes stale.
Prints one JSON line: {"held": true, ...} or {"held": false, "holder": {...}}.

usage: run_lock_keeper.py LOCK_FILE OWNER_PID WAIT_SECONDS OWNER_COMMAND MARKER GRACE_SECONDS
MARKER: the value of PLATFORM_RUN in the environment of the run's Terraform processes.
"""

import datetime
import fcntl
import json
import os
import signal
import socket
import sys
import time


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def terraform_of_the_run(marker):
    """Terraform and provider processes whose environment carries PLATFORM_RUN=<marker> (Linux)."""
    wanted, found = ("PLATFORM_RUN=" + marker).encode(), []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/comm" % entry, "rb") as f:
                if not f.read().startswith(b"terraform"):
                    continue
            with open("/proc/%s/environ" % entry, "rb") as f:
                if wanted in f.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def wind_down(marker, grace, fd, holder):
    """Interrupt the run's Terraform processes the way Ctrl-C would and wait for them to exit."""
    pids = terraform_of_the_run(marker)
    if not pids:
        return
    holder = dict(holder, stopping="interrupted Terraform (pids %s) is stopping" % " ".join(map(str, pids)))
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while terraform_of_the_run(marker) and time.monotonic() < deadline:
        time.sleep(1)


def main():
    path, owner, wait, command = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    marker, grace = sys.argv[5], float(sys.argv[6])
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            try:
                holder = json.loads(os.pread(fd, 65536, 0) or b"{}")
            except ValueError:
                holder = {}  # the holder is writing it: look again
            if time.monotonic() >= deadline or not alive(owner) or holder.get("pid") == owner:
                print(json.dumps({"held": False, "holder": holder}), flush=True)
                return 1
            time.sleep(1)
    holder = {"pid": owner, "keeper": os.getpid(), "host": socket.gethostname(), "command": command,
              "since": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)
    print(json.dumps({"held": True, "holder": holder}), flush=True)
    sys.stdout.close()
    os.close(1)
    while alive(owner):
        time.sleep(0.5)
    wind_down(marker, grace, fd, holder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
