#!/usr/bin/env bash
# Issue 10's same-run comparisons: NeuralNet vs TorchSharp (CNN and MLP training epochs) and vs ONNX Runtime and
# TorchSharp (CNN and MLP inference, batch 1 and 1000), at 1 and 2 threads. Builds benchmarks/NeuralNet.Comparisons
# (not part of NeuralNet.sln: TorchSharp-cpu brings libtorch), checks that every library computes NeuralNet's outputs,
# runs BenchmarkDotNet in process and ends with a table of medians and ratios (also written to
# BenchmarkDotNet.Artifacts/results/comparisons-table.md). It took 34 minutes at load 20-33; on a quiet 2-core
# machine it should take 6-10 (estimate).
#
#   benchmarks/run-comparisons.sh                      everything
#   benchmarks/run-comparisons.sh '*Inference*'        a filter (BenchmarkDotNet --filter glob), e.g. '*Cnn*', '*MlpEpoch*'
#   benchmarks/run-comparisons.sh --memory             also the peak working set of a NeuralNet CNN epoch (separate process)
#   other BenchmarkDotNet arguments may follow a filter, e.g. '*Inference*' --iterationCount 3
set -euo pipefail
cd "$(dirname "$0")/.."
project=benchmarks/NeuralNet.Comparisons
memory=0
args=()
for a in "$@"; do
  if [[ "$a" == "--memory" ]]; then memory=1; else args+=("$a"); fi
done
filter=('*')
if [[ ${#args[@]} -gt 0 && "${args[0]}" != -* ]]; then
  filter=("${args[0]}")
  args=("${args[@]:1}")
fi

echo "== $(date -u '+%Y-%m-%d %H:%M:%S') UTC, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src benchmarks || echo ' (with uncommitted changes)'), load:$(uptime | sed 's/.*load average://')"
dotnet build "$project" -c Release -nologo -v quiet
echo "== output checks (ONNX Runtime and TorchSharp against NeuralNet, same weights)"
dotnet run -c Release --no-build --project "$project" -- --check
if [[ $memory -eq 1 ]]; then
  echo "== peak working set of one NeuralNet CNN training epoch (60,000 samples, 2 threads)"
  dotnet run -c Release --no-build --project "$project" -- --memory
fi
echo "== benchmarks (filter ${filter[*]})"
dotnet run -c Release --no-build --project "$project" -- --filter "${filter[@]}" "${args[@]}"
echo "== done $(date -u '+%H:%M:%S') UTC, load:$(uptime | sed 's/.*load average://')"
