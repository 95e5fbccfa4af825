using Direkt.Storage.Objects;
using Direkt.Storage.Outbox;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace Direkt.Storage.Tests;

public sealed class DeletionOutboxTests
{
    [Theory]
    [InlineData(1, 0.0, 1.0)]
    [InlineData(1, 0.999, 2.0)]
    [InlineData(5, 0.0, 16.0)]
    [InlineData(30, 0.0, 450.0)]   // capped at 15 min, jitter down to half
    [InlineData(30, 0.999, 899.55)]
    public void Backoff_doubles_per_attempt_with_jitter_and_a_cap(int attempt, double random, double seconds) =>
        DeletionOutbox.Backoff(attempt, random).TotalSeconds.Should().BeApproximately(seconds, 0.01);

    [Fact]
    public async Task A_run_removes_the_objects_of_deleted_records_and_empties_the_outbox()
    {
        var repository = new InMemoryAssetRepository();
        var objects = new InMemoryObjectStore();
        await objects.PutAsync("assets", "originals/a.jpg", new MemoryStream([1]), "image/jpeg", default);
        var asset = await repository.CreateAsync(new NewAsset
        {
            Path = "/a", Source = "upload", CreatedAt = DateTimeOffset.UtcNow,
            OriginalVariant = new VariantRecord
            {
                IsOriginalVariant = true, StoreBucket = "assets", StoreKey = "originals/a.jpg", CreatedAt = DateTimeOffset.UtcNow,
                Attributes = new VariantAttributes(1, 1, "jpg", 1, 0, "srgb", 1),
            },
        }, default);
        await repository.DeleteAsync(new AssetDeletion.Entry("/a", asset.EntryId), DateTimeOffset.UtcNow, default);
        var outbox = new DeletionOutbox(repository, objects, TimeProvider.System, NullLogger<DeletionOutbox>.Instance);

        (await outbox.RunOnceAsync(default)).Should().Be(1);

        (await objects.GetLengthAsync("assets", "originals/a.jpg", default)).Should().BeNull();
        (await repository.TakeDueDeletionsAsync(10, DateTimeOffset.UtcNow.AddDays(1), TimeSpan.FromMinutes(1), default)).Should().BeEmpty();
        (await outbox.RunOnceAsync(default)).Should().Be(0);
    }
}
