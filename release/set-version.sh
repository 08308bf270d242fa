#!/usr/bin/env bash
# Sets the one version of everything: every pom.xml (the reactor's version, each module's parent, the
# BOM), sdk-js and the VS Code extension (package.json and package-lock.json, including the
# extension's lock entry for the bundled sdk-js). Usage: release/set-version.sh X.Y.Z[-SNAPSHOT]
#
# The same string everywhere, -SNAPSHOT included (a valid semver pre-release for npm, and `vsce
# package` takes it; only a release version is ever published). VersionsAgreeTest (module release)
# checks that everything agrees.
set -euo pipefail
cd "$(dirname "$0")/.."

new=${1:-}
if ! printf '%s' "$new" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'; then
  echo "usage: release/set-version.sh X.Y.Z[-QUALIFIER]   (semantic version, e.g. 0.2.0 or 0.2.0-SNAPSHOT)" >&2
  exit 2
fi
old=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
[ -n "$old" ] || { echo "set-version: no project version in pom.xml" >&2; exit 1; }

# Poms: each holds the old version once, as its own <version> or its <parent>'s. Every pom of the
# reactor, found from the root's modules (and the BOM, which has no parent).
poms=$(find . -name pom.xml -not -path '*/node_modules/*' -not -path '*/target/*' -not -path './.git/*' | sort)
for p in $poms; do
  if grep -q "<version>$old</version>" "$p"; then
    tmp="$p.set-version.$$"
    sed "s#<version>$old</version>#<version>$new</version>#g" "$p" >"$tmp" && mv "$tmp" "$p"
  fi
done

# package.json and package-lock.json: the package's own version, and in the extension's lock the
# sdk-js entry (the extension bundles the client at the same version). Edited as JSON by Node, which
# keeps npm's two-space layout.
for dir in sdk-js ide/vscode; do
  [ -f "$dir/package.json" ] || continue
  node - "$dir" "$new" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const [dir, version] = process.argv.slice(2);
const edit = (file, change) => {
  const f = path.join(dir, file);
  if (!fs.existsSync(f)) return;
  const json = JSON.parse(fs.readFileSync(f, 'utf8'));
  change(json);
  fs.writeFileSync(f, JSON.stringify(json, null, 2) + '\n');
};
edit('package.json', (p) => { p.version = version; });
edit('package-lock.json', (l) => {
  l.version = version;
  for (const [key, entry] of Object.entries(l.packages || {})) {
    if (key === '' || entry.name === '@lanonasis/secrets-client') entry.version = version;
  }
});
JS
done
echo "version: $old -> $new (every pom, package.json and package-lock.json)"
