"""Command line: gitops bump | promote | validate. Exit codes: 0 ok, 1 findings, 2 bad input, 3 push failed."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from gitops_cli import validate
from gitops_cli.git import PushError, git, land
from gitops_cli.tree import RELEASE, Tree, UsageError
from gitops_cli.values import pin_chart_revision, set_image_tag


def bump(tree: Tree, service: str, tag: str, env: str) -> tuple[list[Path], str] | None:
    tree.check(service, env, tag)
    path = tree.values_file(env, service)
    old = set_image_tag(path, tag)
    if old is None:
        print(f"{service} in {env} is already {tag}: unchanged")
        return None
    print(f"{service} in {env}: {old} -> {tag}")
    return [path], f"gitops: bump {service} to {tag} in {env}"


def released_tags(tree: Tree, release: str) -> dict[str, str]:
    """The dev image tag of every service as it was at the release tag."""
    from ruamel.yaml import YAML

    tags = {}
    for service in tree.services():
        path = tree.values_file("dev", service).relative_to(tree.root)
        shown = git(tree.root, "show", f"{release}:{path}", check=False)
        if shown.returncode == 0:
            tags[service] = str(YAML(typ="safe").load(shown.stdout)["image"]["tag"])
    return tags


def promote(tree: Tree, release: str) -> tuple[list[Path], str] | None:
    if not RELEASE.match(release):
        raise UsageError(f"release tag {release!r} is not vMAJOR.MINOR.PATCH")
    if git(tree.root, "rev-parse", "--verify", "--quiet", f"refs/tags/{release}", check=False).returncode != 0:
        raise UsageError(f"no git tag {release!r}: create and push the release tag first")
    changed, notes = [], []
    for service, tag in released_tags(tree, release).items():
        path = tree.values_file("prod", service)
        old = set_image_tag(path, tag)
        if old is not None:
            changed.append(path)
            notes.append(f"{service} {old} -> {tag}")
    for app in tree.applications("prod"):
        old = pin_chart_revision(app, release)
        if old is not None:
            changed.append(app)
            notes.append(f"{app.stem} chart {old} -> {release}")
    if not changed:
        print(f"prod is already at {release}: unchanged")
        return None
    print("\n".join(notes))
    return changed, f"gitops: promote {release} to prod\n\n" + "\n".join(notes)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gitops", description=__doc__)
    p.add_argument("--root", type=Path, help="repository root (default: the git top level of the cwd)")
    sub = p.add_subparsers(dest="command", required=True)
    for name, text in (("bump", "set one service's image tag in one environment"),
                       ("promote", "copy a release's image tags into prod and pin prod to the release tag")):
        cmd = sub.add_parser(name, help=text)
        if name == "bump":
            cmd.add_argument("service")
            cmd.add_argument("tag")
            cmd.add_argument("--env", required=True)
        else:
            cmd.add_argument("release")
        cmd.add_argument("--commit", action="store_true", help="commit the change")
        cmd.add_argument("--push", action="store_true", help="commit and push, retrying when the branch moved")
        cmd.add_argument("--remote", default="origin")
        cmd.add_argument("--branch", default="main")
    check = sub.add_parser("validate", help="check the whole tree")
    check.add_argument("--no-helm", action="store_true", help="skip rendering the charts")
    return p


def find_root(given: Path | None) -> Path:
    if given:
        return given.resolve()
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return Path(top.stdout.strip()) if top.returncode == 0 else Path.cwd()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    tree = Tree(find_root(args.root))
    try:
        if args.command == "validate":
            findings, notes = validate.run(tree, use_helm=not args.no_helm)
            for path, rule, message in findings:
                print(f"{path}: {rule}: {message}")
            for note in notes:
                print(f"note: {note}")
            if findings:
                print(f"{len(findings)} finding(s)", file=sys.stderr)
                return 1
            print(f"gitops tree valid: {len(tree.manifests())} manifests, {len(tree.services())} services")
            return 0
        if args.command == "bump":
            edit = lambda: bump(tree, args.service, args.tag, args.env)  # noqa: E731
        else:
            edit = lambda: promote(tree, args.release)  # noqa: E731
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
    except PushError as err:
        print(f"gitops: {err}", file=sys.stderr)
        return 3
