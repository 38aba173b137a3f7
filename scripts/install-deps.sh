#!/usr/bin/env bash
# Installs, on Debian 12, whatever the build and the test suite need and the machine lacks.
# Idempotent and quiet when everything is present; needs root (or sudo) only when it installs.
set -euo pipefail

packages=(g++ make ninja-build cmake pkg-config libcpp-httplib-dev rapidjson-dev libvalijson-dev libyaml-cpp-dev
          doctest-dev libssl-dev python3 nodejs
          # The ASan + UBSan build and the fuzzers use clang: libFuzzer and clang's sanitizer
          # runtimes are in libclang-rt-14-dev, which clang only recommends (so
          # --no-install-recommends would leave it out). ccache makes rebuilds cheap.
          clang libclang-rt-14-dev ccache
          # The vendor's client snippets (tests/clients/vendor-snippets) run in their own
          # languages. Java's uses Unirest 1.x, which Debian packages with its jars. Guzzle only
          # suggests PHP's curl extension, and with it Guzzle sends through libcurl, as most
          # installs do: the PHP snippet runs both with and without it. The Ruby snippet speaks
          # HTTPS, to a certificate the openssl command makes.
          golang-go ruby php-cli php-curl php-guzzlehttp-guzzle default-jdk-headless
          libunirest-java-java openssl
          # The inspector page's test drives headless Chromium with Selenium (Debian's
          # python3-selenium, for /usr/bin/python3). Its fonts are only recommended, so named here:
          # without a font the page renders, and its screenshots show, no text.
          chromium chromium-driver python3-selenium fonts-liberation fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# The client tests use the requests library; any Python that has it will do.
if ! python3 -c 'import requests' >/dev/null 2>&1; then missing+=(python3-requests); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]} with apt-get (a minute or two on a fresh machine)" >&2
  run_as_root=()
  [ "$(id -u)" -eq 0 ] || run_as_root=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${run_as_root[@]}" apt-get update -qq
  "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
