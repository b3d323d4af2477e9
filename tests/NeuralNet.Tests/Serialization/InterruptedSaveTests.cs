using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Serialization;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Serialization;

public sealed class InterruptedSaveTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-atomic-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void FailureBetweenWriteAndRename_LeavesThePreviousFileLoadable_AndNoTemporaryFile()
    {
        string path = Path.Combine(directory, "model.nnet");
        Network<float> previous = NetworkWith<float>("relu", seed: 1);
        previous.Save(path);
        Network<float> next = NetworkWith<float>("sigmoid", seed: 2);
        string? temporary = null;

        Action crash = () => ModelFile.Save(next, path, beforeReplace: written =>
        {
            temporary = written;
            File.Exists(written).Should().BeTrue("the new file is fully written before the rename");
            Network<float>.Load(written).ToString().Should().Be(next.ToString());
            throw new IOException("simulated crash between write and rename");
        });

        crash.Should().Throw<IOException>().WithMessage("simulated crash*");
        Matrix<float> input = RandomInput<float>(5, 3, seed: 3);
        Bits(Network<float>.Load(path).Predict(input)).Should().Equal(Bits(previous.Predict(input)));
        temporary.Should().NotBeNull();
        Path.GetDirectoryName(temporary).Should().Be(directory, "the temporary file must be on the same volume for an atomic rename");
        Directory.GetFiles(directory).Should().Equal(path);
    }

    [Fact]
    public void SuccessfulSave_ReplacesTheFile()
    {
        string path = Path.Combine(directory, "model.nnet");
        NetworkWith<float>("relu", seed: 1).Save(path);
        Network<float> next = NetworkWith<float>("gelu", seed: 2);

        next.Save(path);

        Matrix<float> input = RandomInput<float>(5, 3, seed: 3);
        Bits(Network<float>.Load(path).Predict(input)).Should().Equal(Bits(next.Predict(input)));
        Directory.GetFiles(directory).Should().Equal(path);
    }
}
