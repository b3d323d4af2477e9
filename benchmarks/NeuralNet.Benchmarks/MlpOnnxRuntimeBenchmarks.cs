using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Compute;
using NeuralNet.Onnx;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The same-run baseline of issue 10's inference target: the 784-256-128-10 MLP of <see cref="InferenceBenchmarks"/>
/// (same seed, exported with <c>Network.ExportOnnx</c>) in ONNX Runtime, next to our <c>Predict</c>, at 1 and 2
/// threads. ONNX Runtime gets its fastest managed route: tensors over our own memory, input and output bound once,
/// <c>IntraOpNumThreads</c> equal to ours, all graph optimisations.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class MlpOnnxRuntimeBenchmarks
{
    private Network<float> mlp = null!;
    private Matrix<float> one = null!, thousand = null!;
    private InferenceSession session = null!;
    private RunOptions runOptions = null!;
    private OrtIoBinding bindingOne = null!, bindingThousand = null!;
    private readonly List<OrtValue> values = [];
    private string path = null!;

    /// <summary>Threads for both: our <c>ComputeInfo.MaxThreads</c> and ONNX Runtime's <c>IntraOpNumThreads</c>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        mlp = Mlp.FashionMlp();
        one = Mlp.RandomBatch(784, 1, 2);
        thousand = Mlp.RandomBatch(784, 1000, 3);
        path = Path.Combine(Path.GetTempPath(), $"neuralnet-mlp-{Environment.ProcessId}.onnx");
        mlp.ExportOnnx(path);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session = new InferenceSession(path, options);
        runOptions = new RunOptions();
        bindingOne = Bind(one, 1);
        bindingThousand = Bind(thousand, 1000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        bindingOne.Dispose();
        bindingThousand.Dispose();
        values.ForEach(v => v.Dispose());
        runOptions.Dispose();
        session.Dispose();
        File.Delete(path);
    }

    [Benchmark(Description = "ONNX Runtime, batch 1")]
    public void OrtOne() => session.RunWithBinding(runOptions, bindingOne);

    [Benchmark(Description = "ONNX Runtime, batch 1000")]
    public void OrtThousand() => session.RunWithBinding(runOptions, bindingThousand);

    [Benchmark(Description = "Predict batch 1")]
    public Matrix<float> PredictOne() => mlp.Predict(one);

    [Benchmark(Description = "Predict batch 1000")]
    public Matrix<float> PredictThousand() => mlp.Predict(thousand);

    /// <summary>Our column-major <c>784 × batch</c> storage is ONNX's row-major <c>[batch, 784]</c>: no copy.</summary>
    private OrtIoBinding Bind(Matrix<float> input, int batch)
    {
        OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(input.AsColumnMajorArray(), [batch, 784]);
        OrtValue outputValue = OrtValue.CreateTensorValueFromMemory(new float[batch * 10], [batch, 10]);
        values.Add(inputValue);
        values.Add(outputValue);
        OrtIoBinding binding = session.CreateIoBinding();
        binding.BindInput(session.InputNames[0], inputValue);
        binding.BindOutput(session.OutputNames[0], outputValue);
        return binding;
    }
}
