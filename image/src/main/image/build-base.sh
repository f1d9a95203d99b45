#!/usr/bin/env bash
# Builds the worker image's base as a `docker save`-style tarball (manifest.json, config.json, one
# uncompressed layer) for Jib's `tar://` base image: a Java runtime made with jlink from the JDK
# running the build, on a minimal root. No registry of base images is needed.
#
#   build-base.sh --jdk DIR --modules m1,m2,... --root host|debootstrap --out DIR
#                 [--suite bookworm] [--mirror URL] [--cache DIR]
#
# --root host         the glibc libraries the runtime links against, copied from this machine (ldd),
#                     plus passwd/group/nsswitch.conf: seconds to build, ~70 MB.
# --root debootstrap  Debian's `debootstrap --variant=minbase` (needs root and the debootstrap
#                     command): a shell and apt inside, slower, cached under --cache.
#
# The result, OUT/base.tar, is rebuilt only when its inputs change (this script, the JDK's release
# file, the module list, the root kind): OUT/base.key records them.
set -euo pipefail

JDK="" MODULES="" ROOT_KIND="" OUT="" SUITE="bookworm" MIRROR="http://deb.debian.org/debian"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/segrel"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jdk) JDK="$2"; shift 2 ;;
    --modules) MODULES="$2"; shift 2 ;;
    --root) ROOT_KIND="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --suite) SUITE="$2"; shift 2 ;;
    --mirror) MIRROR="$2"; shift 2 ;;
    --cache) CACHE="$2"; shift 2 ;;
    *) echo "build-base.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
fail() { echo "build-base.sh: $*" >&2; exit 1; }
[[ -x "$JDK/bin/jlink" ]] || fail "--jdk $JDK has no bin/jlink (a JDK, not a JRE, must run the build)"
[[ -n "$MODULES" ]] || fail "--modules is empty"
[[ "$ROOT_KIND" == host || "$ROOT_KIND" == debootstrap ]] || fail "--root must be host or debootstrap, not '$ROOT_KIND'"
[[ -n "$OUT" ]] || fail "--out is missing"

SEGREL_UID=10001
JAVA_DIR=opt/java
case "$ROOT_KIND" in
  host) BASE_NAME="jlink-host-glibc" ;;
  debootstrap) BASE_NAME="jlink-debian-$SUITE-minbase" ;;
esac

key=$( { cat "$0"; cat "$JDK/release"; echo "$MODULES $ROOT_KIND $SUITE $MIRROR"; } | sha256sum | cut -d' ' -f1)
if [[ -f "$OUT/base.tar" && "$(cat "$OUT/base.key" 2>/dev/null)" == "$key" ]]; then
  echo "build-base.sh: base $BASE_NAME up to date ($OUT/base.tar)"
  exit 0
fi

started=$SECONDS
work="$OUT/work"
rm -rf "$OUT/base.tar" "$OUT/base.key" "$work"
mkdir -p "$work"
root="$work/rootfs"

