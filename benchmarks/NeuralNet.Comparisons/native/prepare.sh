#!/usr/bin/env bash
# Makes TorchSharp's native glue loadable on a system whose libstdc++ predates GCC 13 (Debian 12): in the build
# output folder given as $1, marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak and builds the one-symbol
# stub that Program.cs loads (RTLD_GLOBAL) before TorchSharp. Does nothing where libstdc++ already has 3.4.32.
# Touches only the copies in the build output, never the NuGet cache.
set -euo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
lib="$out/runtimes/linux-x64/native/libLibTorchSharp.so"
[[ -f "$lib" ]] || exit 0
stdcxx="$(/sbin/ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')"
if [[ -n "$stdcxx" ]] && grep -q GLIBCXX_3.4.32 "$stdcxx"; then
  exit 0
fi
python3 "$here/weaken-version.py" "$lib" GLIBCXX_3.4.32
stub="$out/libios_base_library_init_stub.so"
if [[ ! -f "$stub" || "$here/ios_base_library_init_stub.c" -nt "$stub" ]]; then
  cc -shared -fPIC -O2 -o "$stub" "$here/ios_base_library_init_stub.c"
fi
# TorchSharp copies its natives into cpu/ when a load failed once; a stale unpatched copy there must not be used.
rm -rf "$out/cpu"
