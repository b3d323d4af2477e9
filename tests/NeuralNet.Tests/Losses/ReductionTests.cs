using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Losses;

/// <summary>Mean, Sum and None (PyTorch's reduction): the same per-sample losses, reduced and differentiated consistently.</summary>
public sealed class ReductionTests
{
    public static TheoryData<string> Losses => ["CrossEntropy", "MeanSquaredError", "L1", "Huber", "SmoothL1", "BinaryCrossEntropyWithLogits"];

    [Theory]
    [MemberData(nameof(Losses))]
    public void Reductions_OfOneBatch_AreTheSumAndMeanOfThePerSampleLosses(string kind)
    {
        var random = new Random(31);
        Matrix<double> output = RandomValues.NormalMatrix(3, 4, random, scale: 2);
        Matrix<double> targets = Matrix<double>.Build.Dense(3, 4, (i, j) => ((i * 4) + j) % 5 / 4.0);
        int elements = kind == "CrossEntropy" ? 4 : 12; // PyTorch: the mean is over the batch for CE, over batch × outputs otherwise
        var perSample = new double[4];
        var meanGradient = Matrix<double>.Build.Dense(3, 4);
        var sumGradient = Matrix<double>.Build.Dense(3, 4);

        Create(kind, Reduction.None).ComputePerSample(output, targets, perSample);
        double mean = Create(kind, Reduction.Mean).Compute(output, targets, meanGradient);
        double sum = Create(kind, Reduction.Sum).Compute(output, targets, sumGradient);

        sum.Should().BeApproximately(perSample.Sum(), 1e-13);
        mean.Should().BeApproximately(perSample.Sum() / elements, 1e-14);
        (sumGradient - (elements * meanGradient)).FrobeniusNorm().Should().BeLessThan(1e-13);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Compute_ReductionNone_IsRefusedPointingToComputePerSample(string kind)
    {
        Action act = () => Create(kind, Reduction.None).Compute(Matrix<double>.Build.Dense(2, 2), Matrix<double>.Build.Dense(2, 2), null);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Reduction.None has no scalar loss; call ComputePerSample*");
    }

    [Fact]
    public void ComputePerSample_CrossEntropyWithLabels_IsTheNegativeLogSoftmaxOfEachSample()
    {
        Matrix<double> z = Matrix<double>.Build.DenseOfColumnArrays([1.0, 2.0, 0.5], [0.0, 0.0, 3.0]);
        var losses = new double[2];

        new CrossEntropyLoss<double>().ComputePerSample(z, [1, 0], losses);

        losses[0].Should().BeApproximately(-Math.Log(Math.Exp(2.0) / (Math.Exp(1.0) + Math.Exp(2.0) + Math.Exp(0.5))), 1e-14);
        losses[1].Should().BeApproximately(-Math.Log(1 / (2 + Math.Exp(3.0))), 1e-14);
    }

    [Fact]
    public void ComputePerSample_SpanOfTheWrongLength_IsRefused()
    {
        Action act = () => new MeanSquaredErrorLoss<double>().ComputePerSample(Matrix<double>.Build.Dense(2, 3), Matrix<double>.Build.Dense(2, 3), new double[2]);
        act.Should().Throw<ArgumentException>().WithMessage("*per-sample loss span has 2 entries for a batch of 3 samples*");
    }

    [Fact]
    public void Constructor_UndefinedReduction_IsRefused()
    {
        Action act = () => _ = new MeanSquaredErrorLoss<double>((Reduction)7);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*unknown reduction*");
    }

    [Fact]
    public void Trainer_LossWithReductionNone_IsRefused()
    {
        var network = new Network<double>(new Linear<double>(2, 2, new Random(1)));

        Action act = () => _ = new Trainer<double>(network, new CrossEntropyLoss<double>(Reduction.None), new Sgd<double>(0.1));

        act.Should().Throw<ArgumentException>().WithMessage("CrossEntropy has Reduction.None*");
    }

    [Fact]
    public void Evaluate_WithSumReduction_ReportsTheLossPerSample()
    {
        Dataset<double> data = Training.TinyProblems.Blobs(700, 2); // 1400 samples: two evaluation chunks
        Network<double> network = Training.TinyProblems.SmallClassifier(4);

        Evaluation mean = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1)).Evaluate(data);
        Evaluation sum = new Trainer<double>(network, new CrossEntropyLoss<double>(Reduction.Sum), new Sgd<double>(0.1)).Evaluate(data);

        sum.Loss.Should().BeApproximately(mean.Loss, 1e-12);
    }

    [Fact]
    public void Fit_WithSumReduction_ReportsTheLossPerSample()
    {
        // The same weights and batches; the summed loss's larger steps are offset by a learning rate N times smaller.
        Dataset<double> data = Training.TinyProblems.Blobs(10, 2);
        TrainingHistory Run(Reduction reduction, double rate) =>
            new Trainer<double>(Training.TinyProblems.SmallClassifier(4), new CrossEntropyLoss<double>(reduction), new Sgd<double>(rate),
                new TrainerOptions { Epochs = 2, BatchSize = 5, Seed = 1 }).Fit(data);

        TrainingHistory mean = Run(Reduction.Mean, 0.1);
        TrainingHistory sum = Run(Reduction.Sum, 0.1 / 5);

        sum.Select(e => e.TrainingLoss).Should().Equal(mean.Select(e => e.TrainingLoss), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    private static ILoss<double> Create(string kind, Reduction reduction) => kind switch
    {
        "CrossEntropy" => new CrossEntropyLoss<double>(reduction),
        "MeanSquaredError" => new MeanSquaredErrorLoss<double>(reduction),
        "L1" => new L1Loss<double>(reduction),
        "Huber" => new HuberLoss<double>(0.7, reduction),
        "SmoothL1" => new SmoothL1Loss<double>(0.7, reduction),
        _ => new BinaryCrossEntropyWithLogitsLoss<double>(reduction: reduction),
    };
}
