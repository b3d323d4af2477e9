using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class OneHotTests
{
    [Fact]
    public void Encode_PutsASingleOneAtEachLabelRow()
    {
        Matrix<float> encoded = OneHot.Encode<float>([2, 0, 1, 2], classCount: 3);

        encoded.Should().Be(Matrix<float>.Build.DenseOfArray(new float[,]
        {
            { 0, 1, 0, 0 },
            { 0, 0, 1, 0 },
            { 1, 0, 0, 1 },
        }));
    }

    [Fact]
    public void Decode_InvertsEncode()
    {
        int[] labels = [4, 1, 0, 3, 3, 2];

        OneHot.Decode(OneHot.Encode<double>(labels, 5)).Should().Equal(labels);
    }

    [Fact]
    public void Encode_LabelOutsideTheClasses_IsRejectedNamingTheSample()
    {
        Action encode = () => OneHot.Encode<double>([0, 3], classCount: 3);

        encode.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label 3 of sample 1 is outside the 3 classes*");
    }
}
