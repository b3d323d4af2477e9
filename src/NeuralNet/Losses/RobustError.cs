namespace NeuralNet.Losses;

/// <summary>
/// <c>scale · SmoothL1_β(d)</c> with <c>d = x − t</c>: <c>scale · 0.5 d² / β</c> where <c>|d| &lt; β</c>, else
/// <c>scale · (|d| − 0.5 β)</c>; β = 0 is the absolute error. Huber(δ) is this with β = δ and scale = δ.
/// </summary>
internal readonly struct RobustError(double beta, double scale) : IElementLoss
{
    public double Evaluate(double x, double t, int row, out double derivative)
    {
        double d = x - t;
        double magnitude = Math.Abs(d);
        if (magnitude < beta)
        {
            derivative = scale * d / beta;
            return scale * 0.5 * d * d / beta;
        }

        derivative = scale * Math.Sign(d);
        return scale * (magnitude - (0.5 * beta));
    }

    public string? TargetError(double t) => double.IsFinite(t) ? null : "targets must be finite";
}
