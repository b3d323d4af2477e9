using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Diagnostics;

/// <summary>
/// Verifies backward passes against central finite differences in double precision, like PyTorch's
/// <c>torch.autograd.gradcheck</c>: both the input gradient and every parameter gradient, entry by entry.
/// </summary>
/// <remarks>
/// <para>
/// A layer is checked through the scalar <c>L = ⟨R, f(x)⟩</c> with a random upstream gradient <c>R</c> (seeded), so
/// <c>∂L/∂y = R</c>. The training path (<c>Forward</c>, <c>Backward</c>) is what gets checked. The layer's buffers
/// (running statistics, random generator states) are saved before and restored before every forward pass, so a
/// dropout layer draws the same mask each time and batch statistics do not drift; they are restored at the end too.
/// </para>
/// <para>
/// Each entry passes when <c>|analytic − numeric| ≤ RelativeTolerance · max(|numeric|, Floor)</c>. Keep inputs a few
/// steps away from kinks (ReLU at 0), where the function has no derivative.
/// </para>
/// <para>
/// The input of a layer with <see cref="LayerTraits.IndexInput"/> (token ids, as an embedding reads them) is not
/// perturbed: ids are not differentiable, and a nudged id is not an id. The report then lists the parameters only.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var layer = new MyLayer&lt;double&gt;(…);
/// GradientCheckReport report = GradientCheck.Layer(layer, Matrix&lt;double&gt;.Build.Random(5, 3, 1));
/// Console.WriteLine(report);            // passed (…entries…), or the worst entries
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>Checks a layer's input and parameter gradients on one minibatch.</summary>
    /// <param name="layer">The layer, in double precision.</param>
    /// <param name="input">A <c>features × batch</c> minibatch (not changed).</param>
    /// <param name="options">Step, tolerance and seed; defaults if <see langword="null"/>.</param>
    /// <returns>The report; <see cref="GradientCheckReport.Passed"/> says whether every entry agreed.</returns>
    public static GradientCheckReport Layer(ILayer<double> layer, Matrix<double> input, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        options ??= new GradientCheckOptions();
        options.Validate();
        Matrix<double> x = input.Clone();
        var buffers = new BufferSnapshot([layer]);
        Matrix<double> output = layer.Forward(x);
        Matrix<double> upstream = RandomNormal(output.RowCount, output.ColumnCount, options.Seed);
        double[] inputGradient = layer.Backward(upstream).ToColumnMajorArray();
        double Objective()
        {
            buffers.Restore();
            return Dot(upstream, layer.Forward(x));
        }

        var comparison = new Comparison(options);
        if (!layer.Traits.HasFlag(LayerTraits.IndexInput))
        {
            comparison.Add("input", inputGradient, x.AsColumnMajorArray(), Objective);
        }

        foreach (Parameter<double> parameter in layer.Parameters)
        {
            comparison.Add(parameter.Name, parameter.Gradient.ToColumnMajorArray(), parameter.ValueSpan, Objective);
        }

        buffers.Restore();
        return comparison.Report(layer.Name);
    }

    /// <summary>Checks a whole network under a loss with class labels: the input gradient and every layer's parameter gradients.</summary>
    /// <param name="network">The network, in double precision.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="input">A <c>features × batch</c> minibatch (not changed).</param>
    /// <param name="labels">One class label per sample.</param>
    /// <param name="options">Step, tolerance and seed; defaults if <see langword="null"/>.</param>
    public static GradientCheckReport Network(Network<double> network, ILoss<double> loss, Matrix<double> input, int[] labels, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(labels);
        return CheckNetwork(network, input, options, (output, gradient) => loss.Compute(output, labels, gradient));
    }

    /// <summary>Checks a whole network under a loss with target values: the input gradient and every layer's parameter gradients.</summary>
    /// <param name="network">The network, in double precision.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="input">A <c>features × batch</c> minibatch (not changed).</param>
    /// <param name="targets">An <c>outputs × batch</c> matrix of targets.</param>
    /// <param name="options">Step, tolerance and seed; defaults if <see langword="null"/>.</param>
    public static GradientCheckReport NetworkWithTargets(Network<double> network, ILoss<double> loss, Matrix<double> input, Matrix<double> targets, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(targets);
        return CheckNetwork(network, input, options, (output, gradient) => loss.Compute(output, targets, gradient));
    }

    /// <summary>Checks a loss's gradient with respect to the network output, for class labels.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="output">An <c>outputs × batch</c> matrix (not changed).</param>
    /// <param name="labels">One class label per sample.</param>
    /// <param name="options">Step and tolerance; defaults if <see langword="null"/>.</param>
    public static GradientCheckReport Loss(ILoss<double> loss, Matrix<double> output, int[] labels, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(labels);
        return CheckLoss(loss.Name, output, options, (z, gradient) => loss.Compute(z, labels, gradient));
    }

    /// <summary>Checks a loss's gradient with respect to the network output, for target values.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="output">An <c>outputs × batch</c> matrix (not changed).</param>
    /// <param name="targets">An <c>outputs × batch</c> matrix of targets.</param>
    /// <param name="options">Step and tolerance; defaults if <see langword="null"/>.</param>
    public static GradientCheckReport LossWithTargets(ILoss<double> loss, Matrix<double> output, Matrix<double> targets, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(targets);
        return CheckLoss(loss.Name, output, options, (z, gradient) => loss.Compute(z, targets, gradient));
    }

    private static GradientCheckReport CheckNetwork(
        Network<double> network, Matrix<double> input, GradientCheckOptions? options, Func<Matrix<double>, Matrix<double>?, double> loss)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        options ??= new GradientCheckOptions();
        options.Validate();
        Matrix<double> x = input.Clone();
        var buffers = new BufferSnapshot(network.Layers);
        Matrix<double> output = network.Forward(x);
        var outputGradient = Matrix<double>.Build.Dense(output.RowCount, output.ColumnCount);
        loss(output, outputGradient);
        double[] inputGradient = network.Backward(outputGradient).ToColumnMajorArray();
        double Objective()
        {
            buffers.Restore();
            return loss(network.Forward(x), null);
        }

        var comparison = new Comparison(options);
        if (!network.Layers[0].Traits.HasFlag(LayerTraits.IndexInput))
        {
            comparison.Add("input", inputGradient, x.AsColumnMajorArray(), Objective);
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            foreach (Parameter<double> parameter in network.Layers[i].Parameters)
            {
                comparison.Add($"layer {i} {parameter.Name}", parameter.Gradient.ToColumnMajorArray(), parameter.ValueSpan, Objective);
            }
        }

        buffers.Restore();
        return comparison.Report($"a network of {network.Layers.Count} layers");
    }

    private static GradientCheckReport CheckLoss(
        string name, Matrix<double> output, GradientCheckOptions? options, Func<Matrix<double>, Matrix<double>?, double> loss)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new GradientCheckOptions();
        options.Validate();
        Matrix<double> z = output.Clone();
        var gradient = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount);
        loss(z, gradient);
        var comparison = new Comparison(options);
        comparison.Add("output", gradient.ToColumnMajorArray(), z.AsColumnMajorArray(), () => loss(z, null));
        return comparison.Report(name);
    }

    /// <summary>Standard-normal draws (Box–Muller) from a seeded source.</summary>
    private static Matrix<double> RandomNormal(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(rows, columns, (_, _) =>
            Math.Sqrt(-2 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }

    private static double Dot(Matrix<double> a, Matrix<double> b)
    {
        double[] x = a.AsColumnMajorArray() ?? a.ToColumnMajorArray();
        double[] y = b.AsColumnMajorArray() ?? b.ToColumnMajorArray();
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>Copies of every buffer of some layers, put back before each forward pass.</summary>
    private sealed class BufferSnapshot
    {
        private readonly List<(LayerBuffer<double> Buffer, double[] Values, ulong[] Words)> saved = [];

        public BufferSnapshot(IEnumerable<ILayer<double>> layers)
        {
            foreach (LayerBuffer<double> buffer in layers.SelectMany(l => l.Buffers))
            {
                saved.Add((buffer, buffer.Values.ToArray(), buffer.Words.ToArray()));
            }
        }

        public void Restore()
        {
            foreach ((LayerBuffer<double> buffer, double[] values, ulong[] words) in saved)
            {
                values.CopyTo(buffer.Values.Span);
                words.CopyTo(buffer.Words.Span);
            }
        }
    }

    /// <summary>Collects entry comparisons and keeps the worst.</summary>
    private sealed class Comparison(GradientCheckOptions options)
    {
        private readonly List<GradientCheckEntry> entries = [];
        private readonly List<string> tensors = [];

        public void Add(string tensor, double[] analytic, Span<double> values, Func<double> objective)
        {
            tensors.Add(tensor);
            for (int i = 0; i < values.Length; i++)
            {
                double original = values[i];
                values[i] = original + options.Step;
                double plus = objective();
                values[i] = original - options.Step;
                double minus = objective();
                values[i] = original;
                double numeric = (plus - minus) / (2 * options.Step);
                double tolerance = options.RelativeTolerance * Math.Max(double.IsFinite(numeric) ? Math.Abs(numeric) : 0, options.Floor);
                entries.Add(new GradientCheckEntry(tensor, i, analytic[i], numeric, tolerance));
            }
        }

        public GradientCheckReport Report(string subject) =>
            new(subject, entries.Count, entries.Count(e => !e.Passed), [.. entries.OrderByDescending(e => e.Ratio).Take(options.WorstEntries)], tensors);
    }
}
