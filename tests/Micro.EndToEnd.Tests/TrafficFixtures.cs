using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Tests;

/// <summary>Traces made in code for the traffic tests.</summary>
public static class TrafficFixtures
{
    public static RequestTrace Even(double rate, int n, int isl, int osl) =>
        new("even", TraceFormat.PlainCsv, [.. Enumerable.Range(0, n).Select(i => new TraceRequest(i / rate, isl, osl))]);

    public static LoadShape Replay(RequestTrace t) => new(null, null, t.Requests.Count) { Trace = t };

    /// <summary>A bursty hour: idle minutes, then 60+ requests inside one second, then a trickle.</summary>
    public static RequestTrace BurstyHour(int seed = 1)
    {
        var rng = new Random(seed);
        var list = new List<TraceRequest>();
        for (var minute = 0; minute < 60; minute++)
        {
            if (minute % 10 is 3 or 4 or 5) continue;
            var burst = minute % 15 == 7;
            var count = burst ? 70 : 8;
            for (var i = 0; i < count; i++)
            {
                var at = minute * 60 + (burst ? 20 + rng.NextDouble() : rng.NextDouble() * 60);
                list.Add(new TraceRequest(at, 200 + rng.Next(1800), 20 + rng.Next(300)));
            }
        }
        return new("bursty", TraceFormat.PlainCsv, [.. list.OrderBy(q => q.ArrivalSeconds)]);
    }

    /// <summary>100k-token prompts sharing 90k-token prefixes among four groups (Mooncake-style 512-token hashes).</summary>
    public static RequestTrace LongSharedPrefixes(int n = 40)
    {
        var list = new List<TraceRequest>();
        var next = 1_000_000;
        for (var i = 0; i < n; i++)
        {
            var group = i % 4;
            var shared = Enumerable.Range(group * 1000, 90_000 / 512);
            var own = Enumerable.Range(0, (100_000 - 90_000 / 512 * 512 + 511) / 512).Select(_ => next++);
            list.Add(new TraceRequest(i * 2.0, 100_000, 64, [.. shared, .. own]));
        }
        return new("long-prefixes", TraceFormat.MooncakeJsonl, list);
    }
}
