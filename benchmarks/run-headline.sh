#!/usr/bin/env bash
# Runs the headline benchmark set of issue 3 (BenchmarkDotNet, short jobs, memory diagnoser) and ends by printing
#   epoch seconds (1 thread): X.XXX
# Extra arguments go to BenchmarkDotNet, e.g. --filter '*Gemm*' to run part of the set.
set -euo pipefail
cd "$(dirname "$0")/.."
filters=('*FmaPeakBenchmarks*' '*GemmBenchmarks*' '*LayerBenchmarks*' '*TrainingStepBenchmarks*' '*InferenceBenchmarks*' '*SgdBenchmarks*' '*ThreadSplitBenchmarks*' '*EpochBenchmarks*')
if [[ $# -gt 0 ]]; then
  dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- "$@"
else
  dotnet run -c Release --project benchmarks/NeuralNet.Benchmarks -- --filter "${filters[@]}"
fi
