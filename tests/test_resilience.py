"""make up / make down when things go wrong, on the local inventory with its own emulator and
state folder. One sequence, each step on what the previous one left:

1. two `make up` at once: the second stops at once naming the first; `make up` interrupted
   (SIGINT, as Ctrl-C) while Terraform applies the eks stack: the run ends, its detached
   Terraform job is interrupted too and stops gracefully (state written, no state lock left);
2. `make up` again converges, while a third `make up` told to wait (-e run_lock_wait) waits for
   it and then changes nothing;
3. `make down` killed hard (SIGKILL of the run and of Terraform) while it destroys the eks
   stack: the state lock stays behind;
4. the next `make down` stops within seconds, explains the stale lock and prints the exact
   recovery command; that command releases it;
5. `make down` on the half-destroyed environment finishes with a clean audit.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, ROOT, aws_client as client, extra_vars, free_port, playbook, playbook_env, recap_changed

TABLE, CLUSTER = "shopfront-local-tflock", "shopfront-local"


class Run:
    """ansible-playbook in the background, in a session of its own (a terminal's Ctrl-C goes to
    the foreground process group: os.killpg does the same)."""

    def __init__(self, book: str, args: list[str], env: dict, log: Path):
        self.log, self.started = log, time.monotonic()
        with open(log, "w") as out:
            self.proc = subprocess.Popen([str(BIN / "ansible-playbook"), book, *args], cwd=ROOT, env=playbook_env(env),
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, timeout: int = 1500) -> int:
        rc = self.proc.wait(timeout=timeout)
        self.seconds = time.monotonic() - self.started
        return rc

    @property
    def output(self) -> str:
        return self.log.read_text()


def terraform_processes(state: Path, stack: str, verbs=("apply", "destroy"), providers=False) -> list[int]:
    """Terraform processes running one of verbs on a stack of this state folder (and, with
    providers, the provider plugins they started)."""
    data_dir = f"TF_DATA_DIR={state}/terraform/{stack}/".encode()
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            comm = Path(f"/proc/{entry}/comm").read_bytes().strip()
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            environ = Path(f"/proc/{entry}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        ours = any(v.startswith(data_dir) for v in environ)
        if ours and ((comm == b"terraform" and len(argv) > 1 and argv[1].decode() in verbs)
                     or (providers and comm.startswith(b"terraform-provi"))):
            found.append(int(entry))
    return found


def wait_for(condition, timeout: float, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def lock_free(path: Path) -> bool:
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(f, fcntl.LOCK_UN)
        return True


def lock_holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}


def state_locks(endpoint: str) -> dict[str, dict]:
    """Terraform's lock records in the lock table (not its -md5 digest records), by state key."""
    items = client("dynamodb", endpoint).scan(TableName=TABLE)["Items"]
    return {i["LockID"]["S"].split("/", 1)[1]: json.loads(i["Info"]["S"]) for i in items if "Info" in i}


def eks_locked(endpoint: str) -> bool:
    try:
        return "eks/terraform.tfstate" in state_locks(endpoint)
    except Exception:  # the lock table is not there yet
        return False


