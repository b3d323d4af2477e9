#!/usr/bin/env bash
# Regenerates src/NeuralNet/PublicAPI.Unshipped.txt from the current code: every public symbol that is not in
# PublicAPI.Shipped.txt. Run it after adding, changing or removing public API (or after a merge that conflicts in
# the file), review the diff, and commit it.
#
# Releasing (PublicAPI.Shipped.txt stays empty until the first release): in the commit that packs with
# -p:ReleaseVersion=X.Y.Z, run this script, then append every line of PublicAPI.Unshipped.txt except its
# "#nullable enable" header to PublicAPI.Shipped.txt, sort it (LC_ALL=C sort -u, header kept first), leave only the header
# in PublicAPI.Unshipped.txt, and build: the analyzer then reports removing or changing a shipped symbol (RS0017) as an
# error, which is the point of shipping.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/src/NeuralNet/NeuralNet.csproj"
unshipped="$root/src/NeuralNet/PublicAPI.Unshipped.txt"

# Start from an empty list so removed or renamed symbols disappear too (and merge conflict markers with them).
printf '#nullable enable\n' > "$unshipped"
dotnet restore "$project" --nologo -v quiet
# RS0016 "symbol is not part of the declared public API": its code fix appends the symbol to the unshipped list.
dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --no-restore

# Sorted, so that branches adding API merge with fewer conflicts.
{ printf '#nullable enable\n'; tail -n +2 "$unshipped" | grep -v '^$' | LC_ALL=C sort -u; } > "$unshipped.sorted"
mv "$unshipped.sorted" "$unshipped"

# The build treats RS0016/RS0017 as errors, so this proves the list is complete and has no stale entries.
dotnet build "$project" --nologo -v quiet
echo "update-public-api: $(($(wc -l < "$unshipped") - 1)) symbols in $(realpath --relative-to="$root" "$unshipped")"
