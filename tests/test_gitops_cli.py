"""`gitops bump` and `gitops promote` against real git repositories: a bare "remote" and clones."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITOPS = ROOT / "scripts" / "gitops"
IDENTITY = {"GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.test",
            "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.test"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **IDENTITY}).stdout


def gitops(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(GITOPS), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **IDENTITY}, timeout=120)


def tag_of(repo: Path, env: str, service: str) -> str:
    return str(yaml.safe_load((repo / "gitops" / "values" / env / f"{service}.yaml").read_text())["image"]["tag"])


@pytest.fixture
def remote(tmp_path) -> Path:
    """A bare repository holding a copy of this project's gitops/ tree on main."""
    seed = tmp_path / "seed"
    shutil.copytree(ROOT / "gitops", seed / "gitops")
    git(seed, "init", "--quiet", "--initial-branch=main")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "seed")
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(seed), str(bare))
    return bare


def clone(remote: Path, name: str) -> Path:
    target = remote.parent / name
    git(remote.parent, "clone", "--quiet", str(remote), str(target))
    return target


def test_bump_changes_one_line_and_keeps_the_comments(remote):
    repo = clone(remote, "a")
    before = (repo / "gitops/values/dev/product.yaml").read_text()
    done = gitops(repo, "bump", "product", "sha-1a2b3c4", "--env", "dev")
    assert done.returncode == 0, done.stderr
    after = (repo / "gitops/values/dev/product.yaml").read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [("  tag: v0.1.0", "  tag: sha-1a2b3c4")]
    # a quoted scalar stays quoted
    gitops(repo, "bump", "mongodb", "8.0.16", "--env", "prod")
    assert '  tag: "8.0.16"' in (repo / "gitops/values/prod/mongodb.yaml").read_text()


@pytest.mark.parametrize("args,expected", [
    (["bump", "basket", "sha-1a2b3c4", "--env", "dev"], "unknown service 'basket': choose one of cart, frontend"),
    (["bump", "product", "sha-1a2b3c4", "--env", "qa"], "unknown environment 'qa': choose one of dev, prod"),
    (["bump", "product", "latest", "--env", "dev"], "malformed image tag 'latest'"),
    (["bump", "product", "v1", "--env", "dev"], "malformed image tag 'v1'"),
    (["bump", "product", "SHA-ABC1234", "--env", "dev"], "malformed image tag"),
    (["bump", "product", "", "--env", "dev"], "malformed image tag ''"),
    (["promote", "v9.9.9"], "no git tag 'v9.9.9'"),
    (["promote", "main"], "release tag 'main' is not vMAJOR.MINOR.PATCH"),
])
def test_bad_input_is_refused_and_changes_nothing(remote, args, expected):
    repo = clone(remote, "a")
    done = gitops(repo, *args, "--commit")
    assert done.returncode == 2 and expected in done.stderr
    assert git(repo, "status", "--porcelain") == "" and git(repo, "rev-list", "--count", "HEAD") == "1\n"


def test_same_tag_is_a_no_op_without_a_commit(remote):
    repo = clone(remote, "a")
    done = gitops(repo, "bump", "product", "v0.1.0", "--env", "dev", "--commit")
    assert done.returncode == 0 and "unchanged" in done.stdout
    assert git(repo, "rev-list", "--count", "HEAD") == "1\n"


def test_bump_commits_and_pushes(remote):
    repo = clone(remote, "a")
    done = gitops(repo, "bump", "cart", "sha-abcdef0", "--env", "dev", "--push")
    assert done.returncode == 0, done.stderr
    assert git(remote, "log", "-1", "--format=%s", "main") == "gitops: bump cart to sha-abcdef0 in dev\n"


def test_promote_copies_the_release_tags_and_pins_prod(remote):
    repo = clone(remote, "a")
    for service, tag in (("product", "sha-1111111"), ("order", "sha-2222222")):
        gitops(repo, "bump", service, tag, "--env", "dev", "--commit")
    git(repo, "tag", "v1.2.0")
    gitops(repo, "bump", "product", "sha-3333333", "--env", "dev", "--commit")  # main moves on

    done = gitops(repo, "promote", "v1.2.0", "--commit")
    assert done.returncode == 0, done.stderr
    # prod gets the tags as they were at v1.2.0, not main's
    assert tag_of(repo, "prod", "product") == "sha-1111111"
    assert tag_of(repo, "prod", "order") == "sha-2222222"
    assert tag_of(repo, "prod", "cart") == tag_of(repo, "dev", "cart")
    for app in (repo / "gitops/services/prod").glob("*.yaml"):
        chart, values = yaml.safe_load(app.read_text())["spec"]["sources"]
        assert chart["targetRevision"] == "v1.2.0" and values == {
            "repoURL": chart["repoURL"], "targetRevision": "main", "ref": "values"}
    assert git(repo, "log", "-1", "--format=%s").startswith("gitops: promote v1.2.0 to prod")
    # promoting again changes nothing
    assert "unchanged" in gitops(repo, "promote", "v1.2.0", "--commit").stdout


@pytest.mark.parametrize("second", ["cart", "product"], ids=["different-services", "same-service"])
def test_racing_bumps_both_land(remote, second):
    a, b = clone(remote, "a"), clone(remote, "b")
    barrier = threading.Barrier(2)
    results = {}

    def bump(repo, service, tag):
        barrier.wait()
        results[service + tag] = gitops(repo, "bump", service, tag, "--env", "dev", "--push")

    threads = [threading.Thread(target=bump, args=(a, "product", "sha-aaaaaaa")),
               threading.Thread(target=bump, args=(b, second, "sha-bbbbbbb"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.returncode == 0 for r in results.values()), [r.stderr for r in results.values()]
    # both clones started from the same head, so one push was rejected and re-applied
    assert sum("applying the change again" in r.stdout for r in results.values()) >= 1

    subjects = git(remote, "log", "--format=%s", "main").splitlines()
    assert "gitops: bump product to sha-aaaaaaa in dev" in subjects
    assert f"gitops: bump {second} to sha-bbbbbbb in dev" in subjects
    final = clone(remote, "check")
    if second == "cart":  # neither edit is lost
        assert tag_of(final, "dev", "product") == "sha-aaaaaaa" and tag_of(final, "dev", "cart") == "sha-bbbbbbb"
    else:  # the later commit wins, and both are in the history
        assert tag_of(final, "dev", "product") == subjects[0].split()[4]
