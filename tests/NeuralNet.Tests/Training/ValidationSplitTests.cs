using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class ValidationSplitTests
{
    private static Trainer<double> Trainer(Network<double> network, double split, int seed, int epochs = 3) =>
        new(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 8,
            Seed = seed,
            ValidationSplit = split,
        });

    [Fact]
    public void ValidationSplit_HeldOutPart_IsASeededRandomSplitNotTheTail()
    {
        // The blobs are ordered by class: a tail split would hold out only class 1.
        Dataset<double> data = TinyProblems.Blobs(30, 3);
        Network<double> network = TinyProblems.SmallClassifier(1);
        Trainer<double> trainer = Trainer(network, 0.25, seed: 7);
        TrainingHistory history = trainer.Fit(data);

        // Dataset.Split(0.75, seed) is the documented split: a seeded permutation, the last quarter of it held out.
        (Dataset<double> kept, Dataset<double> heldOut) = data.Split(0.75, 7);
        heldOut.Count.Should().Be(15);
        heldOut.Labels.Should().Contain(0).And.Contain(1);
        history.Last.ValidationLoss.Should().Be(trainer.Evaluate(heldOut).Loss);
        history.Last.ValidationAccuracy.Should().Be(trainer.Evaluate(heldOut).Accuracy);

        Dataset<double> tail = data.Subset([.. Enumerable.Range(45, 15)]);
        history.Last.ValidationLoss.Should().NotBe(trainer.Evaluate(tail).Loss);

        // Training used only the kept samples: the same run on them alone gives the same weights.
        Network<double> reference = TinyProblems.SmallClassifier(1);
        new Trainer<double>(reference, new CrossEntropyLoss<double>(), new Sgd<double>(0.1), new TrainerOptions { Epochs = 3, BatchSize = 8, Seed = 7 })
            .Fit(kept);
        TinyProblems.Weights(network).Should().Equal(TinyProblems.Weights(reference));
    }

    [Fact]
    public void ValidationSplit_Seed_ChangesTheSplit()
    {
        Dataset<double> data = TinyProblems.Blobs(30, 3);
        Trainer<double> first = Trainer(TinyProblems.SmallClassifier(1), 0.25, seed: 7);
        Trainer<double> second = Trainer(TinyProblems.SmallClassifier(1), 0.25, seed: 8);
        double firstLoss = first.Fit(data).Last.ValidationLoss!.Value;
        double secondLoss = second.Fit(data).Last.ValidationLoss!.Value;

        secondLoss.Should().Be(second.Evaluate(data.Split(0.75, 8).Second).Loss);
        secondLoss.Should().NotBe(firstLoss);
    }

    [Fact]
    public void Fit_WithoutASplit_HasNoValidationResult()
    {
        TrainingHistory history = Trainer(TinyProblems.SmallClassifier(1), 0, seed: 7).Fit(TinyProblems.Blobs(30, 3));
        history.Should().OnlyContain(r => r.ValidationLoss == null && r.ValidationAccuracy == null);
    }

    [Fact]
    public void ValidationSplit_AndAValidationSetTogether_AreRejected()
    {
        Dataset<double> data = TinyProblems.Blobs(10, 3);
        FluentActions.Invoking(() => Trainer(TinyProblems.SmallClassifier(1), 0.2, 1).Fit(data, data))
            .Should().Throw<ArgumentException>().WithMessage("*both a validation set and ValidationSplit*");
    }

    [Fact]
    public void ValidationSplit_LeavingAPartEmpty_IsRejected()
    {
        Dataset<double> data = TinyProblems.Blobs(1, 3);
        FluentActions.Invoking(() => Trainer(TinyProblems.SmallClassifier(1), 0.1, 1).Fit(data))
            .Should().Throw<ArgumentException>().WithMessage("*ValidationSplit = 0.1 of 2 samples*");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ValidationSplit_FractionOutsideZeroToOne_IsRejected(double split)
    {
        FluentActions.Invoking(() => Trainer(TinyProblems.SmallClassifier(1), split, 1))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ValidationSplit");
    }
}
