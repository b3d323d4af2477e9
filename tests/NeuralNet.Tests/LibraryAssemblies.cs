using System.Reflection;
using NeuralNet.Data;
using NeuralNet.Onnx;

namespace NeuralNet.Tests;

/// <summary>The three packages' assemblies: NeuralNet (core), NeuralNet.Data and NeuralNet.Onnx.</summary>
internal static class LibraryAssemblies
{
    public static IReadOnlyList<Assembly> All { get; } =
        [typeof(Network<>).Assembly, typeof(CsvLoader).Assembly, typeof(OnnxNetworkExtensions).Assembly];
}
