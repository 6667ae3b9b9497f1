"""`gitops bump` and `gitops promote` against real git repositories: a bare "remote" and clones."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITOPS = ROOT / "scripts" / "gitops"
# Someone else always lands first: the remote's update hook moves the branch before our push's ref update.
ALWAYS_MOVED = """#!/bin/sh
export GIT_AUTHOR_NAME=other GIT_AUTHOR_EMAIL=other@example.test
export GIT_COMMITTER_NAME=other GIT_COMMITTER_EMAIL=other@example.test
next=$(git commit-tree -p "$2" -m "someone else" "$2^{tree}")
git update-ref "$1" "$next" "$2"
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def gitops(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(GITOPS), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def identify(repo: Path) -> None:
    git(repo, "config", "user.name", "ci")
    git(repo, "config", "user.email", "ci@example.test")


def tag_of(repo: Path, env: str, service: str) -> str:
    return str(yaml.safe_load((repo / "gitops/values" / env / f"{service}.yaml").read_text())["image"]["tag"])


def changed_lines(before: str, after: str) -> list[str]:
    """The -/+ lines of a unified diff."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "-+" and line[:3] not in ("---", "+++")]


@pytest.fixture
def remote(tmp_path) -> Path:
    """A bare repository holding a copy of this project's gitops/ tree on main."""
    seed = tmp_path / "seed"
    shutil.copytree(ROOT / "gitops", seed / "gitops")
    git(seed, "init", "--quiet", "--initial-branch=main")
    identify(seed)
    git(seed, "add", "gitops")
    git(seed, "commit", "--quiet", "-m", "seed")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    git(seed, "push", "--quiet", str(bare), "main")
    return bare


def clone(remote: Path, name: str) -> Path:
    target = remote.parent / name
    git(remote.parent, "clone", "--quiet", str(remote), str(target))
    identify(target)
    return target


def test_bump_changes_one_line_and_keeps_the_comments(remote):
    repo = clone(remote, "a")
    before = (repo / "gitops/values/dev/product.yaml").read_text()
    done = gitops(repo, "bump", "product", "sha-1a2b3c4", "--env", "dev")
    assert done.returncode == 0, done.stderr
    assert "product in dev: v0.1.0 -> sha-1a2b3c4" in done.stdout
    after = (repo / "gitops/values/dev/product.yaml").read_text()
    assert changed_lines(before, after) == ["-  tag: v0.1.0", "+  tag: sha-1a2b3c4"]
    assert git(repo, "status", "--porcelain") == " M gitops/values/dev/product.yaml\n"  # no --commit: no commit
    # a quoted scalar stays quoted
    before = (repo / "gitops/values/prod/mongodb.yaml").read_text()
    assert gitops(repo, "bump", "mongodb", "8.0.16", "--env", "prod").returncode == 0
    after = (repo / "gitops/values/prod/mongodb.yaml").read_text()
    assert changed_lines(before, after) == ['-  tag: "8.0.15"', '+  tag: "8.0.16"']


@pytest.mark.parametrize("args,expected", [
    (["bump", "basket", "sha-1a2b3c4", "--env", "dev"],
     "unknown service 'basket': choose one of cart, frontend, mongodb, order, product"),
    (["bump", "product", "sha-1a2b3c4", "--env", "qa"], "unknown environment 'qa': choose one of dev, prod"),
    (["bump", "product", "sha-1a2b3c4", "--env", "base"], "unknown environment 'base': choose one of dev, prod"),
    (["bump", "product", "latest", "--env", "dev"], "malformed image tag 'latest': use sha-<7-40"),
    (["bump", "product", "v1", "--env", "dev"], "malformed image tag 'v1'"),
    (["bump", "product", "SHA-ABC1234", "--env", "dev"], "malformed image tag 'SHA-ABC1234'"),
    (["bump", "product", "sha-abc12", "--env", "dev"], "malformed image tag 'sha-abc12'"),
    (["bump", "product", "", "--env", "dev"], "malformed image tag ''"),
    (["promote", "v9.9.9"], "no git tag 'v9.9.9'"),
    (["promote", "main"], "release tag 'main' is not vMAJOR.MINOR.PATCH"),
])
def test_bad_input_is_refused_and_changes_nothing(remote, args, expected):
    repo = clone(remote, "a")
    done = gitops(repo, *args, "--commit")
    assert done.returncode == 2, done.stdout + done.stderr
    assert expected in done.stderr, done.stderr
    assert git(repo, "status", "--porcelain") == "" and git(repo, "rev-list", "--count", "HEAD") == "1\n"


@pytest.mark.parametrize("tag", ["sha-0123456789abcdef0123456789abcdef01234567", "1.2.3-rc.1", "v2.0.0", "8.0.16"])
def test_well_formed_tags_are_accepted(remote, tag):
    repo = clone(remote, "a")
    done = gitops(repo, "bump", "cart", tag, "--env", "dev")
    assert done.returncode == 0, done.stderr
    assert tag_of(repo, "dev", "cart") == tag


def test_same_tag_is_a_no_op_without_a_commit(remote):
    repo = clone(remote, "a")
    done = gitops(repo, "bump", "product", "v0.1.0", "--env", "dev", "--commit")
    assert done.returncode == 0 and "unchanged" in done.stdout
    assert git(repo, "rev-list", "--count", "HEAD") == "1\n" and git(repo, "status", "--porcelain") == ""


def test_bump_commits_and_pushes(remote):
    repo = clone(remote, "a")
    done = gitops(repo, "bump", "cart", "sha-abcdef0", "--env", "dev", "--push")
    assert done.returncode == 0, done.stderr
    assert git(remote, "log", "-1", "--format=%s", "main") == "gitops: bump cart to sha-abcdef0 in dev\n"
    assert git(remote, "show", "--format=", "--name-only", "main") == "gitops/values/dev/cart.yaml\n"


def test_promote_copies_the_release_tags_and_pins_prod(remote):
    repo = clone(remote, "a")
    for service, tag in (("product", "sha-1111111"), ("order", "sha-2222222")):
        assert gitops(repo, "bump", service, tag, "--env", "dev", "--commit").returncode == 0
    git(repo, "tag", "v1.2.0")
    gitops(repo, "bump", "product", "sha-3333333", "--env", "dev", "--commit")  # main moves on
    apps = sorted((repo / "gitops/services/prod").glob("*.yaml"))
    before = {app: app.read_text() for app in apps}

    done = gitops(repo, "promote", "v1.2.0", "--commit")
    assert done.returncode == 0, done.stderr
    assert "product: v0.1.0 -> sha-1111111" in done.stdout and "order: v0.1.0 -> sha-2222222" in done.stdout
    # prod gets the tags as they were at v1.2.0, not main's
    assert tag_of(repo, "prod", "product") == "sha-1111111"
    assert tag_of(repo, "prod", "order") == "sha-2222222"
    assert tag_of(repo, "prod", "cart") == "v0.1.0" and tag_of(repo, "prod", "mongodb") == "8.0.15"
    for app in apps:  # only the chart source's targetRevision changed; the ref: values source is untouched
        assert changed_lines(before[app], app.read_text()) == ["-      targetRevision: v0.1.0",
                                                               "+      targetRevision: v1.2.0"]
        chart, values = yaml.safe_load(app.read_text())["spec"]["sources"]
        assert chart["targetRevision"] == "v1.2.0"
        assert values == {"repoURL": chart["repoURL"], "targetRevision": "main", "ref": "values"}
    assert git(repo, "log", "-1", "--format=%s") == (
        "gitops: promote v1.2.0 to prod (order v0.1.0 -> sha-2222222, product v0.1.0 -> sha-1111111)\n")
    assert git(repo, "status", "--porcelain") == ""
    # promoting again changes nothing
    again = gitops(repo, "promote", "v1.2.0", "--commit")
    assert again.returncode == 0 and "unchanged" in again.stdout
    assert git(repo, "rev-list", "--count", "HEAD") == "5\n"


def test_promote_refuses_a_release_with_a_bad_dev_tag(remote):
    repo = clone(remote, "a")
    path = repo / "gitops/values/dev/cart.yaml"
    path.write_text(path.read_text().replace("tag: v0.1.0", "tag: latest"))
    git(repo, "commit", "--quiet", "-am", "hand edit")
    git(repo, "tag", "v2.0.0")
    done = gitops(repo, "promote", "v2.0.0")
    assert done.returncode == 2 and "image tag 'latest'" in done.stderr
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize("second", ["cart", "product"], ids=["different-services", "same-service"])
def test_racing_bumps_both_land(remote, second):
    a, b = clone(remote, "a"), clone(remote, "b")
    runs = [(a, "product", "sha-aaaaaaa"), (b, second, "sha-bbbbbbb")]
    procs = [subprocess.Popen([str(GITOPS), "bump", service, tag, "--env", "dev", "--commit", "--push"], cwd=repo,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for repo, service, tag in runs]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    # both clones started from the same head, so one push was rejected and the bump re-applied
    assert sum("applying the change again" in out for out, _ in outputs) >= 1, outputs

    subjects = git(remote, "log", "--format=%s", "main").splitlines()
    assert sorted(subjects[:2]) == sorted(["gitops: bump product to sha-aaaaaaa in dev",
                                           f"gitops: bump {second} to sha-bbbbbbb in dev"])
    assert subjects[2:] == ["seed"]  # linear history: the loser re-applied on the winner's commit
    final = clone(remote, "check")
    if second == "cart":  # neither edit is lost
        assert tag_of(final, "dev", "product") == "sha-aaaaaaa" and tag_of(final, "dev", "cart") == "sha-bbbbbbb"
    else:  # the later commit wins, and both are in the history
        assert tag_of(final, "dev", "product") == subjects[0].split()[4]


def test_push_gives_up_with_exit_3_when_the_branch_keeps_moving(remote):
    repo = clone(remote, "a")
    hook = remote / "hooks" / "update"
    hook.write_text(ALWAYS_MOVED)
    hook.chmod(0o755)
    done = gitops(repo, "bump", "order", "sha-0000001", "--env", "dev", "--push")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "gave up after 5 attempts" in done.stderr
    assert done.stdout.count("applying the change again") == 4
    subjects = git(remote, "log", "--format=%s", "main").splitlines()
    assert subjects == ["someone else"] * 5 + ["seed"]  # every attempt was refused


def test_push_refused_for_another_reason_is_not_retried(remote):
    repo = clone(remote, "a")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'main is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    done = gitops(repo, "bump", "order", "sha-0000001", "--env", "dev", "--push")
    assert done.returncode == 3 and "main is protected" in done.stderr
    assert "applying the change again" not in done.stdout


def test_push_refuses_a_dirty_working_tree(remote):
    repo = clone(remote, "a")
    (repo / "gitops/README.md").write_text("local work\n")
    done = gitops(repo, "bump", "order", "sha-0000001", "--env", "dev", "--push")
    assert done.returncode == 2 and "uncommitted changes" in done.stderr
    assert git(repo, "rev-list", "--count", "HEAD") == "1\n"
