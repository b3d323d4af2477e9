#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of each package (src/NeuralNet, src/NeuralNet.Data, src/NeuralNet.Onnx) from the
# current code: every public symbol that is not in the package's PublicAPI.Shipped.txt. Run it after adding, changing
# or removing public API (or after a merge that conflicts in the files), review the diff, and commit it.
#
# Releasing (PublicAPI.Shipped.txt stays empty until the first release): in the commit that packs with
# -p:ReleaseVersion=X.Y.Z, run this script, then, in each of the three packages, append every line of
# PublicAPI.Unshipped.txt except its "#nullable enable" header to PublicAPI.Shipped.txt, sort it (LC_ALL=C sort -u,
# header kept first), leave only the header in PublicAPI.Unshipped.txt, and build: the analyzer then reports removing or changing a shipped symbol (RS0017) as an
# error, which is the point of shipping.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

for package in NeuralNet NeuralNet.Data NeuralNet.Onnx; do
  project="$root/src/$package/$package.csproj"
  unshipped="$root/src/$package/PublicAPI.Unshipped.txt"

  # Start from an empty list so removed or renamed symbols disappear too (and merge conflict markers with them).
  printf '#nullable enable\n' > "$unshipped"
  dotnet restore "$project" --nologo -v quiet
  # RS0016 "symbol is not part of the declared public API": its code fix appends the symbol to the unshipped list.
  # The referenced NeuralNet project is built first, so its list is already complete when the others are formatted.
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --no-restore

  # Sorted, so that branches adding API merge with fewer conflicts.
  { printf '#nullable enable\n'; tail -n +2 "$unshipped" | grep -v '^$' | LC_ALL=C sort -u; } > "$unshipped.sorted"
  mv "$unshipped.sorted" "$unshipped"

  # The build treats RS0016/RS0017 as errors, so this proves the list is complete and has no stale entries.
  dotnet build "$project" --nologo -v quiet
  echo "update-public-api: $(($(wc -l < "$unshipped") - 1)) symbols in $(realpath --relative-to="$root" "$unshipped")"
done
