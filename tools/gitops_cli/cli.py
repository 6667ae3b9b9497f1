"""Command line: gitops bump | promote | validate | render. Exit codes: 0 ok, 1 findings, 2 bad input, 3 git failed."""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from gitops_cli import validate
from gitops_cli.git import Edit, GitError, git, land
from gitops_cli.tree import RELEASE, TAG, TAG_HELP, Tree, UsageError
from gitops_cli.values import pin_chart_revision, set_image_tag

Change = tuple[list[Path], str] | None


def bump(tree: Tree, service: str, tag: str, env: str) -> Change:
    """Set one service's image tag in one environment."""
    tree.check(service, env, tag)
    path = tree.values_file(env, service)
    old = set_image_tag(path, tag)
    if old is None:
        print(f"{service} in {env} is already {tag}: unchanged")
        return None
    print(f"{service} in {env}: {old or '(no tag)'} -> {tag}")
    return [path], f"gitops: bump {service} to {tag} in {env}"


def released_tags(tree: Tree, release: str) -> dict[str, str]:
    """The dev image tag of every service as it was at the release tag (`git show TAG:path`)."""
    tags = {}
    for service in tree.services():
        path = tree.values_file("dev", service).relative_to(tree.root).as_posix()
        shown = git(tree.root, "show", f"{release}:{path}", check=False)
        if shown.returncode != 0:
            print(f"{service}: no {path} at {release}: prod left as it is")
            continue
        tag = str(((YAML(typ="safe").load(shown.stdout) or {}).get("image") or {}).get("tag"))
        if not TAG.match(tag):
            raise UsageError(f"{path} at {release} has image tag {tag!r}, which cannot go to prod: {TAG_HELP}")
        tags[service] = tag
    return tags


def promote(tree: Tree, release: str) -> Change:
    """Copy the dev image tags as of the release into prod's values and pin prod's charts to the release."""
    if not RELEASE.match(release):
        raise UsageError(f"release tag {release!r} is not vMAJOR.MINOR.PATCH")
    if git(tree.root, "rev-parse", "--verify", "--quiet", f"refs/tags/{release}", check=False).returncode != 0:
        raise UsageError(f"no git tag {release!r}: create (and fetch) the release tag first")
    changed, images, charts = [], [], []
    for service, tag in released_tags(tree, release).items():
        path = tree.values_file("prod", service)
        if not path.is_file():
            raise UsageError(f"{path.relative_to(tree.root)} does not exist: add {service} to prod first")
        old = set_image_tag(path, tag)
        print(f"{service}: {old or '(no tag)'} -> {tag}" if old is not None else f"{service}: {tag} (unchanged)")
        if old is not None:
            changed.append(path)
            images.append(f"{service} {old or '(no tag)'} -> {tag}")
    for app in tree.applications("prod"):
        old = pin_chart_revision(app, release)
        if old is not None:
            print(f"{app.stem} chart: {old} -> {release}")
            changed.append(app)
            charts.append(f"{app.relative_to(tree.root)}: chart {old} -> {release}")
    if not changed:
        print(f"prod is already at {release}: unchanged")
        return None
    subject = f"gitops: promote {release} to prod ({', '.join(images) or 'image tags unchanged'})"
    return changed, "\n\n".join([subject, "\n".join(images + charts)])


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    p = argparse.ArgumentParser(prog="gitops", description=__doc__)
    p.add_argument("--root", type=Path, help="repository root (default: the git top level of the cwd)")
    sub = p.add_subparsers(dest="command", required=True)
    bump_cmd = sub.add_parser("bump", help="set one service's image tag in one environment")
    bump_cmd.add_argument("service")
    bump_cmd.add_argument("tag")
    bump_cmd.add_argument("--env", required=True)
    promote_cmd = sub.add_parser("promote", help="copy a release's dev image tags into prod, pin prod to the tag")
    promote_cmd.add_argument("release", help="an existing git tag vMAJOR.MINOR.PATCH")
    for cmd in (bump_cmd, promote_cmd):
        cmd.add_argument("--commit", action="store_true", help="commit the changed files")
        cmd.add_argument("--push", action="store_true", help="commit and push, re-applying when the branch moved")
        cmd.add_argument("--remote", default="origin")
        cmd.add_argument("--branch", default="main")
    check = sub.add_parser("validate", help="check the whole tree")
    check.add_argument("--no-helm", action="store_true", help="skip rendering the charts")
    show = sub.add_parser("render", help="write every service Application's manifests to a folder")
    show.add_argument("--out", type=Path, required=True, help="folder for <env>-<app>.yaml")
    return p


def find_root(given: Path | None) -> Path:
    """--root, else the git top level of the current directory, else the current directory."""
    if given:
        return given.resolve()
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return Path(top.stdout.strip()).resolve() if top.returncode == 0 else Path.cwd()


def run_validate(tree: Tree, use_helm: bool) -> int:
    """Print every finding (exit 1) or a one-line summary (exit 0)."""
    findings, skipped = validate.run(tree, use_helm=use_helm)
    for path, rule, message in findings:
        print(f"{path}: {rule}: {message}")
    if findings:
        print(f"gitops validate: {len(findings)} finding(s)", file=sys.stderr)
        return 1
    note = f" ({skipped})" if skipped else ""
    print(f"gitops tree valid: {len(tree.manifests())} manifests, {len(tree.services())} services{note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return the exit code."""
    args = parser().parse_args(argv)
    tree = Tree(find_root(args.root))
    try:
        tree.require()
        if args.command == "validate":
            return run_validate(tree, use_helm=not args.no_helm)
        if args.command == "render":
            written = validate.render_to(tree, args.out)
            print(f"rendered {len(written)} Applications to {args.out}")
            return 0
        edit: Edit
        if args.command == "bump":
            edit = functools.partial(bump, tree, args.service, args.tag, args.env)
        else:
            edit = functools.partial(promote, tree, args.release)
        if not (args.commit or args.push):
            edit()
            return 0
        message = land(tree.root, edit, args.remote, args.branch, push=args.push)
        if message:
            print(f"committed{' and pushed' if args.push else ''}: {message.splitlines()[0]}")
        return 0
    except UsageError as err:
        print(f"gitops: {err}", file=sys.stderr)
        return 2
    except GitError as err:
        print(f"gitops: {err}", file=sys.stderr)
        return 3
    except RuntimeError as err:  # render: helm missing or failing
        print(f"gitops: {err}", file=sys.stderr)
        return 1
