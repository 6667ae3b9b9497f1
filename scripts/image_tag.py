#!/usr/bin/env python3
"""The image tags of a CI build, from the git ref and commit (GITHUB_REF, GITHUB_SHA).

  scripts/image_tag.py [--ref REF] [--sha SHA] [--github-output]

  refs/heads/main        tag sha-<7 hex>                 push true   (gitops bump --env dev)
  refs/tags/vX.Y.Z[-pre] tag vX.Y.Z[-pre], also sha-...  push true   (release; gitops promote)
  anything else          tag sha-<7 hex>                 push false  (pull requests, branches)

Prints `tag=`, `tags=` (space separated, the primary first) and `push=` lines; with
--github-output they are appended to $GITHUB_OUTPUT as well. Every tag matches the gitops tag
policy (tools/gitops_cli/tree.py TAG). Exit 2 on a missing or malformed ref or commit.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

SHA = re.compile(r"^[0-9a-f]{40}$")
RELEASE = re.compile(r"^refs/tags/(v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$")
MAIN = "refs/heads/main"


def tags_for(ref: str, sha: str) -> tuple[list[str], bool]:
    """(tags, push): the primary tag first."""
    if not ref.startswith("refs/"):
        raise ValueError(f"ref must be a full git ref such as {MAIN} or refs/tags/v1.2.3, got {ref!r}")
    if not SHA.match(sha):
        raise ValueError(f"sha must be a full commit id (40 lowercase hex digits), got {sha!r}")
    short = f"sha-{sha[:7]}"
    release = RELEASE.match(ref)
    if release:
        return [release.group(1), short], True
    return [short], ref == MAIN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default=os.environ.get("GITHUB_REF", ""), help="default: $GITHUB_REF")
    parser.add_argument("--sha", default=os.environ.get("GITHUB_SHA", ""), help="default: $GITHUB_SHA")
    parser.add_argument("--github-output", action="store_true", help="also append to $GITHUB_OUTPUT")
    args = parser.parse_args(argv)
    try:
        tags, push = tags_for(args.ref, args.sha)
    except ValueError as err:
        print(f"image_tag: {err}", file=sys.stderr)
        return 2
    lines = [f"tag={tags[0]}", f"tags={' '.join(tags)}", f"push={'true' if push else 'false'}"]
    print("\n".join(lines))
    if args.github_output:
        out = os.environ.get("GITHUB_OUTPUT")
        if not out:
            print("image_tag: --github-output needs GITHUB_OUTPUT", file=sys.stderr)
            return 2
        with open(out, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
