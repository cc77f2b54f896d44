#!/usr/bin/env bash
# install-deps.sh — installs every Debian package isorun's build and tests need.
#
# Run as root on Debian 12. When everything is already present it only asks
# dpkg and exits, without touching the network, so scripts/test.sh and
# scripts/demo.sh can call it every time.
set -euo pipefail

# Debian packages, grouped by why we need them.
build_packages=(
    cmake ninja-build gcc   # the library, tools and unit tests
    pkg-config              # finds libnats (ISORUN_NATS)
    clang lld               # second compiler (-Werror under both), wasm32 linker
    libclang-rt-14-dev      # clang's ASan/UBSan/libFuzzer runtimes (build-asan, fuzzing)
)
guest_packages=(
    wasi-libc                 # libc for C test guests (clang --target=wasm32-wasi)
    libclang-rt-14-dev-wasm32 # compiler-rt builtins: without it every wasm32 link fails
    wabt                      # wat2wasm for the .wat test guests
)
# Later issues add their needs here:
#   component-model guests: @bytecodealliance/jco from npm (see npm_packages below)
extra_packages=(
    libnats-dev nats-server # RPC over NATS: the libnats client (ISORUN_NATS) and a server the tests start
)

# npm packages installed into the repo's node_modules (none yet; jco will be
# pinned here to an exact version, e.g. @bytecodealliance/jco@1.35.0).
npm_packages=()

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for package in "${build_packages[@]}" "${guest_packages[@]}" "${extra_packages[@]}"; do
    is_installed "$package" || missing+=("$package")
done
# Node runs the benchmarks' V8 comparison and, later, jco. Any node on PATH
# will do (the machines come with one), so only install Debian's if none.
command -v node >/dev/null 2>&1 || missing+=(nodejs)

if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing packages: ${missing[*]}" >&2
        echo "install-deps: run this script as root (or: apt-get install ${missing[*]})" >&2
        exit 1
    fi
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt-get may hold the dpkg lock (e.g. unattended upgrades): wait
    # for it instead of failing.
    apt_options=(-y -q -o DPkg::Lock::Timeout=600)
    apt-get "${apt_options[@]}" update
    apt-get "${apt_options[@]}" install "${missing[@]}"
fi

if ((${#npm_packages[@]})); then
    repo_root=$(cd "$(dirname "$0")/.." && pwd)
    for package in "${npm_packages[@]}"; do
        name=${package%@*}
        if [ ! -d "$repo_root/node_modules/$name" ]; then
            (cd "$repo_root" && npm install --no-audit --no-fund --no-save "$package")
        fi
    done
fi
