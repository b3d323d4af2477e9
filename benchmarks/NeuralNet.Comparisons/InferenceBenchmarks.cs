using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralNet.Comparisons;

/// <summary>
/// Inference on real Fashion-MNIST images with seeded weights: NeuralNet's fastest public <c>Predict</c> against ONNX
/// Runtime on the model NeuralNet exports and against TorchSharp with the same weights, at batch 1 and 1000, 1 and 2
/// threads. Every setup first checks that the other library's outputs equal NeuralNet's and throws if not.
/// </summary>
/// <remarks>
/// NeuralNet, batch 1: <c>Predict(ReadOnlySpan, Span)</c> into a caller's buffer (no allocation). Batch 1000:
/// <c>Predict(Matrix)</c>, the only batch route (it allocates its result). ONNX Runtime: ORT_ENABLE_ALL, sequential
/// execution, IntraOpNumThreads = threads, InterOpNumThreads = 1, input and output <see cref="OrtValue"/>s over caller
/// memory bound once through an <see cref="OrtIoBinding"/> and reused. TorchSharp: eval mode, inference mode, a
/// pre-made input tensor; the output is copied into a caller's buffer so that all three deliver managed floats.
/// </remarks>
public abstract class InferenceBenchmarks
{
    private Network<float> network = null!;
    private Matrix<float> input = null!;
    private float[] inputValues = [];
    private float[] output = [];
    private InferenceSession? session;
    private RunOptions? runOptions;
    private OrtIoBinding? binding;
    private OrtValue? ortInput, ortOutput;
    private nn.Module<Tensor, Tensor>? torchModel;
    private Tensor? torchInput;
    private string? modelPath;

    /// <summary>Threads for every library.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Samples per call.</summary>
    [Params(1, 1000)]
    public int Batch { get; set; }

    /// <summary>The network, seeded.</summary>
    protected abstract Network<float> BuildNetwork();

    /// <summary>Outputs per sample.</summary>
    private int Outputs => network.OutputSize ?? 10;

    [GlobalSetup(Target = nameof(NeuralNetPredict))]
    public void SetupNeuralNet() => SetupCommon();

    [GlobalSetup(Target = nameof(OnnxRuntime))]
    public void SetupOnnxRuntime()
    {
        SetupCommon();
        OrtParts parts = CreateOrt(network, inputValues, Batch, Threads, out modelPath);
        (session, runOptions, binding, ortInput, ortOutput, output) = parts;
        session.RunWithBinding(runOptions, binding);
        OutputCheck.Equal(Reference(), output, $"ONNX Runtime ({GetType().Name}, batch {Batch}, {Threads} threads)");
    }

    [GlobalSetup(Target = nameof(TorchSharp))]
    public void SetupTorchSharp()
    {
        SetupCommon();
        (torchModel, torchInput) = CreateTorch(network, inputValues, Batch);
        output = new float[Batch * Outputs];
        TorchSharp();
        OutputCheck.Equal(Reference(), output, $"TorchSharp ({GetType().Name}, batch {Batch}, {Threads} threads)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        binding?.Dispose();
        ortInput?.Dispose();
        ortOutput?.Dispose();
        runOptions?.Dispose();
        session?.Dispose();
        torchInput?.Dispose();
        if (modelPath is not null)
        {
            File.Delete(modelPath);
        }
    }

    [Benchmark(Description = "NeuralNet")]
    public object NeuralNetPredict()
    {
        if (Batch == 1)
        {
            network.Predict(inputValues.AsSpan(0, inputValues.Length), output);
            return output;
        }

        return network.Predict(input);
    }

    [Benchmark(Description = "ONNX Runtime")]
    public float[] OnnxRuntime()
    {
        session!.RunWithBinding(runOptions!, binding!);
        return output;
    }

    [Benchmark(Description = "TorchSharp")]
    public float[] TorchSharp()
    {
        using DisposeScope scope = torch.NewDisposeScope();
        using IDisposable mode = torch.inference_mode();
        Tensor result = torchModel!.forward(torchInput!);
        result.data<float>().CopyTo(output);
        return output;
    }

    private void SetupCommon()
    {
        Comparisons.Threads.Use(Threads);
        Console.WriteLine($"// threads: {Comparisons.Threads.Describe()}");
        network = BuildNetwork();
        Models.PerturbBiases(network, seed: 5);
        input = FashionData.Training(Math.Max(Batch, 1)).Features;
        inputValues = FashionData.Storage(input);
        output = new float[Batch * Outputs];
    }

    private float[] Reference() => FashionData.Storage(network.Predict(input));

    /// <summary>ONNX Runtime's session and bound values, built as the benchmarks use them.</summary>
    internal sealed record OrtParts(InferenceSession Session, RunOptions RunOptions, OrtIoBinding Binding, OrtValue Input, OrtValue Output, float[] OutputValues);

    /// <summary>Exports <paramref name="network"/> and opens it in ONNX Runtime with the fastest documented CPU settings.</summary>
    internal static OrtParts CreateOrt(Network<float> network, float[] inputValues, int batch, int threads, out string path)
    {
        path = Path.Combine(Path.GetTempPath(), $"neuralnet-comparison-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        network.ExportOnnx(path);
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        var session = new InferenceSession(path, options);
        string inputName = session.InputNames[0], outputName = session.OutputNames[0];
        long[] inputShape = Concrete(session.InputMetadata[inputName].Dimensions, batch, inputValues.Length);
        int outputs = network.OutputSize ?? 10;
        var outputValues = new float[batch * outputs];
        OrtValue ortInput = OrtValue.CreateTensorValueFromMemory(inputValues, inputShape);
        OrtValue ortOutput = OrtValue.CreateTensorValueFromMemory(outputValues, [batch, outputs]);
        OrtIoBinding binding = session.CreateIoBinding();
        binding.BindInput(inputName, ortInput);
        binding.BindOutput(outputName, ortOutput);
        return new OrtParts(session, new RunOptions(), binding, ortInput, ortOutput, outputValues);
    }

    /// <summary>The TorchSharp twin in eval mode and the input batch as a tensor.</summary>
    internal static (nn.Module<Tensor, Tensor> Model, Tensor Input) CreateTorch(Network<float> network, float[] inputValues, int batch)
    {
        nn.Module<Tensor, Tensor> model = Models.ToTorch(network);
        model.eval();
        long[] shape = network.InputShape is { } s ? [batch, .. s.Dimensions.Select(d => (long)d)] : [batch, inputValues.Length / batch];
        return (model, torch.tensor(inputValues, shape));
    }

    /// <summary>The model's input dimensions with the batch and any other free dimension filled in.</summary>
    private static long[] Concrete(int[] dimensions, int batch, int length)
    {
        long[] shape = [.. dimensions.Select(d => (long)d)];
        shape[0] = batch;
        long known = shape.Where(d => d > 0).Aggregate(1L, (a, d) => a * d);
        for (int i = 1; i < shape.Length; i++)
        {
            if (shape[i] <= 0)
            {
                shape[i] = length / known;
            }
        }

        return shape;
    }
}

/// <summary>The CNN "small" of issue 10 (seeded init, biases perturbed).</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
[MemoryDiagnoser(false)]
public class CnnInferenceBenchmarks : InferenceBenchmarks
{
    protected override Network<float> BuildNetwork() => Models.Cnn(seed: 1);
}

/// <summary>The 784-256-128-10 ReLU MLP (seeded init, biases perturbed).</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
[MemoryDiagnoser(false)]
public class MlpInferenceBenchmarks : InferenceBenchmarks
{
    protected override Network<float> BuildNetwork() => Models.Mlp(seed: 1);
}
