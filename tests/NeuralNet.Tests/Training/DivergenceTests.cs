using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Divergence found by gradient clipping carries the epoch, batch and loss like divergence of the loss.</summary>
public sealed class DivergenceTests
{
    [Fact]
    public void Fit_GradientNormOverflowsWhileTheLossIsFinite_ThrowsWithEpochBatchAndLossAndSkipsTheUpdate()
    {
        // y = w·x with w = 1: batch 1 is harmless, batch 2 has x = 1.5e19, so the loss (2.25e38) is a finite float but
        // ∂L/∂w = 2·x·(y − t) = 4.5e38 is beyond float: the gradient, and so the global norm, is ∞. (A gradient that is
        // finite but whose square overflows float, such as 2e30, has a finite norm: see GradientClippingTests.)
        float[] x = [0.5f, 1.5e19f];
        var data = Dataset<float>.ForRegression(Matrix<float>.Build.Dense(1, 2, x), Matrix<float>.Build.Dense(1, 2));
        var linear = new Linear<float>(Matrix<float>.Build.Dense(1, 1, 1f), Vector<float>.Build.Dense(1));
        var network = new Network<float>(linear);
        var options = new TrainerOptions { Epochs = 1, BatchSize = 1, Shuffle = false, GradientClipNorm = 1 };
        var trainer = new Trainer<float>(network, new MeanSquaredErrorLoss<float>(), new Sgd<float>(1e-3), options);
        float weightAfterFirstBatch = float.NaN;
        trainer.Callbacks.Add(new FloatCallback(c => weightAfterFirstBatch = linear.Weights[0, 0]));

        Action fit = () => trainer.Fit(data);

        TrainingDivergedException error = fit.Should().Throw<TrainingDivergedException>().Which;
        error.Epoch.Should().Be(1);
        error.Batch.Should().Be(2);
        double.IsFinite(error.Loss).Should().BeTrue();
        error.Loss.Should().BeGreaterThan(1e29);
        error.Message.Should().Contain("gradient norm").And.Contain("epoch 1, batch 2");
        linear.Weights[0, 0].Should().Be(weightAfterFirstBatch, "the diverged batch's update is not applied");
    }

    private sealed class FloatCallback(Action<TrainingContext<float>> onBatch) : ITrainingCallback<float>
    {
        public void OnBatchEnd(TrainingContext<float> context) => onBatch(context);

        public void OnEpochEnd(TrainingContext<float> context)
        {
        }
    }
}
