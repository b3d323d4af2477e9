using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Losses;

/// <summary>Cross-entropy's class weights and label smoothing (PyTorch's weight and label_smoothing), computed independently from the formulas in double.</summary>
public sealed class CrossEntropyOptionsTests
{
    private static readonly Matrix<double> Logits = Matrix<double>.Build.DenseOfColumnArrays([0.2, 1.5, -0.3], [2.0, -1.0, 0.4], [-0.5, 0.1, 0.9]);
    private static readonly int[] Labels = [1, 0, 2];
    private static readonly double[] Weights = [0.5, 2.0, 1.0];

    [Fact]
    public void Compute_ClassWeights_MeanDividesByTheLabelsWeights()
    {
        double weighted = 0, weightSum = 0;
        for (int j = 0; j < 3; j++)
        {
            weighted += Weights[Labels[j]] * NegativeLogSoftmax(j, Labels[j]);
            weightSum += Weights[Labels[j]];
        }

        new CrossEntropyLoss<double>(classWeights: Weights).Compute(Logits, Labels, null).Should().BeApproximately(weighted / weightSum, 1e-14);
        new CrossEntropyLoss<double>(Reduction.Sum, Weights).Compute(Logits, Labels, null).Should().BeApproximately(weighted, 1e-14);
    }

    [Fact]
    public void Compute_LabelSmoothing_MatchesPyTorchsFormula()
    {
        // (1 − ε)·(−log p_y) + (ε / C)·Σ_c (−log p_c), averaged over the batch.
        const double epsilon = 0.1;
        double expected = 0;
        for (int j = 0; j < 3; j++)
        {
            double spread = Enumerable.Range(0, 3).Sum(c => NegativeLogSoftmax(j, c));
            expected += ((1 - epsilon) * NegativeLogSoftmax(j, Labels[j])) + (epsilon / 3 * spread);
        }

        new CrossEntropyLoss<double>(labelSmoothing: epsilon).Compute(Logits, Labels, null).Should().BeApproximately(expected / 3, 1e-14);
    }

    [Fact]
    public void Compute_LabelSmoothingWithClassWeights_MatchesPyTorchsFormula()
    {
        // PyTorch: (1 − ε)·nll(weight) + (ε / C)·Σ_j Σ_c w_c (−log p_c), both divided by Σ_j w_(y_j).
        const double epsilon = 0.25;
        double nll = 0, smooth = 0, weightSum = 0;
        var perSample = new double[3];
        for (int j = 0; j < 3; j++)
        {
            double sampleNll = Weights[Labels[j]] * NegativeLogSoftmax(j, Labels[j]);
            double sampleSmooth = Enumerable.Range(0, 3).Sum(c => Weights[c] * NegativeLogSoftmax(j, c));
            perSample[j] = ((1 - epsilon) * sampleNll) + (epsilon / 3 * sampleSmooth);
            nll += sampleNll;
            smooth += sampleSmooth;
            weightSum += Weights[Labels[j]];
        }

        var loss = new CrossEntropyLoss<double>(classWeights: Weights, labelSmoothing: epsilon);
        var losses = new double[3];
        loss.ComputePerSample(Logits, Labels, losses);

        loss.Compute(Logits, Labels, null).Should().BeApproximately((((1 - epsilon) * nll) + (epsilon / 3 * smooth)) / weightSum, 1e-14);
        losses.Should().Equal(perSample, (a, b) => Math.Abs(a - b) < 1e-14);
    }

