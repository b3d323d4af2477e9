#!/usr/bin/env bash
# Packs the three packages (NeuralNet, NeuralNet.Data, NeuralNet.Onnx) into artifacts/, checks their contents and
# dependencies, then restores, builds and runs samples/PackageConsumer against them (PackageReference from the local
# folder feed). Exits non-zero if packing, a check, building or the consumer's own check fails.
# Usage: eng/pack-and-consume.sh [configuration]   (default Release)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
configuration="${1:-Release}"
artifacts="$root/artifacts"
consumer="$root/samples/PackageConsumer"
packages=(NeuralNet NeuralNet.Data NeuralNet.Onnx)

fail() { echo "pack-and-consume: $*" >&2; exit 1; }

rm -f "$artifacts"/NeuralNet.*.nupkg "$artifacts"/NeuralNet.*.snupkg
for id in "${packages[@]}"; do
  dotnet pack "$root/src/$id" -c "$configuration" -o "$artifacts" --nologo
done

# The version (src/Directory.Build.targets): without -p:ReleaseVersion a pack is 0.2.0-dev.<commits in HEAD>, or
# 0.2.0-dev.<yyyyMMddHHmmss, UTC> without git or in a shallow clone, so a new commit never reuses a cached package.
package="$(ls "$artifacts"/NeuralNet.[0-9]*.nupkg | head -n 1)"
version="$(basename "$package" .nupkg)"
version="${version#NeuralNet.}"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+-dev\.[0-9]+$ || "$version" == 0.1.0* ]]; then
  fail "version $version is not a development prerelease (x.y.z-dev.N)"
fi
if [[ "$(git -C "$root" rev-parse --is-shallow-repository 2>/dev/null)" == "false" ]]; then
  commits="$(git -C "$root" rev-list --count HEAD)"
  [[ "$version" == *"-dev.$commits" ]] || fail "version $version does not end with -dev.$commits (the commits in HEAD)"
fi

# The dependencies each nuspec must list, exactly (id and version range, sorted).
declare -A expected_dependencies=(
  [NeuralNet]="MathNet.Numerics 5.0.0
System.IO.Hashing 11.0.0
System.Numerics.Tensors 10.0.0"
  [NeuralNet.Data]="CsvHelper 34.0.0
NeuralNet [$version]
System.IO.Hashing 11.0.0"
  [NeuralNet.Onnx]="Google.Protobuf 3.36.2
NeuralNet [$version]
OnnxSharp 0.3.2"
)

for id in "${packages[@]}"; do
  nupkg="$artifacts/$id.$version.nupkg"
  [[ -f "$nupkg" ]] || fail "$id.$version.nupkg is missing: the three packages must share one version"
  [[ -f "$artifacts/$id.$version.snupkg" ]] || fail "symbol package $id.$version.snupkg is missing"
  listing="$(unzip -Z1 "$nupkg")"
  for entry in "lib/net10.0/$id.dll" "lib/net10.0/$id.xml" README.md "$id.nuspec"; do
    grep -qx "$entry" <<< "$listing" || fail "$entry is missing from $(basename "$nupkg")"
  done
  nuspec="$(unzip -p "$nupkg" "$id.nuspec")"
  grep -q '<readme>README.md</readme>' <<< "$nuspec" || fail "$id.nuspec does not name README.md as the package readme"
  dependencies="$(grep -o '<dependency id="[^"]*" version="[^"]*"' <<< "$nuspec" \
    | sed -e 's/<dependency id="\([^"]*\)" version="\([^"]*\)"/\1 \2/' | LC_ALL=C sort)"
  if [[ "$dependencies" != "${expected_dependencies[$id]}" ]]; then
    fail "$id.nuspec lists the dependencies
$dependencies
but must list exactly
${expected_dependencies[$id]}"
  fi
  echo "pack-and-consume: packed $id $version; dependencies: $(tr '\n' ';' <<< "$dependencies" | sed -e 's/;$//' -e 's/;/; /g')"
done

# Still needed: a repack at the same commit (uncommitted changes) has the same version, and restore would take the
# cached copy of the earlier pack. Drop only that version from the global cache.
global_packages="$(dotnet nuget locals global-packages --list | sed -e 's/^global-packages: *//')"
for id in "${packages[@]}"; do
  rm -rf "${global_packages%/}/${id,,}/$version"
done
rm -rf "$consumer/bin" "$consumer/obj"

dotnet restore "$consumer" -p:NeuralNetVersion="$version" --force --nologo
dotnet build "$consumer" -c "$configuration" -p:NeuralNetVersion="$version" --no-restore --nologo
output="$(dotnet run --project "$consumer" -c "$configuration" -p:NeuralNetVersion="$version" --no-build)"
echo "$output"
last="$(printf '%s\n' "$output" | tail -n 1)"
if [[ "$last" != "PackageConsumer: csv class names=True, saved+loaded predictions identical=True, xor correct=True, custom layer gradient check=True, onnx round trip identical=True" ]]; then
  fail "unexpected final line from the consumer: $last"
fi
echo "pack-and-consume: OK (NeuralNet, NeuralNet.Data and NeuralNet.Onnx $version consumed from the local feed)"
