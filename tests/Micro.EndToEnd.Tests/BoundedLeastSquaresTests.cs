using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>The generic bounded least-squares solver, apart from the serving domain.</summary>
public class BoundedLeastSquaresTests
{
    private static readonly double[] X = [0, 0.5, 1, 1.5, 2, 3, 4];

    [Fact]
    public void RecoversTheParametersOfAnExponentialDecay()
    {
        // y = a exp(-b x) + c, generated with a=3, b=0.7, c=0.5; parameters of different magnitudes and ranges.
        double[] Residuals(double[] t) => X.Select(x => t[0] * Math.Exp(-t[1] * x) + t[2] - (3 * Math.Exp(-0.7 * x) + 0.5)).ToArray();
        var s = new BoundedLeastSquares(Residuals, [0, 0, -10], [100, 10, 10]);
        var start = new[] { 1.0, 0.1, 0.0 };
        var (theta, r, _) = s.Minimize(start, s.Residuals(start), [0, 1, 2], 100);
        Assert.Equal(3, theta[0], 4);
        Assert.Equal(0.7, theta[1], 4);
        Assert.Equal(0.5, theta[2], 4);
        Assert.True(BoundedLeastSquares.Dot(r, r) < 1e-10);
    }

    [Fact]
    public void StaysInsideItsBoundsAndLeavesFixedParametersAlone()
    {
        // The unconstrained optimum of a is 3; its upper bound is 2: the fit stops there and b is never moved.
        double[] Residuals(double[] t) => X.Select(x => t[0] * Math.Exp(-t[1] * x) - 3 * Math.Exp(-0.7 * x)).ToArray();
        var s = new BoundedLeastSquares(Residuals, [0, 0], [2, 10]);
        var start = new[] { 1.0, 0.7 };
        var (theta, _, _) = s.Minimize(start, s.Residuals(start), [0], 50);
        Assert.Equal(2, theta[0], 9);
        Assert.Equal(0.7, theta[1]);
    }

    [Fact]
    public void AJacobianColumnAtAnUpperBoundStepsInward()
    {
        var seen = new List<double>();
        double[] Residuals(double[] t) { seen.Add(t[0]); return [t[0] * t[0]]; }
        var s = new BoundedLeastSquares(Residuals, [0], [1]);
        var jac = s.Jacobian([1.0], [1.0], [0]);
        Assert.All(seen, v => Assert.InRange(v, 0, 1));
        Assert.Equal(2.0, jac[0][0] / s.Scale(0, 1.0), 1);
    }
}
