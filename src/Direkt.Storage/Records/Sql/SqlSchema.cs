namespace Direkt.Storage.Records.Sql;

/// <summary>
/// The schema, as numbered migrations applied in order, each once and in its own transaction; written once with the
/// dialect's column types, plus what only one database has (<see cref="SqlDialect.ExtraSchema"/>). A migration may use the
/// parameter @now (the time it runs).
/// </summary>
internal static class SqlSchema
{
    /// <summary>The migration that removes variants made before `strip` stripped metadata by default.</summary>
    public const int LeanVariants = 4;

    /// <summary>The migration that adds the background jobs table.</summary>
    public const int Jobs = 5;

    public static IReadOnlyList<(int Version, string Sql)> Migrations(SqlDialect d) =>
    [
        (1, $"""
            CREATE TABLE path_counters (
                path {d.Words.Text} PRIMARY KEY,
                next_entry_id {d.Words.BigInteger} NOT NULL
            );
            CREATE TABLE assets (
                id {d.Words.KeyColumn},
                path {d.Words.Text} NOT NULL,
                entry_id {d.Words.BigInteger} NOT NULL,
                alt {d.Words.Text},
                labels {d.Words.OrderedJson} NOT NULL,
                tags {d.Words.Json} NOT NULL,
                source {d.Words.Text} NOT NULL,
                source_url {d.Words.Text},
                created_at {d.Words.Time} NOT NULL,
                modified_at {d.Words.Time} NOT NULL,
                UNIQUE (path, entry_id)
            );
            CREATE INDEX assets_by_created ON assets (path, created_at DESC, entry_id DESC);
            CREATE INDEX assets_by_modified ON assets (path, modified_at DESC, entry_id DESC);
            CREATE TABLE variants (
                id {d.Words.KeyColumn},
                asset_id {d.Words.BigInteger} NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                is_original {d.Words.Flag} NOT NULL,
                transformation {d.Words.Text},
                store_bucket {d.Words.Text} NOT NULL,
                store_key {d.Words.Text} NOT NULL,
                width {d.Words.Integer} NOT NULL,
                height {d.Words.Integer} NOT NULL,
                format {d.Words.Text} NOT NULL,
                page_count {d.Words.Integer} NOT NULL,
                loop {d.Words.Integer} NOT NULL,
                color_space {d.Words.Text} NOT NULL,
                bytes {d.Words.BigInteger} NOT NULL,
                blurhash {d.Words.Text},
                thumbhash {d.Words.Text},
                created_at {d.Words.Time} NOT NULL,
                -- The hit path's point lookup: a variant by (asset, canonical transformation).
                UNIQUE (asset_id, transformation)
            );
            -- NULLs are distinct in UNIQUE, so the single original per asset needs its own index.
            CREATE UNIQUE INDEX one_original_per_asset ON variants (asset_id) WHERE is_original = {d.Words.True};
            {d.ExtraSchema(1)}
            """),
        (2, $"""
            -- Objects of deleted records wait here until the object store confirms their removal (ARCHITECTURE.md durability).
            CREATE TABLE deletion_outbox (
                id {d.Words.KeyColumn},
                bucket {d.Words.Text} NOT NULL,
                key {d.Words.Text} NOT NULL,
                attempts {d.Words.Integer} NOT NULL DEFAULT 0,
                next_attempt_at {d.Words.Time} NOT NULL,
                last_error {d.Words.Text},
                created_at {d.Words.Time} NOT NULL
            );
            CREATE INDEX deletion_outbox_due ON deletion_outbox (next_attempt_at);
            """),
        (3, $"""
            -- Last time a generated variant was served (idle expiry); null until then.
            ALTER TABLE variants ADD COLUMN accessed_at {d.Words.Time};
            CREATE INDEX variants_by_use ON variants ((coalesce(accessed_at, created_at))) WHERE is_original = {d.Words.False};
            -- The orphan sweeper asks which stored objects records point at.
            CREATE INDEX variants_by_object ON variants (store_bucket, store_key);
            """),
        (LeanVariants, $"""
            -- Variants made before `strip` stripped metadata by default carry EXIF/IPTC/XMP, while their keys now mean
            -- "stripped": every generated variant goes (its object through the outbox) and is regenerated on demand.
            INSERT INTO deletion_outbox (bucket, key, next_attempt_at, created_at)
                SELECT store_bucket, store_key, @now, @now FROM variants WHERE is_original = {d.Words.False};
            DELETE FROM variants WHERE is_original = {d.Words.False};
            """),
        (Jobs, $"""
            -- Background jobs (Direkt.Jobs): progress and cursor survive restarts; owner and lease_until let exactly one
            -- instance work a job at a time. profiles, transformations and errors are JSON text.
            CREATE TABLE jobs (
                id {d.Words.Text} PRIMARY KEY,
                kind {d.Words.Text} NOT NULL,
                state {d.Words.Text} NOT NULL,
                path {d.Words.Text} NOT NULL,
                profiles {d.Words.Text} NOT NULL,
                transformations {d.Words.Text} NOT NULL,
                dry_run {d.Words.Flag} NOT NULL,
                total {d.Words.BigInteger} NOT NULL,
                done {d.Words.BigInteger} NOT NULL,
                skipped {d.Words.BigInteger} NOT NULL,
                failed {d.Words.BigInteger} NOT NULL,
                purged_variants {d.Words.BigInteger} NOT NULL,
                purged_bytes {d.Words.BigInteger} NOT NULL,
                errors {d.Words.Text} NOT NULL,
                cursor_path {d.Words.Text},
                cursor_entry {d.Words.BigInteger},
                owner {d.Words.Text},
                lease_until {d.Words.Time},
                created_at {d.Words.Time} NOT NULL,
                started_at {d.Words.Time},
                finished_at {d.Words.Time}
            );
            CREATE INDEX jobs_by_state ON jobs (state, lease_until);
            CREATE INDEX jobs_by_finish ON jobs (finished_at);
            """),
    ];
}
