using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class DatasetLabelTests
{
    [Fact]
    public void ForClassification_LargestIntLabel_IsRefusedInsteadOfOverflowingClassCount()
    {
        Matrix<double> features = Matrix<double>.Build.Dense(1, 2);

        Action create = () => Dataset<double>.ForClassification(features, [0, int.MaxValue]);

        create.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dataset: label 2147483647 of sample 1 is too large: the class count (largest label + 1) would not fit in an int.*");
    }
}
