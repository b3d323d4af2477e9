namespace NeuralNet.Metrics;

/// <summary>How well one class is recognised.</summary>
/// <param name="ClassIndex">The class label.</param>
/// <param name="Name">The class name.</param>
/// <param name="Precision">Of the samples predicted as this class, the fraction that are: <c>TP / (TP + FP)</c>; 0 when the class is never predicted.</param>
/// <param name="Recall">Of the samples of this class, the fraction predicted as it: <c>TP / (TP + FN)</c>; 0 when the class has no samples.</param>
/// <param name="F1">Harmonic mean <c>2·P·R / (P + R)</c>; 0 when both are 0.</param>
/// <param name="Support">Number of samples of this class.</param>
public sealed record ClassMetrics(int ClassIndex, string Name, double Precision, double Recall, double F1, int Support);
