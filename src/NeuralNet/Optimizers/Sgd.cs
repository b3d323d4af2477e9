using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, in the source text's form:
/// <c>Δθ ← α·Δθ − η·g</c>, <c>θ ← θ + Δθ</c>, with one velocity <c>Δθ</c> per parameter (starting at zero)
/// and <c>g = ∇L(θ) + λ·θ</c> when weight decay <c>λ</c> is set. <c>α = 0</c> is plain SGD: <c>θ ← θ − η·g</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Nesterov.</b> With <c>nesterov: true</c> the step looks ahead along the new velocity:
/// <c>Δθ ← α·Δθ − η·g</c>, <c>θ ← θ + α·Δθ − η·g</c>.
/// </para>
/// <para>
/// <b>Relation to PyTorch.</b> PyTorch's <c>torch.optim.SGD</c> keeps <c>v ← μ·v + g</c> and steps <c>θ ← θ − η·v</c>.
/// With a constant learning rate the two are the same (<c>Δθ = −η·v</c>); when the learning rate changes between
/// steps they differ: here the old velocity keeps the learning rates it was accumulated with, in PyTorch the new
/// rate rescales the whole velocity.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sgd<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Elements per chunk of <see cref="Step"/>: 2,048 floats are 8 KB per array, so θ, g and Δθ (24 KB) share the
    /// 32 KB L1 data cache.
    /// </summary>
    private const int ChunkLength = 2048;

    private readonly Dictionary<Parameter<T>, T[]> velocities = new(ReferenceEqualityComparer.Instance);
    private Parameter<T>?[] velocityKeys = [];
    private T[][] velocitySlots = [];
    private double learningRate;
    private long stepCount;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0.</param>
    /// <param name="momentum">Momentum <c>α</c> in [0, 1); 0 is plain SGD.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs <paramref name="momentum"/> &gt; 0).</param>
    /// <param name="weightDecay">L2 penalty <c>λ</c> added to the gradient as <c>λ·θ</c> (coupled, as PyTorch's SGD); finite and ≥ 0. The sum is written back into each <see cref="Parameter{T}.Gradient"/>, so after a step the stored gradient is the one the update used.</param>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        LearningRate = learningRate;
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Sgd: momentum must be in [0, 1).");
        }

        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Sgd: weight decay must be finite and non-negative.");
        }

        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Sgd: Nesterov momentum needs a momentum greater than 0.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => learningRate;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Sgd: the learning rate must be finite and non-negative.");
            }

            learningRate = value;
        }
    }

    /// <summary>Momentum <c>α</c>.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 weight decay <c>λ</c>.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        T eta = T.CreateChecked(learningRate);
        T alpha = T.CreateChecked(Momentum);
        T lambda = T.CreateChecked(WeightDecay);
        stepCount++;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter<T> parameter = parameters[p];
            Span<T> theta = parameter.ValueSpan;
            Span<T> g = parameter.GradientSpan;
            bool momentum = Momentum != 0;
            Span<T> velocity = momentum ? VelocityOf(parameter, p) : default;

            // Chunk by chunk, so the three or four passes below find θ, g and Δθ in the L1 cache instead of streaming
            // each whole array from memory once per pass; the element-wise arithmetic is the same as one pass each.
            for (int start = 0; start < theta.Length; start += ChunkLength)
            {
                int length = Math.Min(ChunkLength, theta.Length - start);
                Update(theta.Slice(start, length), g.Slice(start, length), momentum ? velocity.Slice(start, length) : default, eta, alpha, lambda);
            }
        }
    }

    private void Update(Span<T> theta, Span<T> g, Span<T> velocity, T eta, T alpha, T lambda)
    {
        if (WeightDecay != 0)
        {
            // g ← g + λθ, in place: the stored gradient becomes the one actually used.
            TensorPrimitives.MultiplyAdd(theta, lambda, g, g);
        }

        if (Momentum == 0)
        {
            // θ ← θ − η·g
            TensorPrimitives.MultiplyAdd(g, -eta, theta, theta);
            return;
        }

        // Δθ ← α·Δθ − η·g
        TensorPrimitives.Multiply(velocity, alpha, velocity);
        TensorPrimitives.MultiplyAdd(g, -eta, velocity, velocity);
        if (Nesterov)
        {
            // θ ← θ + α·Δθ − η·g
            TensorPrimitives.MultiplyAdd(velocity, alpha, theta, theta);
            TensorPrimitives.MultiplyAdd(g, -eta, theta, theta);
        }
        else
        {
            // θ ← θ + Δθ
            TensorPrimitives.Add(theta, velocity, theta);
        }
    }

    /// <summary>
    /// The velocity of the parameter at <paramref name="position"/>: remembered by position, so the usual call (the same
    /// parameter list every step) skips the dictionary; a different parameter there falls back to it.
    /// </summary>
    private T[] VelocityOf(Parameter<T> parameter, int position)
    {
        if (position < velocityKeys.Length && ReferenceEquals(velocityKeys[position], parameter))
        {
            return velocitySlots[position];
        }

        if (!velocities.TryGetValue(parameter, out T[]? velocity))
        {
            velocity = new T[parameter.Length];
            velocities.Add(parameter, velocity);
        }

        if (position >= velocityKeys.Length)
        {
            Array.Resize(ref velocityKeys, position + 1);
            Array.Resize(ref velocitySlots, position + 1);
        }

        velocityKeys[position] = parameter;
        velocitySlots[position] = velocity;
        return velocity;
    }

    /// <inheritdoc />
    public OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var buffers = new IReadOnlyDictionary<string, T[]>[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            buffers[p] = velocities.TryGetValue(parameters[p], out T[]? velocity)
                ? new Dictionary<string, T[]> { ["velocity"] = (T[])velocity.Clone() }
                : new Dictionary<string, T[]>();
        }

        return new OptimizerState<T>(stepCount, buffers);
    }

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Buffers.Count != parameters.Count)
        {
            throw new ArgumentException($"Sgd: the state has {state.Buffers.Count} parameters, the network {parameters.Count}.", nameof(state));
        }

        var restored = new Dictionary<Parameter<T>, T[]>(ReferenceEqualityComparer.Instance);
        for (int p = 0; p < parameters.Count; p++)
        {
            IReadOnlyDictionary<string, T[]> buffers = state.Buffers[p];
            foreach (string name in buffers.Keys)
            {
                if (name != "velocity")
                {
                    throw new ArgumentException($"Sgd: unknown state buffer '{name}' for parameter {p}.", nameof(state));
                }
            }

            if (buffers.TryGetValue("velocity", out T[]? velocity))
            {
                if (velocity.Length != parameters[p].Length)
                {
                    throw new ArgumentException(
                        $"Sgd: the velocity of parameter {p} ({parameters[p]}) has {velocity.Length} values, expected {parameters[p].Length}.", nameof(state));
                }

                restored.Add(parameters[p], (T[])velocity.Clone());
            }
        }

        velocities.Clear();
        velocityKeys = [];
        velocitySlots = [];
        foreach (KeyValuePair<Parameter<T>, T[]> entry in restored)
        {
            velocities.Add(entry.Key, entry.Value);
        }

        stepCount = state.StepCount;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Sgd(learning rate {LearningRate}, momentum {Momentum}{(Nesterov ? ", Nesterov" : string.Empty)}, weight decay {WeightDecay})");
}
