using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary><see cref="OnnxForm"/>: single-operator forms as one node, and graph forms of several nodes with local names.</summary>
public sealed class OnnxFormTests
{
    [Fact]
    public void Operator_IsOneNode_ReadingTheLayerInputThenItsInitializers()
    {
        OnnxForm form = OnnxForm.Operator("Gemm").WithAttribute("alpha", 1.0).WithInitializer("w", [1], [2.0]).WithInitializer("b", [1], [3.0]);

        OnnxFormNode node = form.Nodes.Single();
        node.OperatorType.Should().Be("Gemm");
        node.Inputs.Should().Equal(OnnxForm.LayerInput, "w", "b");
        node.Attributes.Select(a => a.Key).Should().Equal("alpha");
        OnnxForm.NotSupported("no reason needed here").Nodes.Should().BeEmpty();
    }

    [Fact]
    public void Graph_KeepsNodesInOrder_WithAttributesOnTheNodeAddedLast()
    {
        OnnxForm form = OnnxForm.Graph(minimumOpset: 15)
            .WithIntegerInitializer("starts", [1], [0])
            .WithNode("Cast", "a", OnnxForm.LayerInput).WithAttribute("to", 7L)
            .WithNode("Neg", "b", "a", string.Empty);

        form.IsSupported.Should().BeTrue();
        form.OperatorType.Should().BeNull();
        form.MinimumOpset.Should().Be(15);
        form.Nodes.Select(n => (n.OperatorType, n.Output, n.Attributes.Count)).Should().Equal(("Cast", "a", 1), ("Neg", "b", 0));
        form.Initializers.Single().IsInteger.Should().BeTrue();
        form.Initializers.Single().IntegerValues.Should().Equal(0L);
        form.Attributes.Should().BeEmpty();
    }

    [Fact]
    public void Graph_NodeReadingAnUndefinedName_IsRefusedNamingIt()
    {
        Action later = () => OnnxForm.Graph().WithNode("Add", "sum", OnnxForm.LayerInput, "later").WithNode("Neg", "later", "sum");

        later.Should().Throw<ArgumentException>().WithMessage("Add node: the input 'later' is neither the layer input, an initializer nor an earlier node's output.*");
    }

    [Fact]
    public void Graph_OutputNameAlreadyUsed_IsRefused()
    {
        Action twice = () => OnnxForm.Graph().WithInitializer("w", [1], [1.0]).WithNode("Neg", "w", OnnxForm.LayerInput);
        Action input = () => OnnxForm.Graph().WithNode("Neg", OnnxForm.LayerInput, OnnxForm.LayerInput);

        twice.Should().Throw<ArgumentException>().WithMessage("*'w' is already used*");
        input.Should().Throw<ArgumentException>().WithMessage("*'input' is already used*");
    }

    [Fact]
    public void WithNodeOnASingleOperatorForm_AndAttributesBeforeAnyNode_AreRefused()
    {
        Action single = () => OnnxForm.Operator("Relu").WithNode("Neg", "b", OnnxForm.LayerInput);
        Action early = () => OnnxForm.Graph().WithAttribute("axis", 0L);

        single.Should().Throw<InvalidOperationException>();
        early.Should().Throw<InvalidOperationException>().WithMessage("*add a node with WithNode before its attributes*");
    }

    [Fact]
    public void IntegerInitializer_ThatDoesNotFillItsDimensions_IsRefused()
    {
        Action wrong = () => OnnxForm.Graph().WithIntegerInitializer("axes", [2], [0]);

        wrong.Should().Throw<ArgumentException>().WithMessage("Initializer 'axes': *");
    }
}
