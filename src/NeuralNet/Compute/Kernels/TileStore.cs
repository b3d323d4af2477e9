namespace NeuralNet.Compute.Kernels;

/// <summary>
/// How a micro-kernel stores its sums <c>s</c> into a tile of C: <c>C ← act(α·s + bias)</c> when
/// <see cref="Overwrite"/>, else <c>C ← act(α·s + C)</c>, where <c>bias</c> is 0 without a <see cref="Bias"/> and
/// <c>act</c> is <c>max(·, 0)</c> when <see cref="Relu"/>, else the identity.
/// </summary>
/// <remarks>
/// <c>α·s + bias</c> is one fused multiply-add, exactly what storing the bias into C first and then adding
/// <c>α·s</c> to it gives, so fusing the bias changes no bit. The ReLU is <c>max(x, 0)</c> in the IEEE 754:2019 sense
/// that <c>TensorPrimitives.Max</c> uses (NaN stays NaN, <c>max(−0, 0) = +0</c>), so fusing it changes no bit either.
/// </remarks>
internal readonly unsafe struct TileStore
{
    /// <summary>Describes the store; <paramref name="bias"/> points at the tile's first row's bias, or is null.</summary>
    public TileStore(float alpha, bool overwrite, float* bias, bool relu)
    {
        Alpha = alpha;
        Overwrite = overwrite;
        Bias = bias;
        Relu = relu;
    }

    /// <summary>The factor α of the sums.</summary>
    public float Alpha { get; }

    /// <summary>Whether C's old contents are ignored (β = 0) rather than added to.</summary>
    public bool Overwrite { get; }

    /// <summary>The bias of the tile's rows (one value per row of C), added only when overwriting; null for none.</summary>
    public float* Bias { get; }

    /// <summary>Whether the stored values go through <c>max(·, 0)</c>.</summary>
    public bool Relu { get; }

    /// <summary>The same store for the tile <paramref name="rows"/> rows further down.</summary>
    public TileStore Down(int rows) => new(Alpha, Overwrite, Bias == null ? null : Bias + rows, Relu);
}
