namespace NeuralNet.Tests.Regularization;

/// <summary>Central finite differences in double precision: ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h.</summary>
internal static class FiniteDifference
{
    /// <summary>The numerical gradient of <paramref name="f"/> at <paramref name="x"/> (x is restored after each probe).</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, double h = 1e-6)
    {
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + h;
            double plus = f(x);
            x[i] = saved - h;
            double minus = f(x);
            x[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }

        return gradient;
    }

    /// <summary>Values drawn uniformly from [−1, 1) with a fixed seed (random upstream gradients hide no transposes).</summary>
    public static double[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }

    /// <summary>Largest relative error max |a − n| / max(1, |a|, |n|).</summary>
    public static double MaxRelativeError(double[] analytic, double[] numeric)
    {
        double worst = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            double scale = Math.Max(1, Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])));
            worst = Math.Max(worst, Math.Abs(analytic[i] - numeric[i]) / scale);
        }

        return worst;
    }
}
