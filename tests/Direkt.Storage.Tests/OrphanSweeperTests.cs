using Direkt.Storage.Objects;
using Direkt.Storage.Outbox;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace Direkt.Storage.Tests;

public sealed class OrphanSweeperTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static string Key(string folder, DateTimeOffset created, string extension = "jpg") =>
        $"{folder}/{Guid.CreateVersion7(created):N}.{extension}";

    [Fact]
    public void Creation_times_come_from_the_uuid_v7_of_keys_direkt_named()
    {
        OrphanSweeper.CreatedAt(Key("originals", Now.AddMinutes(-5))).Should().Be(Now.AddMinutes(-5));
        OrphanSweeper.CreatedAt("0123456789abcdef/" + Key("variants", Now.AddMinutes(-5))).Should().Be(Now.AddMinutes(-5));
        OrphanSweeper.CreatedAt($"originals/{Guid.NewGuid():N}.jpg").Should().BeNull("a v4 id is not ours");
        OrphanSweeper.CreatedAt("uploads/photo.jpg").Should().BeNull();
        OrphanSweeper.CreatedAt($"originals/{Guid.CreateVersion7(Now):N}.jpg/extra").Should().BeNull();
    }

    [Fact]
    public async Task Only_old_unreferenced_objects_named_by_direkt_are_removed()
    {
        var objects = new InMemoryObjectStore();
        var repository = new InMemoryAssetRepository();
        var own = await new ObjectKeyNames(repository).PrefixAsync(default);
        var referenced = own + Key("originals", Now.AddHours(-5));
        var orphan = own + Key("variants", Now.AddHours(-2), "webp");
        var recent = own + Key("originals", Now.AddMinutes(-10));
        var foreign = "backups/keep-me.jpg";
        var legacy = Key("variants", Now.AddHours(-2), "webp"); // named before deployment ids: owner unknown, kept
        var otherDeployment = "0123456789abcdef/" + Key("variants", Now.AddHours(-2), "webp");
        foreach (var key in new[] { referenced, orphan, recent, foreign, legacy, otherDeployment })
            await objects.PutAsync("assets", key, new MemoryStream([1]), "image/jpeg", default);
        await repository.CreateAsync(new NewAsset
        {
            Path = "/a", Source = "upload", CreatedAt = Now,
            OriginalVariant = new VariantRecord
            {
                IsOriginalVariant = true, StoreBucket = "assets", StoreKey = referenced, CreatedAt = Now,
                Attributes = new VariantAttributes(1, 1, "jpg", 1, 0, "srgb", 1),
            },
        }, default);
        var sweeper = new OrphanSweeper(objects, repository, new ObjectKeyNames(repository), new FixedClock(Now), NullLogger<OrphanSweeper>.Instance);

        var removed = await sweeper.SweepAsync(["assets"], default);

        removed.Should().Be(1);
        var left = new List<string>();
        await foreach (var key in objects.ListKeysAsync("assets", "", default)) left.Add(key);
        left.Should().BeEquivalentTo(referenced, recent, foreign, legacy, otherDeployment);
        await objects.PutAsync("other", own + Key("originals", Now.AddHours(-3)), new MemoryStream([1]), "image/jpeg", default);
        (await sweeper.SweepAsync(["other"], default)).Should().Be(1, "each bucket given is swept");
    }
}
