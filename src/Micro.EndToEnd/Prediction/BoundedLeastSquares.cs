namespace Micro.EndToEnd.Prediction;

/// <summary>
/// Levenberg-Marquardt for min |r(theta)|^2 inside box bounds, generic over the residual function: forward-difference
/// Jacobian columns scaled by each parameter's magnitude (so a step means the same for a fraction and for microseconds),
/// steps clamped into the bounds, a difference step taken inward at a bound. Only the columns in `free` move.
/// The domain (which parameters, their starts, what a residual is) lives with the caller (Calibrator).
/// </summary>
public sealed class BoundedLeastSquares(Func<double[], double[]> residuals, double[] lower, double[] upper)
{
    public double[] Residuals(double[] theta) => residuals(theta);

    /// <summary>The scale a parameter moves on: its magnitude, but at least 5% of its range.</summary>
    public double Scale(int i, double v) => Math.Max(Math.Abs(v), 0.05 * (upper[i] - lower[i]));

    /// <summary>Columns d r / d (relative change of theta[i]) for each i in <paramref name="cols"/>, at theta with residuals r0.</summary>
    public double[][] Jacobian(double[] theta, double[] r0, IReadOnlyList<int> cols)
    {
        var jac = new double[cols.Count][];
        for (var c = 0; c < cols.Count; c++)
        {
            var i = cols[c];
            var h = 0.01 * Scale(i, theta[i]);
            var t = (double[])theta.Clone();
            // Step inward from a bound so the evaluation stays inside it.
            t[i] = theta[i] + h <= upper[i] ? theta[i] + h : theta[i] - h;
            var sign = t[i] > theta[i] ? 1 : -1;
            var r1 = Residuals(t);
            jac[c] = r1.Select((v, j) => (v - r0[j]) / (sign * h) * Scale(i, theta[i])).ToArray();
        }
        return jac;
    }

    /// <summary>Up to <paramref name="budget"/> iterations from <paramref name="start"/> (residuals r0 there; a Jacobian there if known).</summary>
    public (double[] Theta, double[] R, int Iterations) Minimize(double[] start, double[] r0, IReadOnlyList<int> free, int budget, double[][]? jacobian = null)
    {
        var th = start;
        var res = r0;
        var cost = Dot(res, res);
        var lambda = 1e-2;
        var it = 0;
        for (; it < budget; it++)
        {
            var jac = it == 0 && jacobian is not null ? jacobian : Jacobian(th, res, free);
            var n = free.Count;
            var a = new double[n, n];
            var g = new double[n];
            for (var p = 0; p < n; p++)
            {
                g[p] = -Dot(jac[p], res);
                for (var q = 0; q < n; q++) a[p, q] = Dot(jac[p], jac[q]);
            }
            var improved = false;
            for (var attempt = 0; attempt < 8 && !improved; attempt++)
            {
                var damped = (double[,])a.Clone();
                for (var p = 0; p < n; p++) damped[p, p] += lambda * Math.Max(a[p, p], 1e-12);
                var delta = Solve(damped, g);
                var t = (double[])th.Clone();
                for (var p = 0; p < n; p++)
                {
                    var i = free[p];
                    t[i] = Math.Clamp(th[i] + delta[p] * Scale(i, th[i]), lower[i], upper[i]);
                }
                var rt = Residuals(t);
                var ct = Dot(rt, rt);
                if (ct < cost)
                {
                    var converged = cost - ct < 1e-9 + 1e-6 * cost;
                    th = t; res = rt; cost = ct; lambda = Math.Max(lambda / 3, 1e-7); improved = true;
                    if (converged) it = budget;
                }
                else lambda *= 4;
            }
            if (!improved) break;
        }
        return (th, res, Math.Min(it, budget));
    }

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Gaussian elimination with partial pivoting; a singular direction gets 0.</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var piv = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[piv, c])) piv = r;
            if (piv != c)
            {
                for (var k = 0; k < n; k++) (m[c, k], m[piv, k]) = (m[piv, k], m[c, k]);
                (x[c], x[piv]) = (x[piv], x[c]);
            }
            if (Math.Abs(m[c, c]) < 1e-300) continue;
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var k = c; k < n; k++) m[r, k] -= f * m[c, k];
                x[r] -= f * x[c];
            }
        }
        for (var c = n - 1; c >= 0; c--)
        {
            var s = x[c];
            for (var k = c + 1; k < n; k++) s -= m[c, k] * x[k];
            x[c] = Math.Abs(m[c, c]) < 1e-300 ? 0 : s / m[c, c];
        }
        return x;
    }
}
