#!/bin/sh
# Installs this unpacked lanonasis distribution (README.md): a copy of this directory in
# PREFIX/lib/lanonasis/ and a link PREFIX/bin/lanonasis to its launcher. Run it again to reinstall
# or upgrade; it replaces PREFIX/lib/lanonasis/ as a whole.
set -eu

usage() {
  cat <<'USAGE'
Usage: ./install.sh [--prefix DIR]

Installs lanonasis from this unpacked archive:
  DIR/lib/lanonasis/      the launcher, lanonasis.jar, lanonasis-server.jar, README.md, LICENSE
  DIR/bin/lanonasis       a symbolic link to DIR/lib/lanonasis/lanonasis

  --prefix DIR   where to install (default: ~/.local, so ~/.local/bin/lanonasis)
  -h, --help     this text

Running it again reinstalls (an upgrade replaces DIR/lib/lanonasis/). It needs a Java 17 or later
runtime on PATH to run lanonasis, not to install it. Uninstall:
rm -r DIR/lib/lanonasis DIR/bin/lanonasis
USAGE
}

prefix=${HOME:?HOME is not set: give --prefix DIR}/.local
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument: $1 (see ./install.sh --help)" >&2; exit 2 ;;
  esac
done
[ -n "$prefix" ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P)
for f in lanonasis lanonasis.jar; do
  [ -f "$here/$f" ] || { echo "install.sh: $here/$f is missing: run install.sh from the unpacked archive" >&2; exit 1; }
done

mkdir -p -- "$prefix/bin" "$prefix/lib"
prefix=$(cd -P -- "$prefix" && pwd -P)
bin="$prefix/bin"
lib="$prefix/lib/lanonasis"
link="$bin/lanonasis"
if [ -e "$link" ] && [ ! -L "$link" ]; then
  echo "install.sh: $link exists and is not a link from an earlier install: move it away first" >&2
  exit 1
fi

if [ "$here" != "$lib" ]; then
  # Copied beside the old install, then swapped in, so a failed copy leaves the old one working.
  new="$prefix/lib/.lanonasis.new.$$"
  old="$prefix/lib/.lanonasis.old.$$"
  trap 'rm -rf -- "$new" "$old"' EXIT
  trap 'exit 130' INT TERM
  rm -rf -- "$new"
  mkdir -- "$new"
  cp -R -- "$here/." "$new/"
  chmod 0755 "$new" "$new/lanonasis"
  if [ -e "$lib" ]; then mv -- "$lib" "$old"; fi
  mv -- "$new" "$lib"
  rm -rf -- "$old"
fi
ln -sf -- "$lib/lanonasis" "$link.new.$$"
mv -f -- "$link.new.$$" "$link"

name=$(basename -- "$here")
case "$name" in lanonasis-*) version=" ${name#lanonasis-}" ;; *) version= ;; esac
echo "Installed lanonasis$version in $lib"
echo "  $link -> $lib/lanonasis"
case ":${PATH:-}:" in
  *":$bin:"*)
    echo "$bin is on your PATH: run lanonasis --version" ;;
  *)
    echo "$bin is not on your PATH. Add it (then open a new shell):"
    echo "  echo 'export PATH=\"$bin:\$PATH\"' >> ~/.profile     # bash: ~/.bashrc, zsh: ~/.zshrc"
    echo "or run it as $link" ;;
esac
if ! command -v java >/dev/null 2>&1; then
  echo "Note: no java on PATH; lanonasis needs a Java 17 or later runtime (a JRE is enough)."
fi
