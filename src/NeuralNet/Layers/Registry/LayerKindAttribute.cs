namespace NeuralNet.Layers;

/// <summary>
/// Names the stable kind under which a layer class is saved, and so registers it with <see cref="LayerRegistry"/>.
/// </summary>
/// <remarks>
/// The class also needs a static method <c>FromConfig(LayerConfig config)</c> that returns the layer built from the
/// configuration its <see cref="ILayer{T}.GetConfig"/> returns (any visibility). Optionally, static methods marked
/// <see cref="OnnxImportAttribute"/> build it from ONNX nodes. The layers of this library are registered when the
/// registry is first used; register your own with <see cref="LayerRegistry.Register(Type)"/>.
/// </remarks>
/// <example>
/// <code>
/// [LayerKind("scale")]
/// public sealed class Scale&lt;T&gt; : ElementwiseActivation&lt;T&gt; where T : unmanaged, IFloatingPointIeee754&lt;T&gt;
/// {
///     public static Scale&lt;T&gt; FromConfig(LayerConfig config) =&gt; new(config.GetNumber("factor"));
///     public override LayerConfig GetConfig() =&gt; new LayerConfig("scale").With("factor", Factor);
///     …
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LayerKindAttribute : Attribute
{
    /// <summary>Names the kind.</summary>
    /// <param name="kind">The stable name stored in files, e.g. <c>"linear"</c>; never change it once files exist.</param>
    public LayerKindAttribute(string kind)
    {
        Kind = kind;
    }

    /// <summary>The stable kind name.</summary>
    public string Kind { get; }
}