def state_of(endpoint: str, stack: str) -> dict | None:
    s3 = client("s3", endpoint)
    bucket = next((b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("shopfront-local-tfstate-")))
    try:
        return json.loads(s3.get_object(Bucket=bucket, Key=f"{stack}/terraform.tfstate")["Body"].read())
    except s3.exceptions.NoSuchKey:
        return None


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resilience")
    state, port = tmp / "state", free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = {"PLATFORM_AWS_ENDPOINT_URL": endpoint, "PLATFORM_TIMING_DIR": str(tmp / "timing")}
    args = extra_vars(platform_state_dir=str(state))
    run_lock = state / "run.lock"
    s = {"state": state, "endpoint": endpoint}
    try:
        # 1. two at once, then Ctrl-C during the eks apply
        first = Run("site.yml", args, env, tmp / "up-interrupted.log")
        assert wait_for(lambda: lock_holder(run_lock).get("pid") == first.proc.pid, 120), first.output[-3000:]
        s["second"] = playbook("site.yml", *args, env=env, timeout=300)
        # mid-apply: Terraform holds the eks state lock
        s["terraform_eks"] = wait_for(lambda: (eks_locked(endpoint) and terraform_processes(state, "eks"))
                                      or first.proc.poll() is not None, 1200)
        if first.proc.poll() is None:
            os.killpg(first.proc.pid, signal.SIGINT)
        s["interrupted_rc"], s["interrupted_out"] = first.wait(), first.output
        s["interrupted_record"] = json.loads((tmp / "timing" / "history.jsonl").read_text().splitlines()[-1])
        s["lock_freed_after"] = wait_for(lambda: lock_free(run_lock) and time.monotonic(), 600, 0.5)
        s["terraform_left"] = terraform_processes(state, "eks", providers=True)
        s["locks_after_interrupt"] = state_locks(endpoint)
        s["eks_state_after_interrupt"] = state_of(endpoint, "eks")
        record = state / "terraform" / "plan-folder-in-use"
        s["plans_after_interrupt"] = Path(record.read_text().strip()) if record.exists() else None

        # 2. the re-run converges; a run told to wait queues behind it, then changes nothing
        rerun = Run("site.yml", args, env, tmp / "up-rerun.log")
        assert wait_for(lambda: lock_holder(run_lock).get("pid") == rerun.proc.pid, 120), rerun.output[-3000:]
        queued = Run("site.yml", [*args, *extra_vars(run_lock_wait=1800)], env, tmp / "up-queued.log")
        s["rerun_rc"], s["rerun_out"] = rerun.wait(), rerun.output
        s["rerun_ended"] = time.monotonic()
        s["queued_rc"], s["queued_out"], s["queued_started"] = queued.wait(), queued.output, queued.started
        s["queued_seconds"] = queued.seconds
        s["plans_left_after_rerun"] = (s["plans_after_interrupt"] is not None and s["plans_after_interrupt"].exists(),
                                       record.exists())
        assert s["rerun_rc"] == 0 and s["queued_rc"] == 0, "later steps need a built environment"

        # 3. make down killed hard while Terraform destroys the eks stack
        down = Run("teardown.yml", args, env, tmp / "down-killed.log")
        s["terraform_eks_destroy"] = wait_for(lambda: eks_locked(endpoint) and terraform_processes(state, "eks"), 900)
        for pid in terraform_processes(state, "eks", providers=True):  # as a crash or the OOM killer would
            os.kill(pid, signal.SIGKILL)
        if down.proc.poll() is None:
            os.killpg(down.proc.pid, signal.SIGKILL)
        down.wait()
        s["locks_after_kill"] = state_locks(endpoint)

        # 4. the next make down explains the stale lock and the command that releases it
        explained = Run("teardown.yml", args, env, tmp / "down-explained.log")
        s["explained_rc"], s["explained_out"], s["explained_seconds"] = explained.wait(), explained.output, explained.seconds
        s["eks_state_after_kill"] = state_of(endpoint, "eks")
        command = re.search(r"ansible-playbook -i \S+ playbooks/unlock\.yml[^\n'\"]*", s["explained_out"])
        s["unlock_command"] = command.group(0).strip() if command else ""
        if command:
            s["unlock"] = playbook(*shlex.split(s["unlock_command"])[1:], *args, env=env, timeout=300)
            s["locks_after_unlock"] = state_locks(endpoint)

        # 5. make down on the half-destroyed environment
        s["down"] = playbook("teardown.yml", *args, env=env, timeout=1500)
        yield s
    finally:
        playbook("playbooks/aws_stop.yml", *args, env=env)


def test_a_second_run_stops_at_once_naming_the_first(story):
    second = story["second"]
    out = " ".join(second.stdout.split())
    assert second.returncode != 0
    assert "Another run is using this environment: pid" in out and "site.yml" in out
    assert "run_lock_wait" in out  # how to wait instead
    assert "PLAY [aws" not in second.stdout  # it stopped before touching AWS


def test_ctrl_c_during_apply_stops_terraform_gracefully(story):
    assert isinstance(story["terraform_eks"], list), "never saw Terraform apply the eks stack"
    assert story["interrupted_rc"] != 0
    # the boot-time history keeps the interrupted run, marked so, up to the eks phase
    assert story["interrupted_record"]["interrupted"] is True
    assert [p["phase"] for p in story["interrupted_record"]["phases"]][-1] == "eks"
    # the detached Terraform job was interrupted too, and no process of the run outlives the lock
    assert story["lock_freed_after"]
    assert story["terraform_left"] == []
    # Terraform stopped cleanly: no state lock left; the eks state, if it got that far, is readable
    assert story["locks_after_interrupt"] == {}
    assert story["eks_state_after_interrupt"] is None or story["eks_state_after_interrupt"]["version"] == 4


def test_rerun_after_the_interruption_converges_and_a_queued_run_waits(story):
    assert story["rerun_rc"] == 0, story["rerun_out"][-5000:]
    assert story["queued_rc"] == 0, story["queued_out"][-5000:]
    # the queued run started while the re-run held the lock and finished after it, with nothing to do
    assert story["queued_started"] < story["rerun_ended"]
    assert recap_changed(story["queued_out"]) == {0}
    # the interrupted run's plan folder (plan files hold state data) was removed by the re-run
    assert story["plans_after_interrupt"] is not None
    assert story["plans_left_after_rerun"] == (False, False)


def test_a_killed_run_leaves_a_stale_lock_that_is_explained_with_the_exact_command(story):
    assert story["terraform_eks_destroy"], "Terraform never ran the eks destroy"
    stale = story["locks_after_kill"]
    assert list(stale) == ["eks/terraform.tfstate"], stale
    lock_id = stale["eks/terraform.tfstate"]["ID"]
    out = " ".join(story["explained_out"].split())
    assert story["explained_rc"] != 0
    assert story["explained_seconds"] < 240  # it did not sit out the 300 s lock timeout
    assert f"make unlock INVENTORY=inventories/local STACK=eks LOCK_ID={lock_id}" in out
    assert lock_id in story["unlock_command"]
    # nothing was lost: the eks state is still there for the next run to finish the destroy
    assert story["eks_state_after_kill"] is not None


def test_the_printed_command_releases_the_lock(story):
    assert story["unlock"].returncode == 0, story["unlock"].stdout[-5000:]
    assert story["locks_after_unlock"] == {}


def test_down_finishes_the_half_destroyed_environment(story):
    down = story["down"]
    assert down.returncode == 0, down.stdout[-5000:]
    assert "Audit: nothing tagged" in down.stdout
