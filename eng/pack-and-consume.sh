#!/usr/bin/env bash
# Packs NeuralNet into artifacts/, then restores, builds and runs samples/PackageConsumer against that package
# (PackageReference from the local folder feed). Exits non-zero if packing, building or the consumer's own check fails.
# Usage: eng/pack-and-consume.sh [configuration]   (default Release)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
configuration="${1:-Release}"
artifacts="$root/artifacts"
consumer="$root/samples/PackageConsumer"

rm -f "$artifacts"/NeuralNet.*.nupkg "$artifacts"/NeuralNet.*.snupkg
dotnet pack "$root/src/NeuralNet" -c "$configuration" -o "$artifacts" --nologo

package="$(ls "$artifacts"/NeuralNet.*.nupkg | grep -v '\.snupkg$' | head -n 1)"
version="$(basename "$package" .nupkg)"
version="${version#NeuralNet.}"
test -f "$artifacts/NeuralNet.$version.snupkg" || { echo "pack-and-consume: symbol package NeuralNet.$version.snupkg is missing" >&2; exit 1; }
expected=(lib/net10.0/NeuralNet.dll lib/net10.0/NeuralNet.xml)
if [[ -f "$root/README.md" ]]; then expected+=(README.md); fi
listing="$(unzip -Z1 "$package")"
for entry in "${expected[@]}"; do
  if ! grep -qx "$entry" <<< "$listing"; then
    echo "pack-and-consume: $entry is missing from $(basename "$package")" >&2
    exit 1
  fi
done
# The version (src/NeuralNet/NeuralNet.csproj): without -p:ReleaseVersion a pack is 0.2.0-dev.<commits in HEAD>, or
# 0.2.0-dev.<yyyyMMddHHmmss, UTC> without git or in a shallow clone, so a new commit never reuses a cached package.
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+-dev\.[0-9]+$ || "$version" == 0.1.0* ]]; then
  echo "pack-and-consume: version $version is not a development prerelease (x.y.z-dev.N)" >&2
  exit 1
fi
if [[ "$(git -C "$root" rev-parse --is-shallow-repository 2>/dev/null)" == "false" ]]; then
  commits="$(git -C "$root" rev-list --count HEAD)"
  if [[ "$version" != *"-dev.$commits" ]]; then
    echo "pack-and-consume: version $version does not end with -dev.$commits (the commits in HEAD)" >&2
    exit 1
  fi
fi
echo "pack-and-consume: packed NeuralNet $version"

# Still needed: a repack at the same commit (uncommitted changes) has the same version, and restore would take the
# cached copy of the earlier pack. Drop only that version from the global cache.
global_packages="$(dotnet nuget locals global-packages --list | sed -e 's/^global-packages: *//')"
rm -rf "${global_packages%/}/neuralnet/$version"
rm -rf "$consumer/bin" "$consumer/obj"

dotnet restore "$consumer" -p:NeuralNetVersion="$version" --force --nologo
dotnet build "$consumer" -c "$configuration" -p:NeuralNetVersion="$version" --no-restore --nologo
output="$(dotnet run --project "$consumer" -c "$configuration" -p:NeuralNetVersion="$version" --no-build)"
echo "$output"
last="$(printf '%s\n' "$output" | tail -n 1)"
if [[ "$last" != "PackageConsumer: saved+loaded predictions identical=True, xor correct=True, custom layer gradient check=True" ]]; then
  echo "pack-and-consume: unexpected final line from the consumer: $last" >&2
  exit 1
fi
echo "pack-and-consume: OK (NeuralNet $version consumed from the local feed)"
