using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// The promise every layer keeps, checked for every public concrete layer class the library has, including those
/// nobody has written yet: a registry entry, at least one configuration in some test file (<see cref="ILayerCases"/>),
/// a save/load round trip that predicts bit for bit, an ONNX form (run in ONNX Runtime) or a declared refusal, and a
/// finite-difference gradient check of the training path (input and parameters).
/// </summary>
public sealed class LayerContractTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-contract-").FullName;

    public static TheoryData<LayerCase> AllCases() => [.. DiscoverCases()];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void EveryPublicLayerClass_IsRegistered_AndHasCases()
    {
        Type[] layerTypes = [.. typeof(ILayer<>).Assembly.GetTypes().Where(IsPublicConcreteLayer)];

        layerTypes.Should().NotBeEmpty();
        FindContractGaps(layerTypes, DiscoverCases()).Should().BeEmpty();
    }

    [Fact]
    public void TheContractCheck_ReportsALayerClassWithoutRegistryEntryOrCases()
    {
        // The check must be able to fail: a layer class of this assembly has neither.
        string[] gaps = FindContractGaps([typeof(Serialization.ForeignLayer<>)], DiscoverCases());

        gaps.Should().Contain(g => g.Contains("ForeignLayer") && g.Contains("[LayerKind]"));
        gaps.Should().Contain(g => g.Contains("ForeignLayer") && g.Contains("no ILayerCases"));
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void SaveAndLoad_GiveTheSameLayer_PredictingBitForBit(LayerCase layerCase)
    {
        ILayer<double> layer = layerCase.Create();
        var network = new Network<double>(layerCase.InputShape, layer);
        Matrix<double> input = layerCase.Input(batch: 4, seed: 1);

        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;
        ILayer<double> loaded = Network<double>.Load(file).Layers.Single();

        loaded.GetType().Should().Be(layer.GetType());
        loaded.GetConfig().Should().Be(layer.GetConfig());
        loaded.Parameters.Select(p => p.Value.ToColumnMajorArray()).Should().BeEquivalentTo(layer.Parameters.Select(p => p.Value.ToColumnMajorArray()), o => o.WithStrictOrdering());
        loaded.Buffers.Select(b => (b.Values.ToArray(), b.Words.ToArray())).Should().BeEquivalentTo(layer.Buffers.Select(b => (b.Values.ToArray(), b.Words.ToArray())), o => o.WithStrictOrdering());
        new Network<double>(layerCase.InputShape, loaded).Predict(input).Should().Be(network.Predict(input));
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void OnnxForm_IsDeclared_AndRunsInOnnxRuntimeLikePredict(LayerCase layerCase)
    {
        ILayer<double> layer = layerCase.Create();
        InterfaceMapping map = layer.GetType().GetInterfaceMap(typeof(ILayer<double>));
        MethodInfo toOnnx = map.TargetMethods[Array.FindIndex(map.InterfaceMethods, m => m.Name == nameof(ILayer<double>.ToOnnx))];
        toOnnx.DeclaringType.Should().NotBe(typeof(ILayer<double>), "a layer must declare its ONNX form or its refusal, not inherit the default");

        OnnxForm form = layer.ToOnnx();
        Network<float> network = new Network<double>(layerCase.InputShape, layer).Convert<float>();
        string path = Path.Combine(directory, $"{Guid.NewGuid():N}.onnx");
        if (!form.IsSupported)
        {
            form.NotSupportedReason.Should().NotBeNullOrWhiteSpace();
            network.Invoking(n => n.ExportOnnx(path)).Should().Throw<NotSupportedException>().WithMessage($"*{layer.Name}*");
            return;
        }

        Matrix<float> input = layerCase.Input(batch: 5, seed: 2).Map(v => (float)v);
        network.ExportOnnx(path);
        using var session = new InferenceSession(path);
        int[] dimensions = [input.ColumnCount, .. layerCase.InputShape.Dimensions];
        var tensor = new DenseTensor<float>(input.ToColumnMajorArray(), dimensions);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        float[] actual = results.Single().AsTensor<float>().ToArray();

        actual.Should().Equal(network.Predict(input).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e)));
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void GradientCheck_OfTheTrainingPath_Passes(LayerCase layerCase)
    {
        ILayer<double> layer = layerCase.Create();

        GradientCheckReport report = GradientCheck.Layer(layer, layerCase.Input(batch: 3, seed: 3), new GradientCheckOptions { Seed = 4 });

        report.Passed.Should().BeTrue(report.ToString());
        string[] inputs = layer.Traits.HasFlag(LayerTraits.IndexInput) ? [] : ["input"];
        report.Tensors.Should().Equal([.. inputs, .. layer.Parameters.Select(p => p.Name)]);
    }

    /// <summary>What each layer class lacks of the contract; empty when every class keeps it.</summary>
    internal static string[] FindContractGaps(IEnumerable<Type> layerTypes, IEnumerable<LayerCase> cases)
    {
        HashSet<Type> covered = [.. cases.Select(c => Open(c.Create().GetType()))];
        var gaps = new List<string>();
        foreach (Type type in layerTypes)
        {
            string? kind = type.GetCustomAttribute<LayerKindAttribute>()?.Kind;
            if (kind is null || !LayerRegistry.IsRegistered(kind) || LayerRegistry.GetLayerType(kind) != type)
            {
                gaps.Add($"{type.Name}: no [LayerKind] registry entry");
            }

            if (!covered.Contains(type))
            {
                gaps.Add($"{type.Name}: no ILayerCases in the tests configures it, so it has no round-trip, ONNX or gradient check");
            }
        }

        return [.. gaps];
    }

    private static bool IsPublicConcreteLayer(Type type) =>
        type.IsPublic && type.IsClass && !type.IsAbstract
        && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILayer<>));

    private static Type Open(Type type) => type.IsGenericType ? type.GetGenericTypeDefinition() : type;

    private static IEnumerable<LayerCase> DiscoverCases() =>
        typeof(LayerContractTests).Assembly.GetTypes()
            .Where(t => typeof(ILayerCases).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => ((ILayerCases)Activator.CreateInstance(t)!).Cases);
}
