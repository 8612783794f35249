namespace Micro.EndToEnd.Cost;

/// <summary>Non-dominated points when both coordinates are to be maximized (negate one to minimize it).</summary>
public static class Pareto
{
    public static IReadOnlyList<int> Frontier(IReadOnlyList<(double X, double Y)> points)
    {
        var result = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            var (x, y) = points[i];
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            var dominated = false;
            for (var j = 0; j < points.Count && !dominated; j++)
            {
                if (j == i) continue;
                var (a, b) = points[j];
                dominated = a >= x && b >= y && (a > x || b > y);
            }
            if (!dominated) result.Add(i);
        }
        return result.OrderBy(i => points[i].X).ToList();
    }
}