# --- the minimal root -------------------------------------------------------------------------
if [[ "$ROOT_KIND" == debootstrap ]]; then
  command -v debootstrap >/dev/null || fail "debootstrap is not installed (Debian/Ubuntu: apt-get install -y debootstrap), or build the default base without -P image"
  [[ $(id -u) == 0 ]] || fail "debootstrap needs root to create device nodes and chown files; run the -P image build as root, or build the default base without -P image"
  cached="$CACHE/debootstrap-$SUITE-minbase.tar"
  if [[ ! -f "$cached" ]]; then
    echo "build-base.sh: debootstrap --variant=minbase $SUITE from $MIRROR (once; cached in $cached)"
    mkdir -p "$CACHE"
    tmp="$work/debootstrap"
    debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap failed (log: $work/debootstrap.log)"; }
    # what a container never uses: package caches and indexes, docs, man pages, locales
    rm -rf "$tmp"/var/cache/apt/* "$tmp"/var/lib/apt/lists/* "$tmp"/usr/share/doc/* \
      "$tmp"/usr/share/man/* "$tmp"/usr/share/info/* "$tmp"/var/log/* "$tmp"/dev/*
    tar --create --file "$cached.part" --directory "$tmp" --numeric-owner .
    mv "$cached.part" "$cached"
    rm -rf "$tmp"
  fi
  mkdir -p "$root"
  tar --extract --file "$cached" --directory "$root" --numeric-owner
  # the worker never needs su, passwd, mount …: no way up from uid 10001
  find "$root" -xdev -type f -perm /6000 -exec chmod ug-s {} +
else
  command -v ldd >/dev/null || fail "ldd is not installed: the host root copies the libraries ldd names"
  mkdir -p "$root"/{etc,tmp,lib,usr/lib}
fi

# --- the Java runtime -------------------------------------------------------------------------
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$root/$JAVA_DIR"

if [[ "$ROOT_KIND" == host ]]; then
  # The AWT/X11/sound natives come with java.desktop (java.beans, which jdbi uses) but are never
  # loaded by a headless server: their X11 libraries are left out.
  gui='libawt_xawt.so|libjawt.so|libsplashscreen.so|libjsound.so'
  libs=$(for f in "$root/$JAVA_DIR/bin/java" "$root/$JAVA_DIR"/lib/server/libjvm.so "$root/$JAVA_DIR"/lib/*.so; do
           [[ "$(basename "$f")" =~ ^($gui)$ ]] && continue
           ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
         done | grep -v "^$root/" | sort -u)
  # glibc loads libgcc_s at run time to unwind a cancelled thread; ldd cannot see that
  gcc_s=$(ldconfig -p 2>/dev/null | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
  for lib in $libs $gcc_s; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cat >"$root/etc/nsswitch.conf" <<'NSS'
passwd: files
group:  files
hosts:  files dns
NSS
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  printf 'root:x:0:0:root:/root:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
fi
printf 'segrel:x:%s:%s:segrel worker:/home/segrel:/sbin/nologin\n' $SEGREL_UID $SEGREL_UID >>"$root/etc/passwd"
printf 'segrel:x:%s:\n' $SEGREL_UID >>"$root/etc/group"
mkdir -p "$root/home/segrel" "$root/tmp"
chmod 1777 "$root/tmp"
chmod 755 "$root/home/segrel"

# --- the layer, its config and the manifest ---------------------------------------------------
# Fixed order and times (and owners, for the host root copied by whoever runs the build): the same
# inputs give the same layer digest, so Jib's base layer cache hits. Debian's root keeps the owners
# debootstrap gave it. The user's home is appended with its own owner.
layer="$work/layer.tar"
owners=(--owner=0 --group=0)
[[ "$ROOT_KIND" == debootstrap ]] && owners=()
(cd "$root" && find . -mindepth 1 -maxdepth 1 ! -name home -printf '%P\n' | sort) >"$work/top"
tar --create --file "$layer" --directory "$root" --sort=name --mtime=@0 --numeric-owner \
  "${owners[@]}" --files-from "$work/top"
tar --append --file "$layer" --directory "$root" --mtime=@0 --numeric-owner \
  --owner=0 --group=0 --no-recursion home
tar --append --file "$layer" --directory "$root" --mtime=@0 --numeric-owner \
  --owner=$SEGREL_UID --group=$SEGREL_UID --no-recursion home/segrel
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
java_version=$(. "$JDK/release" && echo "$JAVA_RUNTIME_VERSION")

cat >"$work/config.json" <<JSON
{
  "architecture": "amd64",
  "os": "linux",
  "created": "1970-01-01T00:00:00Z",
  "config": {
    "Env": [
      "PATH=/$JAVA_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "JAVA_HOME=/$JAVA_DIR",
      "LANG=C.UTF-8"
    ],
    "Labels": {
      "dev.segrel.image.base": "$BASE_NAME",
      "dev.segrel.image.base.java": "$java_version",
      "dev.segrel.image.base.modules": "$MODULES"
    }
  },
  "rootfs": { "type": "layers", "diff_ids": [ "$diff_id" ] },
  "history": [ { "created": "1970-01-01T00:00:00Z", "created_by": "build-base.sh --root $ROOT_KIND ($BASE_NAME)" } ]
}
JSON
cat >"$work/manifest.json" <<JSON
[ { "Config": "config.json", "RepoTags": [ "segrel-base:$BASE_NAME" ], "Layers": [ "layer.tar" ] } ]
JSON
tar --create --file "$OUT/base.tar.part" --directory "$work" --mtime=@0 --owner=0 --group=0 \
  manifest.json config.json layer.tar
mv "$OUT/base.tar.part" "$OUT/base.tar"
echo "$key" >"$OUT/base.key"
echo "$BASE_NAME" >"$OUT/base.name"
rm -rf "$work"
echo "build-base.sh: base $BASE_NAME built in $((SECONDS - started)) s: $(du -h "$OUT/base.tar" | cut -f1), Java $java_version, modules $MODULES"
