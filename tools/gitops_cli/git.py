"""Commit an edit and push it; when the branch moved meanwhile, start again from the new head."""

from __future__ import annotations

import os
import random
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ATTEMPTS = 5


class PushError(Exception):
    """The edit could not be pushed after every attempt: exit 3."""


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", *args], cwd=root, env=env, text=True, capture_output=True, check=check)


def commit(root: Path, files: list[Path], message: str) -> None:
    git(root, "add", "--", *(str(f) for f in files))
    git(root, "commit", "--quiet", "-m", message, "--", *(str(f) for f in files))


def land(root: Path, edit: Callable[[], tuple[list[Path], str] | None], remote: str, branch: str,
         push: bool) -> str | None:
    """Apply edit() (returns the changed files and a commit message, or None), commit, and push.

    A rejected push means someone else landed first: fetch, move to their head (dropping the
    local commit, meant for a CI checkout), apply the edit again on the fresh files (not a
    rebase of the stale commit), and retry.
    """
    for attempt in range(1, ATTEMPTS + 1):
        if attempt > 1:
            git(root, "fetch", "--quiet", remote, branch)
            git(root, "reset", "--quiet", "--hard", f"{remote}/{branch}")
        change = edit()
        if change is None:
            return None
        files, message = change
        commit(root, files, message)
        if not push:
            return message
        pushed = git(root, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}", check=False)
        if pushed.returncode == 0:
            return message
        if "rejected" not in pushed.stderr and "failed to push" not in pushed.stderr:
            raise PushError(f"git push failed: {pushed.stderr.strip()}")
        print(f"{remote}/{branch} moved: applying the change again on its new head (attempt {attempt + 1})")
        time.sleep(random.uniform(0.2, 0.6) * attempt)
    raise PushError(f"{remote}/{branch} kept moving: gave up after {ATTEMPTS} attempts; run the command again")
