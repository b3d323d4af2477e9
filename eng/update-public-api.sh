#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of each package (src/NeuralNet, src/NeuralNet.Data, src/NeuralNet.Onnx) from the
# current code: every public symbol that is not in the package's PublicAPI.Shipped.txt, and a "*REMOVED*" line for
# every shipped symbol the code no longer has. Run it after adding, changing or removing public API (or after a merge
# that conflicts in the files), review the diff, and commit it.
#
# PublicAPI.Shipped.txt holds what the last release shipped: src/NeuralNet's is the API of NeuralNet 0.1.0 (commit
# a9ca50f, tag v0.1.0); NeuralNet.Data and NeuralNet.Onnx have not been released on their own, so theirs are empty (their
# types shipped inside NeuralNet 0.1.0 and show up there as "*REMOVED*", moved to the new packages).
# Releasing: in the commit that packs with -p:ReleaseVersion=X.Y.Z, run this script, then, in each package, replace
# PublicAPI.Shipped.txt by the current API (Shipped minus the "*REMOVED*" symbols plus the other Unshipped lines,
# sorted with LC_ALL=C sort -u, header kept first), leave only the header in PublicAPI.Unshipped.txt, and build: the
# analyzer then reports removing or changing a shipped symbol (RS0017) as an error, which is the point of shipping.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

for package in NeuralNet NeuralNet.Data NeuralNet.Onnx; do
  project="$root/src/$package/$package.csproj"
  unshipped="$root/src/$package/PublicAPI.Unshipped.txt"

  shipped="$root/src/$package/PublicAPI.Shipped.txt"
  # Start from empty lists so removed or renamed symbols disappear too (and merge conflict markers with them): the
  # code fix then writes every current public symbol into the unshipped list.
  cp "$shipped" "$shipped.release"
  printf '#nullable enable\n' > "$shipped"
  printf '#nullable enable\n' > "$unshipped"
  dotnet restore "$project" --nologo -v quiet
  # RS0016 "symbol is not part of the declared public API": its code fix appends the symbol to the unshipped list.
  # The referenced NeuralNet project is built first, so its list is already complete when the others are formatted.
  if ! dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --no-restore; then
    mv "$shipped.release" "$shipped"; exit 1
  fi
  mv "$shipped.release" "$shipped"

  # Unshipped = (current − shipped) ∪ {"*REMOVED*" + s : s shipped, not current}; sorted, so that branches adding API
  # merge with fewer conflicts.
  current="$(tail -n +2 "$unshipped" | grep -v '^$' | LC_ALL=C sort -u || true)"
  released="$(tail -n +2 "$shipped" | grep -v '^$' | LC_ALL=C sort -u || true)"
  {
    printf '#nullable enable\n'
    {
      LC_ALL=C comm -23 <(printf '%s\n' "$current") <(printf '%s\n' "$released") | grep -v '^$' || true
      LC_ALL=C comm -13 <(printf '%s\n' "$current") <(printf '%s\n' "$released") | grep -v '^$' | sed 's/^/*REMOVED*/' || true
    } | LC_ALL=C sort -u
  } > "$unshipped.sorted"
  mv "$unshipped.sorted" "$unshipped"

  # The build treats RS0016/RS0017 as errors, so this proves the list is complete and has no stale entries.
  dotnet build "$project" --nologo -v quiet
  echo "update-public-api: $(grep -vc -e '^#nullable' -e '^\*REMOVED\*' "$unshipped") new and $(grep -c '^\*REMOVED\*' "$unshipped" || true) removed symbols in $(realpath --relative-to="$root" "$unshipped")"
done
