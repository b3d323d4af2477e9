using System.Globalization;
using System.Numerics;
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// Every public constructor of the layers, losses, optimizers, schedules and initializers (found by reflection, so a new
/// class is covered as soon as it exists), the optimizers' learning-rate setters, the schedules' rates, the
/// initializers' draws, the init setters of <see cref="TrainerOptions"/> and <see cref="EarlyStopping"/>, and the
/// <see cref="Dataset{T}"/> factories, called with hostile numbers (NaN, ±∞, 0, −0, negative, denormal, int.MaxValue,
/// huge), in float and double: each call either throws an <see cref="ArgumentException"/> whose parameter name or
/// message names the argument, or gives an object that works — a layer runs forward, backward, predict and a save/load
/// round trip with finite results on inputs in [−1, 1]; an optimizer takes steps, finite ones unless its learning rate or
/// weight decay is astronomically large (above 1e100, where the exact update itself overflows); a schedule gives finite
/// rates; options train — and never throws <see cref="OverflowException"/>, <see cref="OutOfMemoryException"/>,
/// <see cref="IndexOutOfRangeException"/>, <see cref="NullReferenceException"/> or anything else.
/// </summary>
public sealed class PublicArgumentTests
{
    private static readonly string[] Namespaces = ["NeuralNet.Layers", "NeuralNet.Losses", "NeuralNet.Optimizers", "NeuralNet.Schedules", "NeuralNet.Initializers"];