    [Fact]
    public void Compute_ProbabilityTargetsWithWeightsAndSmoothing_DividesByTheBatchSize()
    {
        // PyTorch's probability-target path: t ← (1 − ε)·t + ε / C, ℓ = −Σ_c w_c t_c log p_c, mean over N.
        const double epsilon = 0.2;
        Matrix<double> targets = Matrix<double>.Build.DenseOfColumnArrays([0.1, 0.9, 0.0], [1.0, 0.0, 0.0], [0.3, 0.3, 0.4]);
        double expected = 0;
        for (int j = 0; j < 3; j++)
        {
            for (int c = 0; c < 3; c++)
            {
                expected += Weights[c] * (((1 - epsilon) * targets[c, j]) + (epsilon / 3)) * NegativeLogSoftmax(j, c);
            }
        }

        new CrossEntropyLoss<double>(classWeights: Weights, labelSmoothing: epsilon).Compute(Logits, targets, null).Should().BeApproximately(expected / 3, 1e-14);
    }

    [Fact]
    public void Compute_LabelsWithSmoothing_EqualOneHotTargetsWithSmoothing()
    {
        var loss = new CrossEntropyLoss<double>(labelSmoothing: 0.3);
        Matrix<double> oneHot = Matrix<double>.Build.Dense(3, 3, (c, j) => c == Labels[j] ? 1 : 0);
        var g1 = Matrix<double>.Build.Dense(3, 3);
        var g2 = Matrix<double>.Build.Dense(3, 3);

        loss.Compute(Logits, Labels, g1).Should().BeApproximately(loss.Compute(Logits, oneHot, g2), 1e-15);
        (g1 - g2).FrobeniusNorm().Should().BeLessThan(1e-15);
    }

    [Fact]
    public void Compute_EveryOptionAndReduction_PassesTheGradientCheck()
    {
        var random = new Random(12);
        Matrix<double> z = RandomValues.NormalMatrix(3, 5, random, scale: 2);
        int[] labels = [0, 2, 1, 1, 2];
        Matrix<double> targets = Matrix<double>.Build.DenseOfColumnArrays([0.2, 0.3, 0.5], [1, 0, 0], [0, 0.9, 0.1], [0.25, 0.25, 0.5], [0, 0, 1]);
        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum })
        {
            foreach (CrossEntropyLoss<double> loss in new[]
            {
                new CrossEntropyLoss<double>(reduction, Weights),
                new CrossEntropyLoss<double>(reduction, labelSmoothing: 0.15),
                new CrossEntropyLoss<double>(reduction, Weights, 0.15),
            })
            {
                GradientCheckReport withLabels = GradientCheck.Loss(loss, z, labels);
                GradientCheckReport withTargets = GradientCheck.LossWithTargets(loss, z, targets);
                withLabels.Passed.Should().BeTrue(withLabels.ToString());
                withTargets.Passed.Should().BeTrue(withTargets.ToString());
            }
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Constructor_LabelSmoothingOutsideZeroToOne_IsRefused(double epsilon)
    {
        Action act = () => _ = new CrossEntropyLoss<double>(labelSmoothing: epsilon);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label smoothing must be in [0, 1)*");
    }

    [Fact]
    public void Constructor_NegativeClassWeight_IsRefused()
    {
        Action act = () => _ = new CrossEntropyLoss<double>(classWeights: [1.0, -0.5]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*class weight 1 is -0.5*");
    }

    [Fact]
    public void Compute_ClassWeightsForAnotherNumberOfClasses_AreRefused()
    {
        Action act = () => new CrossEntropyLoss<double>(classWeights: [1.0, 2.0]).Compute(Logits, Labels, null);
        act.Should().Throw<ArgumentException>().WithMessage("*2 class weights for an output of 3 classes*");
    }

    [Fact]
    public void Compute_LabelsWhoseWeightsSumToZero_AreRefused()
    {
        Action act = () => new CrossEntropyLoss<double>(classWeights: [0.0, 0.0, 1.0]).Compute(Logits, [0, 1, 0], null);
        act.Should().Throw<ArgumentException>().WithMessage("*class weights of the batch's labels sum to 0*");
    }

    private static double NegativeLogSoftmax(int sample, int c)
    {
        double sum = Enumerable.Range(0, 3).Sum(k => Math.Exp(Logits[k, sample]));
        return -Math.Log(Math.Exp(Logits[c, sample]) / sum);
    }
}
