namespace Direkt.Storage.Records.Postgres;

/// <summary>The schema, as numbered migrations applied in order; each runs once, in its own transaction.</summary>
internal static class PostgresMigrations
{
    /// <summary>Key of the advisory lock that serializes migrations of instances starting together.</summary>
    public const long LockKey = 0x4469_726B_6D69_67; // "Dirkmig"

    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE path_counters (
                path text PRIMARY KEY,
                next_entry_id bigint NOT NULL
            );
            CREATE TABLE assets (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                path text NOT NULL,
                entry_id bigint NOT NULL,
                alt text,
                labels json NOT NULL,          -- json keeps the order the labels were given in; queries use the jsonb index below
                tags jsonb NOT NULL,
                source text NOT NULL,
                source_url text,
                created_at timestamptz NOT NULL,
                modified_at timestamptz NOT NULL,
                UNIQUE (path, entry_id)
            );
            CREATE INDEX assets_by_created ON assets (path, created_at DESC, entry_id DESC);
            CREATE INDEX assets_by_modified ON assets (path, modified_at DESC, entry_id DESC);
            CREATE INDEX assets_by_path_prefix ON assets (path text_pattern_ops);
            CREATE INDEX assets_by_labels ON assets USING gin ((labels::jsonb) jsonb_path_ops);
            CREATE TABLE variants (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                asset_id bigint NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                is_original boolean NOT NULL,
                transformation text,
                store_bucket text NOT NULL,
                store_key text NOT NULL,
                width integer NOT NULL,
                height integer NOT NULL,
                format text NOT NULL,
                page_count integer NOT NULL,
                loop integer NOT NULL,
                color_space text NOT NULL,
                bytes bigint NOT NULL,
                blurhash text,
                thumbhash text,
                created_at timestamptz NOT NULL,
                CHECK (is_original = (transformation IS NULL)),
                UNIQUE (asset_id, transformation)
            );
            -- NULLs are distinct in UNIQUE before PostgreSQL 15's NULLS NOT DISTINCT, so the one original gets its own index.
            CREATE UNIQUE INDEX one_original_per_asset ON variants (asset_id) WHERE is_original;
            """),
        (2, """
            -- Objects of deleted records wait here until the object store confirms their removal (ARCHITECTURE.md durability).
            CREATE TABLE deletion_outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                bucket text NOT NULL,
                key text NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                last_error text,
                created_at timestamptz NOT NULL
            );
            CREATE INDEX deletion_outbox_due ON deletion_outbox (next_attempt_at);
            """),
        (3, """
            -- Last time a generated variant was served (idle expiry); null until then.
            ALTER TABLE variants ADD COLUMN accessed_at timestamptz;
            CREATE INDEX variants_by_use ON variants ((coalesce(accessed_at, created_at))) WHERE NOT is_original;
            -- The orphan sweeper asks which stored objects records point at.
            CREATE INDEX variants_by_object ON variants (store_bucket, store_key);
            """),
    ];
}
