#!/usr/bin/env bash
# Installs the Debian packages the browser and SPARQL-server tests use, non-interactively.
# Safe to run twice; does nothing when everything is present.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v virtuoso-t >/dev/null || need+=(virtuoso-opensource)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
