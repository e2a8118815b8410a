#!/usr/bin/env bash
# Installs every Debian package that building and testing fangzha needs. Idempotent: packages
# already installed are left alone, and apt-get runs only when something is missing.
# Usage: scripts/deps.sh [--check] [--bench]
#   --check: list what is missing and exit 1 if anything is
#   --bench: also what `make bench` measures with (rspamd, wrk)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  clang libclang-rt-14-dev          # libFuzzer drivers and sanitizer runtimes
  clang-format                      # the format check of make test (STYLE.md §11)
  libutf8proc-dev                   # Unicode normalization (table generator)
  libicu-dev                        # TR39 confusables via uspoof (table generator)
  libopencc-dev libopencc-data      # traditional -> simplified (table generator)
  libcurl4-openssl-dev libidn2-dev  # URL API, IDN -> punycode
  libpsl-dev publicsuffix           # registrable domains
  libjansson-dev                    # JSON reader
  libxxhash-dev                     # hashing
  libcmocka-dev                     # unit tests
  libhyperscan-dev                  # multi-pattern matching of rule sets
  liblinear-dev                     # training linear models
  libgmime-3.0-dev                  # e-mail: RFC 5322 / MIME parsing (src/mail)
  zlib1g-dev                        # e-mail: reading gzip-compressed TSV (cli/email_rows)
  libsqlite3-dev sqlite3            # the store's embedded database (src/store/sqlite)
  libmicrohttpd-dev                 # the HTTP server (src/server)
  libsodium-dev                     # password hashing (argon2id), tokens, keyed hashes
  libxlsxwriter-dev                 # Excel exports (the rewards ledger)
  libigraph-dev                     # graph algorithms: fund tracing, case linking (src/trace, src/link)
  jq curl unzip                     # integration tests drive the server over HTTP (unzip: .xlsx)
  python3                           # integration tests read JSON and make inputs with it
  nodejs                            # web pages: ECharts and playwright-core from npm (web/)
  chromium                          # browser tests of the web pages (headless)
  fonts-wqy-microhei                # a CJK font, so Chinese pages render in the screenshots
)
# Debian's npm conflicts with a Node.js that brings its own npm: ask for it only when missing.
command -v npm >/dev/null || packages+=(npm)

check=0
for arg in "$@"; do
  case $arg in
    --check) check=1 ;;
    --bench) packages+=(rspamd wrk) ;;
    *) echo "usage: scripts/deps.sh [--check] [--bench]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ $check -eq 1 ]; then
  [ ${#missing[@]} -eq 0 ] && { echo "deps: all installed"; exit 0; }
  echo "deps: missing: ${missing[*]}"; exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} packages installed"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: done"
