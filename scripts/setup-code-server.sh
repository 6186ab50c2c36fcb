#!/usr/bin/env bash
# Installs what the integration and e2e tiers need to run a real VS Code:
# Debian packages (chromium, ripgrep, libkrb5-dev) and code-server, cached
# outside the repository, keyed by version. Idempotent: a second run is a no-op.
#
# code-server's own postinstall downloads ripgrep from GitHub and cannot run
# offline, so we install with --ignore-scripts and replay the postinstall
# steps by hand (the recipe in issue #2).
set -euo pipefail

CODE_SERVER_VERSION="${PAPERSCOPE_CODE_SERVER_VERSION:-4.100.3}"
CACHE_ROOT="${PAPERSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/paperscope}"
DEST="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
STAMP="$DEST/.paperscope-ready"

log() { printf '[setup] %s\n' "$*" >&2; }

need_debs=()
command -v chromium >/dev/null 2>&1 || need_debs+=(chromium)
command -v rg >/dev/null 2>&1 || need_debs+=(ripgrep)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || need_debs+=(libkrb5-dev)
if [ "${#need_debs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: ${need_debs[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >/dev/null
  else
    log "missing Debian packages: ${need_debs[*]}"
    log "install them with: sudo apt-get install ${need_debs[*]}"
    exit 1
  fi
fi

if [ -f "$STAMP" ]; then
  log "code-server $CODE_SERVER_VERSION ready in $DEST"
  exit 0
fi

log "installing code-server $CODE_SERVER_VERSION into $DEST (once; a few minutes)"
rm -rf "$DEST.partial"
mkdir -p "$DEST.partial"
cd "$DEST.partial"
printf '{"name":"paperscope-code-server","private":true}\n' > package.json
npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION" >/dev/null

CS="$DEST.partial/node_modules/code-server"
VS="$CS/lib/vscode"
(cd "$VS" && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts >/dev/null)
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
(cd "$VS" && npm_config_yes=true npm rebuild --loglevel=error >/dev/null)
ln -sfn node_modules "$VS/node_modules.asar"
ln -sf code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sf browser-linux.sh "$VS/bin/helpers/browser.sh"
(cd "$VS/extensions" && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts >/dev/null)
(cd "$DEST.partial" && npm rebuild argon2 --loglevel=error >/dev/null)

rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
touch "$STAMP"
log "code-server $CODE_SERVER_VERSION ready in $DEST"
