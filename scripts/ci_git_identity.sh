#!/usr/bin/env bash
# Give a CI checkout a commit identity for the commits `scripts/gitops bump|promote --push` make,
# unless the repository already has one. Local to the repository (never --global).
#   scripts/ci_git_identity.sh [NAME] [EMAIL]    default: github-actions[bot]
set -euo pipefail
name=${1:-github-actions[bot]}
email=${2:-41898282+github-actions[bot]@users.noreply.github.com}
git config user.name >/dev/null || git config --local user.name "$name"
git config user.email >/dev/null || git config --local user.email "$email"
echo "ci_git_identity: committing as $(git config user.name) <$(git config user.email)>"
