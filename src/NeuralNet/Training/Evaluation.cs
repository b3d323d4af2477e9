namespace NeuralNet.Training;

/// <summary>A network's loss and accuracy on a dataset.</summary>
/// <param name="Loss">Loss per sample: the chunks' means weighted by their sizes, or for <see cref="Losses.Reduction.Sum"/> the total divided by the number of samples.</param>
/// <param name="Accuracy">Fraction classified correctly, or <see langword="null"/> for regression.</param>
public sealed record Evaluation(double Loss, double? Accuracy);
