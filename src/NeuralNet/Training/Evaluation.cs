namespace NeuralNet.Training;

/// <summary>A network's loss and accuracy on a dataset.</summary>
/// <param name="Loss">Mean loss over the samples.</param>
/// <param name="Accuracy">Fraction classified correctly, or <see langword="null"/> for regression.</param>
public sealed record Evaluation(double Loss, double? Accuracy);
