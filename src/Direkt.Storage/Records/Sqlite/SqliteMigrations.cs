namespace Direkt.Storage.Records.Sqlite;

/// <summary>The schema, as numbered migrations applied in order; each runs once, in its own transaction.</summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE path_counters (
                path TEXT PRIMARY KEY,
                next_entry_id INTEGER NOT NULL
            );
            CREATE TABLE assets (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL,
                entry_id INTEGER NOT NULL,
                alt TEXT,
                labels TEXT NOT NULL,
                tags TEXT NOT NULL,
                source TEXT NOT NULL,
                source_url TEXT,
                created_at INTEGER NOT NULL,
                modified_at INTEGER NOT NULL,
                UNIQUE (path, entry_id)
            );
            CREATE INDEX assets_by_created ON assets (path, created_at DESC, entry_id DESC);
            CREATE INDEX assets_by_modified ON assets (path, modified_at DESC, entry_id DESC);
            CREATE TABLE asset_labels (
                asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (asset_id, key)
            );
            CREATE INDEX asset_labels_by_pair ON asset_labels (key, value);
            CREATE TABLE variants (
                id INTEGER PRIMARY KEY,
                asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                is_original INTEGER NOT NULL,
                transformation TEXT,
                store_bucket TEXT NOT NULL,
                store_key TEXT NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                format TEXT NOT NULL,
                page_count INTEGER NOT NULL,
                loop INTEGER NOT NULL,
                color_space TEXT NOT NULL,
                bytes INTEGER NOT NULL,
                blurhash TEXT,
                thumbhash TEXT,
                created_at INTEGER NOT NULL,
                UNIQUE (asset_id, transformation)
            );
            -- SQLite treats NULLs as distinct in UNIQUE, so the single original per asset needs its own index.
            CREATE UNIQUE INDEX one_original_per_asset ON variants (asset_id) WHERE is_original = 1;
            """),
        (2, """
            -- Objects of deleted records wait here until the object store confirms their removal (ARCHITECTURE.md durability).
            CREATE TABLE deletion_outbox (
                id INTEGER PRIMARY KEY,
                bucket TEXT NOT NULL,
                key TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX deletion_outbox_due ON deletion_outbox (next_attempt_at);
            """),
        (3, """
            -- Last time a generated variant was served (idle expiry); null until then.
            ALTER TABLE variants ADD COLUMN accessed_at INTEGER;
            CREATE INDEX variants_by_use ON variants (coalesce(accessed_at, created_at)) WHERE is_original = 0;
            -- The orphan sweeper asks which stored objects records point at.
            CREATE INDEX variants_by_object ON variants (store_bucket, store_key);
            """),
    ];
}
