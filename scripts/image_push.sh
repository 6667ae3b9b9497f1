#!/usr/bin/env bash
# Push a service image built by scripts/build_images.sh under every tag scripts/image_tag.py gave.
#   scripts/image_push.sh SERVICE TAG [TAG...]     the image is ${IMAGE_PREFIX}SERVICE:TAG (the first TAG)
# The first tag is the one the image was built with; the others are added with `docker tag`.
# Log in first (CI: docker/login-action). IMAGE_PREFIX defaults to docker.io/acme/shopfront-.
set -euo pipefail

[[ $# -ge 2 ]] || { echo "usage: $0 SERVICE TAG [TAG...]" >&2; exit 2; }
service=$1
shift
[[ $service =~ ^[a-z][a-z0-9-]*$ ]] || { echo "image_push: bad service name: $service" >&2; exit 2; }
tag_re='^(sha-[0-9a-f]{7,40}|v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$' # tools/gitops_cli/tree.py TAG
for tag in "$@"; do
  [[ $tag =~ $tag_re ]] || { echo "image_push: tag $tag does not match the gitops tag policy" >&2; exit 2; }
done
repo="${IMAGE_PREFIX:-docker.io/acme/shopfront-}$service"
built="$repo:$1"
docker image inspect "$built" >/dev/null || { echo "image_push: $built was not built" >&2; exit 2; }
for tag in "$@"; do
  [[ $tag == "$1" ]] || docker tag "$built" "$repo:$tag"
  docker push "$repo:$tag"
done