    private static readonly double[] HostileDoubles =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, -1.0, -1e-300, double.Epsilon, 1e-300, 1e-50, 1e300, -1e300, double.MaxValue, 0.9999999999999999, 1.0, 2.0];

    private static readonly int[] HostileInts = [0, -1, int.MinValue, int.MaxValue, int.MaxValue - 1, 65536];

    /// <summary>Hostile (height, width) pairs: kernel sizes, strides, paddings, dilations.</summary>
    private static readonly (int Height, int Width)[] HostilePairs =
        [(0, 0), (-1, 2), (2, -1), (int.MinValue, int.MinValue), (int.MaxValue, int.MaxValue), (int.MaxValue - 1, 2), (65536, 65536), (2, 65536), (1, 1)];

    /// <summary>Public classes of those namespaces that are not built from numbers, with the reason.</summary>
    private static readonly Dictionary<Type, string> NotNumeric = new()
    {
        [typeof(LayerKindAttribute)] = "an attribute naming a kind (checked by LayerRegistry.Register)",
        [typeof(OnnxImportAttribute)] = "an attribute naming an operator",
    };

    [Theory]
    [InlineData(typeof(float))]
    [InlineData(typeof(double))]
    public void Constructors_HostileNumbers_ThrowArgumentExceptionsNamingTheArgumentOrBuildWorkingObjects(Type element)
    {
        var failures = new List<string>();
        var random = new Random(51);
        Constructors(element).Select(c => c.DeclaringType!.Name.Split('`')[0]).Should().Contain(
            ["Linear", "BatchNorm1d", "Dropout", "LeakyRelu", "Elu", "Softmax", "Conv2d", "MaxPool2d", "AvgPool2d", "BatchNorm2d", "CrossEntropyLoss", "Sgd", "Adam", "AdamW", "RmsProp", "StepDecaySchedule", "CosineAnnealingSchedule", "LinearWarmupSchedule", "HeNormal", "LayerConfig", "OnnxInitializer", "OptimizerState"]);
        foreach (ConstructorInfo constructor in Constructors(element))
        {
            ParameterInfo[] parameters = constructor.GetParameters();
            string name = $"{Describe(constructor.DeclaringType!)}({string.Join(", ", parameters.Select(p => p.Name))})";
            var uncovered = parameters.Where(p => Hostile(p.ParameterType, element) is null).ToList();
            if (uncovered.Count > 0)
            {
                failures.Add($"{name}: no generator for {string.Join(", ", uncovered.Select(p => p.ParameterType.Name))}; add one to the table");
                continue;
            }

            // Each parameter in turn takes every hostile value, the others a valid one; then random mixes of hostile values.
            for (int p = 0; p < parameters.Length; p++)
            {
                foreach (object? value in Hostile(parameters[p].ParameterType, element)!)
                {
                    object?[] arguments = [.. parameters.Select((q, i) => i == p ? value : Valid(q, element))];
                    FitDependentArguments(parameters, arguments, i => i == p);
                    Check(failures, name, arguments, [parameters[p].Name!], () => constructor.Invoke(arguments), Use);
                }
            }

            for (int mix = 0; mix < 10 && parameters.Length > 1; mix++)
            {
                bool[] hostile = [.. parameters.Select(_ => random.Next(2) != 0)];
                object?[] arguments = [.. parameters.Select((q, i) => hostile[i] ? Pick(Hostile(q.ParameterType, element)!, random) : Valid(q, element))];
                FitDependentArguments(parameters, arguments, i => hostile[i]);
                Check(failures, name, arguments, [.. parameters.Select(q => q.Name!)], () => constructor.Invoke(arguments), Use);
            }
        }

        string.Join(Environment.NewLine, failures.Distinct()).Should().BeEmpty();
    }

    [Theory]
    [InlineData(typeof(float))]
    [InlineData(typeof(double))]
    public void OptimizerLearningRateSetters_HostileNumbers_AreRefusedNamingTheRateOrStepFinitely(Type element)
    {
        var failures = new List<string>();
        foreach (ConstructorInfo constructor in Constructors(element).Where(c => c.DeclaringType!.GetInterfaces().Any(i => i.Name.StartsWith("IOptimizer", StringComparison.Ordinal))))
        {
            foreach (double rate in HostileDoubles)
            {
                object optimizer = constructor.Invoke([.. constructor.GetParameters().Select(q => Valid(q, element))]);
                PropertyInfo property = optimizer.GetType().GetProperty("LearningRate")!;
                Check(failures, $"{Describe(optimizer.GetType())}.LearningRate", [rate], ["learning rate", "LearningRate", "value"], () =>
                {
                    property.SetValue(optimizer, rate);
                    return optimizer;
                }, Use);
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
    }

    [Fact]
    public void ScheduleRates_HostileInitialRatesAndSteps_AreFiniteAndNonNegativeOrRefused()
    {
        var failures = new List<string>();
        ILearningRateSchedule[] schedules =
        [
            new ConstantSchedule(), new ExponentialSchedule(0.5), new ExponentialSchedule(1), new StepDecaySchedule(1, 0.1), new StepDecaySchedule(int.MaxValue, 0.5),
            new CosineAnnealingSchedule(1), new CosineAnnealingSchedule(int.MaxValue, 1e300), new CosineAnnealingSchedule(3, double.MaxValue),
            new LinearWarmupSchedule(1), new LinearWarmupSchedule(int.MaxValue), new LinearWarmupSchedule(3, new CosineAnnealingSchedule(5)),
        ];
        foreach (ILearningRateSchedule schedule in schedules)
        {
            foreach (double rate in HostileDoubles)
            {
                foreach (int step in (int[])[0, 1, 2, 3, 4, 1000, int.MaxValue - 1, int.MaxValue, -1, int.MinValue])
                {
                    Check(failures, $"{schedule}.GetLearningRate", [rate, step], ["initialRate", "step"], () => schedule.GetLearningRate(rate, step), r =>
                        r is double v && double.IsFinite(v) && v >= 0 ? null : $"gives the rate {r}");
                }
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
    }

    [Theory]
    [InlineData(typeof(float))]
    [InlineData(typeof(double))]
    public void InitializerDraws_HostileFans_AreFiniteOrRefused(Type element)
    {
        var failures = new List<string>();
        IWeightInitializer[] initializers = [Initializer.HeNormal, Initializer.HeUniform, Initializer.GlorotNormal, Initializer.GlorotUniform, Initializer.Zeros];
        MethodInfo initialize = typeof(IWeightInitializer).GetMethod(nameof(IWeightInitializer.Initialize))!.MakeGenericMethod(element);
        foreach (IWeightInitializer initializer in initializers)
        {
            foreach (int fanIn in HostileInts.Append(3))
            {
                foreach (int fanOut in HostileInts.Append(2))
                {
                    Array weights = Array.CreateInstance(element, 6);
                    Check(failures, $"{initializer.Name}.Initialize", [fanIn, fanOut], ["fanIn", "fanOut"], () =>
                    {
                        InvokeWithSpan(initialize, initializer, weights, fanIn, fanOut);
                        return weights;
                    }, w => ((Array)w).Cast<object>().All(v => double.IsFinite(Convert.ToDouble(v, CultureInfo.InvariantCulture))) ? null : "draws non-finite weights");
                }
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
    }

    [Fact]
    public void TrainerOptionsAndEarlyStoppingInitSetters_HostileNumbers_AreRefusedNamingThePropertyOrTrain()
    {
        var failures = new List<string>();
        foreach (PropertyInfo property in typeof(TrainerOptions).GetProperties().Where(p => p.SetMethod is not null))
        {
            foreach (object? value in SetterValues(property.PropertyType))
            {
                Check(failures, $"TrainerOptions.{property.Name}", [value], [property.Name], () =>
                {
                    var options = new TrainerOptions { Epochs = 2, BatchSize = 4 };
                    property.SetValue(options, value);
                    return options;
                }, o => Train((TrainerOptions)o));
            }
        }

        foreach (PropertyInfo property in typeof(EarlyStopping).GetProperties().Where(p => p.SetMethod is not null))
        {
            foreach (object? value in SetterValues(property.PropertyType))
            {
                Check(failures, $"EarlyStopping.{property.Name}", [value], [property.Name], () =>
                {
                    var rule = new EarlyStopping(1);
                    property.SetValue(rule, value);
                    return rule;
                }, o => Train(new TrainerOptions { Epochs = 2, BatchSize = 4, ValidationSplit = 0.25, EarlyStopping = (EarlyStopping)o }));
            }
        }

        foreach (int patience in HostileInts)
        {
            Check(failures, "EarlyStopping", [patience], ["patience"], () => new EarlyStopping(patience),
                o => Train(new TrainerOptions { Epochs = 2, BatchSize = 4, ValidationSplit = 0.25, EarlyStopping = (EarlyStopping)o }));
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
    }

    [Theory]
    [InlineData(typeof(float))]
    [InlineData(typeof(double))]
    public void DatasetFactories_HostileArguments_AreRefusedNamingTheArgumentOrGiveWorkingDatasets(Type element)
    {
        var failures = new List<string>();
        MethodInfo check = typeof(PublicArgumentTests).GetMethod(nameof(CheckDatasets), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element);
        check.Invoke(null, [failures]);

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
    }

    [Fact]
    public void TheCheck_FlagsOverflowsUnnamedArgumentExceptionsAndObjectsThatFailOnUse()
    {
        var failures = new List<string>();

        Check(failures, "fine", [1], ["x"], () => "object", _ => null);
        Check(failures, "named", [1], ["x"], () => throw new ArgumentOutOfRangeException("x"), _ => null);
        failures.Should().BeEmpty();

        Check(failures, "overflow", [1], ["x"], () => throw new OverflowException(), _ => null);
        Check(failures, "unnamed", [1], ["x"], () => throw new ArgumentException("bad"), _ => null);
        Check(failures, "fails later", [1], ["x"], () => "object", _ => "gives NaN");
        Check(failures, "throws later", [1], ["x"], () => "object", _ => throw new IndexOutOfRangeException());
        failures.Should().HaveCount(4);
    }

    /// <summary>
    /// Runs <paramref name="create"/>: an <see cref="ArgumentException"/> must name one of <paramref name="names"/> (its
    /// parameter name or its message); any other exception, or an object that <paramref name="use"/> finds broken (it
    /// returns what is wrong, or throws), is a failure.
    /// </summary>
    private static void Check(List<string> failures, string what, object?[] arguments, string[] names, Func<object> create, Func<object, string?> use)
    {
        string call = $"{what} with {string.Join(", ", arguments.Select(Format))}";
        object created;
        try
        {
            created = create();
        }
        catch (Exception e) when (Unwrap(e) is ArgumentException argument)
        {
            bool named = names.Any(n => argument.ParamName == n || argument.Message.Contains(n, StringComparison.Ordinal));
            if (!named)
            {
                failures.Add($"{call}: {argument.GetType().Name} names neither the argument ({string.Join(" or ", names)}) nor its value: {argument.Message}");
            }

            return;
        }
        catch (Exception e)
        {
            Exception inner = Unwrap(e);
            failures.Add($"{call}: {inner.GetType().Name}: {inner.Message}");
            return;
        }

        try
        {
            string? problem = use(created);
            if (problem is not null)
            {
                failures.Add($"{call}: accepted, but the object {problem}");
            }
        }
        catch (Exception e)
        {
            Exception inner = Unwrap(e);
            failures.Add($"{call}: accepted, but using it throws {inner.GetType().Name}: {inner.Message}");
        }
    }

    /// <summary>What a created object must do with modest inputs.</summary>
    private static string? Use(object created) => created switch
    {
        ILayer<float> layer => UseLayer(layer),
        ILayer<double> layer => UseLayer(layer),
        IOptimizer<float> optimizer => UseOptimizer(optimizer),
        IOptimizer<double> optimizer => UseOptimizer(optimizer),
        ILearningRateSchedule schedule => Enumerable.Range(0, 5).Select(s => schedule.GetLearningRate(0.1, s)).All(r => double.IsFinite(r) && r >= 0) ? null : "gives a rate that is not finite and ≥ 0",
        OnnxInitializer initializer => initializer.Dimensions.Aggregate(1.0, (a, d) => a * d) == initializer.Values.Count ? null : "has values that do not fill its dimensions",
        _ => null,
    };

    /// <summary>Forward, backward and predict on inputs in [−1, 1] give finite values; save and load give the same predictions.</summary>
    private static string? UseLayer<T>(ILayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Shape shape = layer.InputShape ?? Shape.Vector(3);
        Network<T> network;
        if (layer.InputShape is null && !TakesVectors(layer))
        {
            // An image layer (conv, pool, BatchNorm2d): samples of (C, 4, 4). A legitimate layer that no such image fits (a
            // kernel of 65536) is refused when a network is built, with an ArgumentException naming it and the shape.
            shape = Shape.Of(Channels(layer), 4, 4);
            try
            {
                network = new Network<T>(shape, layer);
            }
            catch (ArgumentException e) when (e.Message.Contains(layer.Name, StringComparison.Ordinal) && e.Message.Contains(shape.ToString(), StringComparison.Ordinal))
            {
                return null;
            }
        }
        else
        {
            network = new Network<T>(shape, layer);
        }

        // A layer reading token ids gets id 0, the one every table has; the others values in [−1, 1].
        var random = new Random(1);
        bool ids = layer.Traits.HasFlag(LayerTraits.IndexInput);
        Matrix<T> x = Matrix<T>.Build.Dense(shape.Size, 3, (_, _) => ids ? T.Zero : T.CreateChecked((random.NextDouble() * 2) - 1));
        Matrix<T> y = network.Forward(x);
        if (!Finite(y))
        {
            return $"gives non-finite outputs: {y.ToColumnMajorArray().First(v => !T.IsFinite(v))}";
        }

        if (!Finite(network.Backward(Matrix<T>.Build.Dense(y.RowCount, y.ColumnCount, T.One))) || !layer.Parameters.All(p => p.GradientSpan.ToArray().All(T.IsFinite)))
        {
            return "gives non-finite gradients";
        }

        Matrix<T> predicted = network.Predict(x);
        if (!Finite(predicted))
        {
            return "predicts non-finite values";
        }

        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;
        return Network<T>.Load(file).Predict(x).Equals(predicted) ? null : "predicts otherwise after save and load";
    }

    /// <summary>Whether a layer without a fixed input shape takes vector samples (image layers want (C, H, W)).</summary>
    private static bool TakesVectors<T>(ILayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            _ = layer.GetOutputShape(Shape.Vector(3));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The channels an image layer expects (its InChannels or Channels), else 1.</summary>
    private static int Channels(object layer) =>
        (layer.GetType().GetProperty("InChannels") ?? layer.GetType().GetProperty("Channels"))?.GetValue(layer) is int channels ? channels : 1;

    /// <summary>
    /// Three steps on weights of 1 with gradients of ±0.5 (then 0) keep the weights finite, unless the learning rate or
    /// weight decay is above 1e100: then the exact update overflows (AdamW multiplies the weights by 1 − ηλ each step).
    /// </summary>
    private static string? UseOptimizer<T>(IOptimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double decay = optimizer.GetType().GetProperty("WeightDecay")?.GetValue(optimizer) is double d ? d : 0;
        bool astronomical = optimizer.LearningRate > 1e100 || decay > 1e100;
        var parameter = new Parameter<T>("w", 2, 2);
        parameter.ValueSpan.Fill(T.One);
        Parameter<T>[] list = [parameter];
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < 4; i++)
            {
                parameter.GradientSpan[i] = T.CreateChecked(step == 1 ? 0 : i % 2 == 0 ? 0.5 : -0.5);
            }

            optimizer.Step(list);
        }

        return astronomical || parameter.ValueSpan.ToArray().All(T.IsFinite) ? null : $"steps to non-finite weights: {string.Join(", ", parameter.ValueSpan.ToArray())}";
    }

    /// <summary>
    /// Trains a 2-4-2 network for the options' epochs (stopping after the first) on eight samples, with a validation
    /// split when early stopping needs one. A split that leaves one side of these eight samples empty is a fact about the
    /// data (Fit says so), not about the option.
    /// </summary>
    private static string? Train(TrainerOptions options)
    {
        if (options.EarlyStopping is not null && options.ValidationSplit == 0)
        {
            options = options with { ValidationSplit = 0.25 };
        }

        var random = new Random(2);
        var network = new Network<double>(new Linear<double>(2, 4, random), new Tanh<double>(), new Linear<double>(4, 2, random));
        var data = Dataset<double>.ForClassification(Matrix<double>.Build.Dense(2, 8, (i, j) => Math.Sin(i + (3 * j))), [0, 1, 0, 1, 0, 1, 1, 0]);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1), options with { CheckpointPath = null });
        trainer.Callbacks.Add(new StopAfterFirstEpoch());
        TrainingHistory history;
        try
        {
            history = trainer.Fit(data);
        }
        catch (ArgumentException e) when (e.Message.Contains("of 8 samples leaves", StringComparison.Ordinal))
        {
            return null;
        }

        return TinyFinite(network) ? null : $"trains to non-finite weights ({history.Count} epochs)";
    }

    private static bool TinyFinite(Network<double> network) => network.Parameters.All(p => p.ValueSpan.ToArray().All(double.IsFinite));

    private static void CheckDatasets<T>(List<string> failures)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>?[] featureValues =
        [
            null, Matrix<T>.Build.Dense(2, 4, T.One), Matrix<T>.Build.Dense(2, 4, T.NaN), Matrix<T>.Build.Dense(2, 4, T.PositiveInfinity), Matrix<T>.Build.Dense(1, 1, T.Zero),
            Matrix<T>.Build.Sparse(2, 4),
        ];
        IReadOnlyList<int>?[] labelValues = [null, [], [0, 1, 0, 1], [0, -1, 0, 1], [0, 1, int.MaxValue, 1], [int.MinValue, 0, 0, 0], [0, 1, 2]];
        int?[] classCounts = [null, 0, -1, 1, 2, int.MaxValue, int.MinValue];
        foreach (Matrix<T>? features in featureValues)
        {
            foreach (IReadOnlyList<int>? labels in labelValues)
            {
                foreach (int? classes in classCounts)
                {
                    Check(failures, $"Dataset<{typeof(T).Name}>.ForClassification", [Format(features), Format(labels), classes], ["features", "labels", "classCount"],
                        () => Dataset<T>.ForClassification(features!, labels!, classes), UseDataset<T>);
                }
            }

            foreach (Matrix<T>? targets in featureValues.Append(Matrix<T>.Build.Dense(3, 4, T.One)))
            {
                Check(failures, $"Dataset<{typeof(T).Name}>.ForRegression", [Format(features), Format(targets)], ["features", "targets"],
                    () => Dataset<T>.ForRegression(features!, targets!), UseDataset<T>);
            }
        }
    }

    /// <summary>A dataset splits, shuffles and takes subsets.</summary>
    private static string? UseDataset<T>(object created)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = (Dataset<T>)created;
        _ = data.Shuffle(3).Subset([0]);
        if (data.Count >= 2)
        {
            (Dataset<T> first, Dataset<T> second) = data.Split(0.5, 1);
            if (first.Count + second.Count != data.Count)
            {
                return "splits into the wrong counts";
            }
        }

        return null;
    }

    private static bool Finite<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T> => matrix.ToColumnMajorArray().All(T.IsFinite);

    /// <summary>Every public constructor of the public concrete classes of <see cref="Namespaces"/>, generic ones closed over <paramref name="element"/>.</summary>
    private static IEnumerable<ConstructorInfo> Constructors(Type element) =>
        typeof(Network<>).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.IsClass && !t.IsAbstract && Namespaces.Contains(t.Namespace) && !typeof(Exception).IsAssignableFrom(t) && !NotNumeric.ContainsKey(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => t.IsGenericTypeDefinition ? t.MakeGenericType(element) : t)
            .SelectMany(t => t.GetConstructors());

    /// <summary>The hostile values of a parameter type, or <see langword="null"/> when the table has no generator for it.</summary>
    private static object?[]? Hostile(Type type, Type element)
    {
        if (type == typeof(double))
        {
            return [.. HostileDoubles.Cast<object?>()];
        }

        if (type == typeof(int))
        {
            return [.. HostileInts.Cast<object?>()];
        }

        if (type == typeof(long))
        {
            return [0L, -1L, long.MinValue, long.MaxValue];
        }

        if (type == typeof(int?))
        {
            return [null, .. HostileInts.Cast<object?>()];
        }

        if (type == typeof(bool))
        {
            return [true, false];
        }

        if (type == typeof(string))
        {
            return [null, string.Empty, " ", new string('n', 65), "bad name", "ok"];
        }

        if (type == typeof(Random))
        {
            return [null, new Random(int.MinValue), new Random(int.MaxValue)];
        }

        if (type == typeof(IWeightInitializer))
        {
            return [null, Initializer.HeNormal, Initializer.Zeros];
        }

        if (type == typeof(ILearningRateSchedule))
        {
            return [null, new ConstantSchedule(), new ExponentialSchedule(1e-300)];
        }

        if (type == typeof(long[]))
        {
            return [null, Array.Empty<long>(), new long[] { -1 }, new long[] { 0 }, new long[] { long.MaxValue }, new long[] { 1L << 40, 1L << 40 }, new long[] { 1L << 32, 1L << 32 }];
        }

        if (type == typeof(double[]))
        {
            return [null, Array.Empty<double>(), new[] { double.NaN, 1.0 }, new[] { 1.0 }];
        }

        if (type == typeof((int, int)))
        {
            return [.. HostilePairs.Cast<object?>()];
        }

        if (type == typeof(Conv2dSize))
        {
            return [.. HostilePairs.Select(p => (object?)Conv2dSize.FromValueTuple(p))];
        }

        if (type == typeof(Conv2dSize?))
        {
            return [null, .. HostilePairs.Select(p => (object?)Conv2dSize.FromValueTuple(p))];
        }

        if (type == typeof(Conv2dPadding))
        {
            return [Conv2dPadding.Same, .. HostilePairs.Select(p => (object?)Conv2dPadding.Of(p.Height, p.Width))];
        }

        if (type.IsEnum)
        {
            return [.. Enum.GetValues(type).Cast<object?>(), Enum.ToObject(type, 99), Enum.ToObject(type, -1)];
        }

        if (type == typeof(IReadOnlyList<double>))
        {
            return [null, Array.Empty<double>(), new[] { double.NaN, 1.0, 1.0 }, new[] { double.PositiveInfinity, 1.0, 1.0 }, new[] { -1.0, -1.0, -1.0 }, new[] { 1.0 }, new[] { 1e300, 1e300, 1e300 }];
        }

        if (type == typeof(float[]))
        {
            return [null, Array.Empty<float>(), new[] { float.NaN, 1f }, new[] { 1f }];
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Matrix<>))
        {
            return (object?[])typeof(PublicArgumentTests).GetMethod(nameof(HostileMatrices), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).Invoke(null, null)!;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(MathNet.Numerics.LinearAlgebra.Vector<>))
        {
            return (object?[])typeof(PublicArgumentTests).GetMethod(nameof(HostileVectors), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).Invoke(null, null)!;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) && type.GetGenericArguments()[0].IsGenericType
            && type.GetGenericArguments()[0].GetGenericTypeDefinition() == typeof(ILayer<>))
        {
            return (object?[])typeof(PublicArgumentTests).GetMethod(nameof(HostileLayerLists), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).Invoke(null, null)!;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && type.GetGenericArguments()[0].IsGenericType
            && type.GetGenericArguments()[0].GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return (object?[])typeof(PublicArgumentTests).GetMethod(nameof(HostileStates), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).Invoke(null, null)!;
        }

        return null;
    }

    private static object?[] HostileMatrices<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [null, Matrix<T>.Build.Dense(1, 1, T.NaN), Matrix<T>.Build.Dense(3, 2, T.PositiveInfinity), Matrix<T>.Build.Dense(2, 3, T.One), Matrix<T>.Build.Sparse(3, 2)];

    private static object?[] HostileVectors<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [null, MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(1, T.One), MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(3, T.NaN), MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Sparse(3)];

    private static object?[] HostileLayerLists<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shared = new Relu<T>();
        return [null, Array.Empty<ILayer<T>>(), new ILayer<T>[] { null! }, new ILayer<T>[] { shared, shared }, new ILayer<T>[] { new Linear<T>(2, 3, new Random(1)) }];
    }

    private static ILayer<T>[] ValidLayerList<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => [new Relu<T>()];

    private static object?[] HostileStates<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [null, Array.Empty<IReadOnlyDictionary<string, T[]>>(), new IReadOnlyDictionary<string, T[]>[] { null! }];

    /// <summary>
    /// Conv2d's given weight and bias must have the lengths its other arguments imply: a valid (not hostile) weight or bias
    /// is sized to them when that is modest, so that a hostile channel count or kernel size is refused naming itself, not
    /// the weight; when it is not modest, the constructor must refuse the sizes.
    /// </summary>
    private static void FitDependentArguments(ParameterInfo[] parameters, object?[] arguments, Func<int, bool> hostile)
    {
        if (parameters.Length == 0 || parameters[0].Member.DeclaringType is not { IsGenericType: true } declaring || declaring.GetGenericTypeDefinition() != typeof(Conv2d<>))
        {
            return;
        }

        int Index(string name) => Array.FindIndex(parameters, q => q.Name == name);
        int weight = Index("weight"), bias = Index("bias");
        if (weight < 0 || !parameters[weight].ParameterType.IsArray
            || arguments[Index("inChannels")] is not int inChannels || arguments[Index("outChannels")] is not int outChannels
            || arguments[Index("groups")] is not int groups || groups <= 0 || arguments[Index("kernelSize")] is not Conv2dSize kernel)
        {
            return;
        }

        Type element = parameters[weight].ParameterType.GetElementType()!;
        double count = (double)(inChannels / groups) * kernel.Height * kernel.Width * outChannels;
        if (!hostile(weight) && count is > 0 and <= 1 << 22)
        {
            arguments[weight] = Array.CreateInstance(element, (int)count);
        }

        if (bias >= 0 && !hostile(bias) && arguments[bias] is not null && outChannels is > 0 and <= 1 << 22)
        {
            arguments[bias] = Array.CreateInstance(element, outChannels);
        }
    }

    /// <summary>A valid value for a parameter: its default if it has one, else one that fits the other valid values.</summary>
    private static object? Valid(ParameterInfo parameter, Type element)
    {
        if (parameter.HasDefaultValue)
        {
            return parameter.DefaultValue;
        }

        Type type = parameter.ParameterType;
        bool isPadding = parameter.Name == "padding";
        bool isConv2d = parameter.Member.DeclaringType is { IsGenericType: true } declaring && declaring.GetGenericTypeDefinition() == typeof(Conv2d<>);
        return type switch
        {
            _ when type == typeof(double) => 0.5,
            _ when type == typeof(int) && isPadding => 0,
            _ when type == typeof(int) && parameter.Name == "groups" => 1,
            _ when type == typeof(int) => 3,
            _ when type == typeof((int, int)) => isPadding ? (0, 0) : (2, 2),
            _ when type == typeof(Conv2dSize) || type == typeof(Conv2dSize?) => (Conv2dSize)(parameter.Name == "kernelSize" ? 2 : 1),
            _ when type == typeof(Conv2dPadding) => (Conv2dPadding)0,
            _ when type == typeof(IReadOnlyList<double>) => new[] { 1.0, 1.0, 1.0 },
            _ when type.IsArray && isConv2d => Array.CreateInstance(element, parameter.Name == "weight" ? 3 * 3 * 2 * 2 : 3),
            _ when type == typeof(long) => 3L,
            _ when type == typeof(bool) => false,
            _ when type == typeof(string) => "ok",
            _ when type == typeof(Random) => new Random(1),
            _ when type == typeof(long[]) => new long[] { 2 },
            _ when type == typeof(double[]) => new[] { 1.0, 2.0 },
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Matrix<>) => typeof(PublicArgumentTests).GetMethod(nameof(ValidMatrix), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).Invoke(null, null),
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(MathNet.Numerics.LinearAlgebra.Vector<>) => typeof(PublicArgumentTests).GetMethod(nameof(ValidVector), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).Invoke(null, null),
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) => Array.CreateInstance(type.GetGenericArguments()[0], 0),
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) && type.GetGenericArguments()[0].IsGenericType
                && type.GetGenericArguments()[0].GetGenericTypeDefinition() == typeof(ILayer<>) => typeof(PublicArgumentTests).GetMethod(nameof(ValidLayerList), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).Invoke(null, null),
            _ => null,
        };
    }

    private static Matrix<T> ValidMatrix<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Matrix<T>.Build.Dense(3, 2, (i, j) => T.CreateChecked((0.25 * i) - (0.5 * j)));

    private static MathNet.Numerics.LinearAlgebra.Vector<T> ValidVector<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(3, T.One);

    /// <summary>Values for an init setter of <paramref name="type"/>.</summary>
    private static object?[] SetterValues(Type type) => type switch
    {
        _ when type == typeof(int) => [.. HostileInts.Cast<object?>()],
        _ when type == typeof(double) => [.. HostileDoubles.Cast<object?>()],
        _ when type == typeof(double?) => [null, .. HostileDoubles.Cast<object?>()],
        _ when type == typeof(bool) => [true, false],
        _ when type == typeof(bool?) => [null, true, false],
        _ when type.IsEnum => [.. Enum.GetValues(type).Cast<object?>(), Enum.ToObject(type, 99), Enum.ToObject(type, -1)],
        _ when type == typeof(string) => [null, string.Empty, " "],
        _ when type == typeof(ILearningRateSchedule) => [null, new ExponentialSchedule(1e-300), new LinearWarmupSchedule(int.MaxValue)],
        _ when type == typeof(EarlyStopping) => [null, new EarlyStopping(int.MaxValue)],
        _ when type == typeof(IReadOnlyList<ISampleTransform>) => [null, Array.Empty<ISampleTransform>(), new ISampleTransform?[] { null }, new ISampleTransform[] { new NormalizeChannels([0.5], [2.0]) }],
        _ => throw new InvalidOperationException($"No setter values for {type.Name}; add them to the table."),
    };

    private static void InvokeWithSpan(MethodInfo initialize, IWeightInitializer initializer, Array weights, int fanIn, int fanOut)
    {
        // Initialize takes a Span<T>: call it through a small generic helper.
        typeof(PublicArgumentTests).GetMethod(nameof(Initialize), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(initialize.GetGenericArguments()[0]).Invoke(null, [initializer, weights, fanIn, fanOut]);
    }

    private static void Initialize<T>(IWeightInitializer initializer, T[] weights, int fanIn, int fanOut)
        where T : unmanaged, IFloatingPointIeee754<T> => initializer.Initialize<T>(weights, fanIn, fanOut, new Random(3));

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : e;

    private static TValue Pick<TValue>(TValue[] values, Random random) => values[random.Next(values.Length)];

    private static string Describe(Type type) => type.IsGenericType ? $"{type.Name.Split('`')[0]}<{type.GetGenericArguments()[0].Name}>" : type.Name;

    private static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        Array a => $"[{string.Join(", ", a.Cast<object>().Take(4))}]",
        Matrix<float> m => $"{m.RowCount}×{m.ColumnCount} {(m.Storage.IsDense ? "dense" : "sparse")} ({m[0, 0]})",
        Matrix<double> m => $"{m.RowCount}×{m.ColumnCount} {(m.Storage.IsDense ? "dense" : "sparse")} ({m[0, 0]})",
        IReadOnlyList<int> list => $"[{string.Join(", ", list)}]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    /// <summary>Stops training at the end of the first epoch (an Epochs of int.MaxValue must not run for ever).</summary>
    private sealed class StopAfterFirstEpoch : ITrainingCallback<double>
    {
        public void OnEpochEnd(TrainingContext<double> context) => context.Stop();
    }
}
