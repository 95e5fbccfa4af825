using Direkt.Storage.Records;
using Direkt.Storage.Records.Jobs;
using Direkt.Storage.Records.Sql;
using Direkt.TestServices;

namespace Direkt.Storage.Tests;

/// <summary>What every <see cref="IJobRecords"/> and <see cref="IAssetPages"/> must do; a second store on the same database plays another instance.</summary>
public abstract class JobRecordsContract : IAsyncLifetime
{
    protected IRecordStore Repository { get; private set; } = null!;
    protected abstract Task<IRecordStore> CreateAsync();
    /// <summary>Another instance's repository on the same database (in-memory: the same one).</summary>
    protected abstract Task<IRecordStore> OpenSecondAsync();
    public virtual Task DisposeAsync() => Task.CompletedTask;
    public async Task InitializeAsync() => Repository = await CreateAsync();

    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, 123, TimeSpan.Zero);

    private static StoredJob Job(string id, string kind = "pregenerate") => new()
    {
        Id = id, Kind = kind, State = JobStates.Queued, Path = "/p/**", Profiles = ["thumbnail"], Transformations = ["w=10&format=png"],
        CreatedAt = T0,
    };

    [Fact]
    public async Task A_job_round_trips_and_lists_newest_first_in_pages_with_counts()
    {
        foreach (var id in new[] { "0001", "0002", "0003" }) await Repository.CreateJobAsync(Job(id), default);

        var stored = await Repository.GetJobAsync("0002", default);
        stored.Should().BeEquivalentTo(Job("0002"));
        (await Repository.GetJobAsync("nope", default)).Should().BeNull();

        var first = await Repository.ListJobsAsync(new JobListing(null, 2, null), default);
        first.Jobs.Select(j => j.Id).Should().Equal("0003", "0002");
        first.Counts[JobStates.Queued].Should().Be(3);
        (await Repository.ListJobsAsync(new JobListing(null, 2, "0002"), default)).Jobs.Select(j => j.Id).Should().Equal("0001");
        (await Repository.ListJobsAsync(new JobListing(JobStates.Running, 10, null), default)).Jobs.Should().BeEmpty();
    }

    [Fact]
    public async Task One_instance_holds_a_job_until_its_lease_expires_then_another_takes_it_over()
    {
        await Repository.CreateJobAsync(Job("0001"), default);
        var other = await OpenSecondAsync();

        var a = await Repository.ClaimJobAsync("a", T0, T0.AddSeconds(30), default);
        a!.State.Should().Be(JobStates.Running);
        a.StartedAt.Should().Be(T0);
        (await other.ClaimJobAsync("b", T0.AddSeconds(1), T0.AddSeconds(31), default)).Should().BeNull("a holds the lease");

        // a saves progress and renews its lease
        var saved = a with { Done = 5, Skipped = 1, Failed = 1, Total = 10, Cursor = new AssetPosition("/p/x", 3),
            Errors = [new JobError("/p/y", 0, "w=10", "broken")] };
        (await Repository.SaveJobAsync(saved, T0.AddSeconds(60), default)).Should().Be(JobStates.Running);
        (await other.ClaimJobAsync("b", T0.AddSeconds(45), T0.AddSeconds(90), default)).Should().BeNull("the lease was renewed");

        var b = await other.ClaimJobAsync("b", T0.AddSeconds(61), T0.AddSeconds(90), default);
        b!.Owner.Should().Be("b");
        b.Cursor.Should().Be(new AssetPosition("/p/x", 3));
        b.Done.Should().Be(5);
        b.Errors.Should().Equal(new JobError("/p/y", 0, "w=10", "broken"));
        b.StartedAt.Should().Be(T0, "a takeover keeps the first start");
        (await Repository.SaveJobAsync(saved with { Done = 6 }, T0.AddSeconds(120), default)).Should().BeNull("a lost the lease");
        (await Repository.GetJobAsync("0001", default))!.Done.Should().Be(5);
    }

    [Fact]
    public async Task A_cancelled_job_stays_cancelled_whatever_its_worker_saves_and_finished_jobs_are_removed_after_retention()
    {
        await Repository.CreateJobAsync(Job("0001"), default);
        await Repository.CreateJobAsync(Job("0002"), default);
        var claimed = await Repository.ClaimJobAsync("a", T0, T0.AddSeconds(30), default);

        var cancelled = await Repository.CancelJobAsync("0001", T0.AddSeconds(2), default);
        cancelled!.State.Should().Be(JobStates.Cancelled);
        cancelled.FinishedAt.Should().Be(T0.AddSeconds(2));
        (await Repository.SaveJobAsync(claimed! with { Done = 1 }, T0.AddSeconds(40), default)).Should().Be(JobStates.Cancelled);
        (await Repository.CancelJobAsync("nope", T0, default)).Should().BeNull();

        var second = await Repository.ClaimJobAsync("a", T0.AddSeconds(3), T0.AddSeconds(30), default);
        second!.Id.Should().Be("0002", "a cancelled job is never claimed");
        (await Repository.SaveJobAsync(second with { State = JobStates.Done, FinishedAt = T0.AddSeconds(5) }, T0.AddSeconds(5), default))
            .Should().Be(JobStates.Done);
        (await Repository.CancelJobAsync("0002", T0.AddSeconds(6), default))!.State.Should().Be(JobStates.Done, "a finished job stays as it is");

        (await Repository.RemoveFinishedJobsAsync(T0.AddSeconds(3), default)).Should().Be(1);
        (await Repository.GetJobAsync("0001", default)).Should().BeNull();
        (await Repository.RemoveFinishedJobsAsync(T0.AddSeconds(6), default)).Should().Be(1);
        (await Repository.ListJobsAsync(new JobListing(null, 10, null), default)).Jobs.Should().BeEmpty();
    }

    [Fact]
    public async Task Assets_are_paged_in_path_and_entry_order_within_the_scope()
    {
        foreach (var path in new[] { "/p/b", "/p/a", "/p/b", "/p", "/q/a", "/pa", "/p/a/x" })
            await Repository.CreateAsync(new NewAsset
            {
                Path = path, Source = "upload", CreatedAt = T0,
                OriginalVariant = new VariantRecord
                {
                    IsOriginalVariant = true, StoreBucket = "assets", StoreKey = "o/" + Guid.NewGuid().ToString("N"),
                    Attributes = new VariantAttributes(1, 1, "png", 1, 0, "srgb", 10), CreatedAt = T0,
                },
            }, default);
        await Repository.AddVariantAsync("/p/a", 0, new VariantRecord
        {
            IsOriginalVariant = false, Transformation = "w=1", StoreBucket = "assets", StoreKey = "variants/v1",
            Attributes = new VariantAttributes(1, 1, "png", 1, 0, "srgb", 7), CreatedAt = T0,
        }, default);
        var scope = new AssetScope("/p", Below: true);

        var seen = new List<string>();
        AssetPosition? after = null;
        while (await Repository.PageAsync(scope, after, 2, default) is { Count: > 0 } page)
        {
            seen.AddRange(page.Select(a => $"{a.Path}#{a.EntryId}"));
            after = new AssetPosition(page[^1].Path, page[^1].EntryId);
        }

        seen.Should().Equal("/p#0", "/p/a#0", "/p/a/x#0", "/p/b#0", "/p/b#1");
        (await Repository.TallyAsync(scope, default)).Should().Be(new AssetTally(5, 1, 7));
        (await Repository.TallyAsync(new AssetScope("/p/b", Below: false), default)).Should().Be(new AssetTally(2, 0, 0));
        (await Repository.PageAsync(scope, null, 10, default)).Single(a => a.Path == "/p/a").Variants.Should().HaveCount(2);
    }
}

