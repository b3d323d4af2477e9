namespace NeuralNet.Initializers;

/// <summary>The standard weight initializers, ready to pass to a layer.</summary>
public static class Initializer
{
    /// <summary>He/Kaiming normal, <c>N(0, 2 / fanIn)</c>: the choice for the ReLU family.</summary>
    public static IWeightInitializer HeNormal { get; } = new HeNormal();

    /// <summary>He/Kaiming uniform, <c>U(−√(6 / fanIn), √(6 / fanIn))</c>.</summary>
    public static IWeightInitializer HeUniform { get; } = new HeUniform();

    /// <summary>Xavier/Glorot uniform, <c>U(−√(6 / (fanIn + fanOut)), +…)</c>: the choice for tanh, sigmoid and linear outputs.</summary>
    public static IWeightInitializer GlorotUniform { get; } = new GlorotUniform();

    /// <summary>Xavier/Glorot normal, <c>N(0, 2 / (fanIn + fanOut))</c>.</summary>
    public static IWeightInitializer GlorotNormal { get; } = new GlorotNormal();

    /// <summary>All zeros (for tests and special cases; a hidden layer initialised this way cannot break symmetry).</summary>
    public static IWeightInitializer Zeros { get; } = new Zeros();
}
