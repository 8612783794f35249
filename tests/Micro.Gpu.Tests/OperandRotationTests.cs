using Micro.Suites.Gemm;

public sealed class OperandRotationTests
{
    [Fact]
    public void FewerRepetitionsThanSets_StillVisitsEverySetAcrossIterations()
    {
        // The H100 failure: 8 sets, 7 GEMMs per timed iteration, 3 warm-up + 20 timed iterations.
        var rotation = new OperandRotation(8);
        for (var iteration = 0; iteration < 23; iteration++)
            for (var r = 0; r < 7; r++) rotation.Next();
        Assert.Equal(Enumerable.Range(0, 8), rotation.Written);
    }

    [Fact]
    public void Written_ListsOnlySetsComputedSincePoison()
    {
        var rotation = new OperandRotation(8);
        for (var r = 0; r < 5; r++) rotation.Next();
        rotation.Poisoned();
        Assert.Empty(rotation.Written);
        for (var r = 0; r < 3; r++) rotation.Next();
        // The cursor continues where it was (sets 5, 6, 7), so Verify checks exactly those and no NaN-filled set.
        Assert.Equal([5, 6, 7], rotation.Written);
    }

    [Fact]
    public void Next_CyclesInOrder()
    {
        var rotation = new OperandRotation(3);
        Assert.Equal([0, 1, 2, 0, 1], Enumerable.Range(0, 5).Select(_ => rotation.Next()));
    }
}
