#!/usr/bin/env bash
# Stages a release into a local directory; publishes nothing (RELEASING.md says how a maintainer
# publishes what it stages).
#
#   release/stage.sh DIR [--test-key] [--skip-npm] [MAVEN_ARGS...]
#
# DIR/maven       the published Maven modules (release/published-modules.txt), deployed with the
#                 `release` profile into a file:// repository: pom, jar, sources, javadoc, CycloneDX
#                 SBOM and a .asc signature of each (-Dgpg.skip leaves the signatures out).
# DIR/dist        distribution/target/lanonasis-<version>.tar.gz, when the distribution module exists.
# DIR/npm         `npm pack` of sdk-js, and the extension's .vsix (built by `npm run package`), unless
#                 --skip-npm or npm is missing.
# DIR/SHA256SUMS  a checksum of every staged file.
#
# --test-key signs with a throwaway key made for this run in a temporary GNUPGHOME (its public key
# is left at DIR/test-key.asc, to verify the signatures); without it gpg signs with the default key
# of the maintainer's keyring. -o stages without the network. Other arguments go to Maven (say
# -Dgpg.keyname=..., -Dgpg.skip).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

[ $# -ge 1 ] || { sed -n '4,6p' "$0" >&2; exit 2; }
mkdir -p "$1"
dir=$(cd "$1" && pwd)
shift
test_key= skip_npm= offline=
mvn_args=()
for a in "$@"; do
  case "$a" in
    --test-key) test_key=1 ;;
    --skip-npm) skip_npm=1 ;;
    -o|--offline) offline=1 ;;
    *) mvn_args+=("$a") ;;
  esac
done

cd "$root"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
echo "stage: Lanonasis Secrets $version into $dir" >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lanonasis-stage.XXXXXX")
trap 'rm -rf "$tmp"; [ -z "$test_key" ] || { gpgconf --kill gpg-agent >/dev/null 2>&1 || :; rm -rf "$GNUPGHOME"; }' EXIT
if [ -n "$test_key" ]; then
  GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/lanonasis-gpg.XXXXXX")
  export GNUPGHOME
  chmod 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key \
    'Lanonasis Secrets release test (throwaway) <release-test@invalid>' ed25519 sign 1d 2>/dev/null
  gpg --batch --quiet --armor --export >"$dir/test-key.asc"
fi

modules=$(grep -v '^#' release/published-modules.txt | paste -sd, -)
[ -f distribution/pom.xml ] && modules="$modules,distribution"

# Maven refuses to deploy in offline mode, even to a directory: -o becomes a settings file whose one
# mirror, for every repository but the staging one, is an empty local directory, so that nothing is
# fetched and everything resolves from the local repository (and its tail), as offline. The mirror
# is named central and never updates, so that the metadata cached from Central (version ranges of
# the plugins' dependencies) is read as it is offline.
if [ -n "$offline" ]; then
  mkdir -p "$tmp/no-remote"
  never='<releases><updatePolicy>never</updatePolicy></releases><snapshots><enabled>false</enabled></snapshots>'
  cat >"$tmp/settings.xml" <<XML
<settings>
  <mirrors>
    <mirror><id>central</id><mirrorOf>*,!staging</mirrorOf><url>file://$tmp/no-remote</url></mirror>
  </mirrors>
  <profiles>
    <profile>
      <id>offline</id>
      <repositories><repository><id>central</id><url>file://$tmp/no-remote</url>$never</repository></repositories>
      <pluginRepositories><pluginRepository><id>central</id><url>file://$tmp/no-remote</url>$never</pluginRepository></pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>offline</activeProfile></activeProfiles>
</settings>
XML
  mvn_args=(-s "$tmp/settings.xml" ${mvn_args[@]+"${mvn_args[@]}"})
fi

rm -rf "$dir/maven"
./mvnw -B -ntp -Prelease -DskipTests -Dspotless.check.skip=true \
  -DaltDeploymentRepository="staging::file://$dir/maven" \
  -pl "$modules" ${mvn_args[@]+"${mvn_args[@]}"} clean deploy >&2

tarball="distribution/target/lanonasis-$version.tar.gz"
if [ -f "$tarball" ]; then
  mkdir -p "$dir/dist"
  cp "$tarball" "$dir/dist/"
else
  echo "stage: no $tarball (no distribution module), not staged" >&2
fi

if [ -z "$skip_npm" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p "$dir/npm"
  npm_quiet="--no-audit --no-fund --prefer-offline"
  export NO_UPDATE_NOTIFIER=1
  if [ -f sdk-js/package.json ]; then
    (cd sdk-js && npm ci --ignore-scripts $npm_quiet >&2 && npm pack --pack-destination "$dir/npm" >&2)
  fi
  if [ -f ide/vscode/package.json ]; then
    npm_version=$(node -p "require('./ide/vscode/package.json').version")
    name=$(node -p "require('./ide/vscode/package.json').name")
    (cd ide/vscode && npm ci --ignore-scripts $npm_quiet >&2 && npm run -s build >&2 && npm run -s package >&2)
    vsix=
    for f in "ide/vscode/target/$name-$npm_version.vsix" "ide/vscode/$name-$npm_version.vsix"; do
      [ -f "$f" ] && { vsix=$f; break; }
    done
    if [ -n "$vsix" ]; then cp "$vsix" "$dir/npm/"; else echo "stage: no $name-$npm_version.vsix built" >&2; fi
  fi
fi

(cd "$dir" && find . -type f ! -name SHA256SUMS ! -path './maven/*maven-metadata*' | LC_ALL=C sort \
  | sed 's#^\./##' | xargs sha256sum >SHA256SUMS)
echo "stage: done, $(wc -l <"$dir/SHA256SUMS") files listed in $dir/SHA256SUMS" >&2
