namespace Direkt.Tests.Configuration;

/// <summary>`variant-generation.vips-concurrency = 0`: the CPUs shared out among the workers, never more threads than CPUs.</summary>
public sealed class VipsThreadsTests
{
    [Fact]
    public void Zero_shares_the_cpus_among_the_workers_and_a_set_value_wins()
    {
        var cpus = Environment.ProcessorCount;

        DirektServer.VipsThreads(0, 2 * cpus).Should().Be(1, "the default workers (2 × CPUs) get one libvips thread each");
        DirektServer.VipsThreads(0, 1).Should().Be(cpus, "one worker may use every CPU");
        (DirektServer.VipsThreads(0, 3) * 3).Should().BeLessThanOrEqualTo(Math.Max(3, cpus));
        DirektServer.VipsThreads(0, 1000).Should().Be(1, "at least one");
        DirektServer.VipsThreads(3, 2 * cpus).Should().Be(3, "a configured value is used as it is");
    }
}