public sealed class InMemoryJobRecordsTests : JobRecordsContract
{
    private readonly InMemoryAssetRepository _repository = new();
    protected override Task<IRecordStore> CreateAsync() => Task.FromResult<IRecordStore>(_repository);
    protected override Task<IRecordStore> OpenSecondAsync() => Task.FromResult<IRecordStore>(_repository);
}

public sealed class SqliteJobRecordsTests : JobRecordsContract
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-jobs-").FullName;
    private string DatabasePath => Path.Combine(_folder, "direkt.db");

    protected override async Task<IRecordStore> CreateAsync()
    {
        var repository = SqlAssetRepository.Sqlite(DatabasePath);
        await repository.MigrateAsync(default);
        return repository;
    }

    protected override Task<IRecordStore> OpenSecondAsync() => Task.FromResult<IRecordStore>(SqlAssetRepository.Sqlite(DatabasePath));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

public sealed class PostgresJobRecordsTests : JobRecordsContract
{
    private TestDatabase _database = null!;

    protected override async Task<IRecordStore> CreateAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var repository = SqlAssetRepository.Postgres(_database.ConnectionString);
        await repository.MigrateAsync(default);
        return repository;
    }

    protected override Task<IRecordStore> OpenSecondAsync() =>
        Task.FromResult<IRecordStore>(SqlAssetRepository.Postgres(_database.ConnectionString));

    public override async Task DisposeAsync() => await _database.DisposeAsync();
}
