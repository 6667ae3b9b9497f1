"""Commit an edit and push it; when the branch moved meanwhile, start again from the new head."""

from __future__ import annotations

import os
import random
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from gitops_cli.tree import UsageError

ATTEMPTS = 5
# What git says when the remote branch is not where our commit was made: someone pushed first
# (client-side check), or pushed at the same moment (the remote's ref lock or old-value check).
MOVED = ("(fetch first)", "(non-fast-forward)", "(failed to update ref)", "(failed to lock)", "cannot lock ref",
         "incorrect old value")

# An edit returns the files it changed and the commit message, or None when nothing changed.
Edit = Callable[[], tuple[list[Path], str] | None]


class GitError(Exception):
    """A git command failed, or the edit could not be pushed after every attempt: exit 3."""


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run git in root without a terminal prompt; raise GitError when check and it fails."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    done = subprocess.run(["git", *args], cwd=root, env=env, text=True, capture_output=True)
    if check and done.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done


def require_clean(root: Path) -> None:
    """--push may reset the checkout to the remote branch: refuse when that would drop local edits."""
    if git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        raise UsageError("the working tree has uncommitted changes and --push resets it on a retry: "
                         "commit or stash them first")


def commit(root: Path, files: list[Path], message: str) -> None:
    """Commit exactly these files (other staged changes stay staged)."""
    names = [str(f) for f in files]
    git(root, "add", "--", *names)
    git(root, "commit", "--quiet", "-m", message, "--", *names)


def land(root: Path, edit: Edit, remote: str, branch: str, push: bool) -> str | None:
    """Apply edit(), commit, and (push) push to remote/branch; return the commit message, or None if unchanged.

    A push rejected because the branch moved means someone else landed first: fetch, reset to
    their head (dropping our local commit; --push is meant for a CI checkout), apply the edit
    again to the fresh files (not a rebase of the stale commit), commit and push again.
    """
    if push:
        require_clean(root)
    for attempt in range(1, ATTEMPTS + 1):
        if attempt > 1:
            git(root, "fetch", "--quiet", remote, branch)
            git(root, "reset", "--quiet", "--hard", "FETCH_HEAD")
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
        if not any(sign in pushed.stderr for sign in MOVED):
            raise GitError(f"git push to {remote} {branch} was refused: {pushed.stderr.strip()}")
        if attempt < ATTEMPTS:
            print(f"{remote}/{branch} moved: applying the change again on its new head (attempt {attempt + 1})",
                  flush=True)
            time.sleep(random.uniform(0.1, 0.5) * attempt)  # jitter: racing jobs do not retry in lockstep
    raise GitError(f"{remote}/{branch} kept moving: gave up after {ATTEMPTS} attempts; run the command again")
