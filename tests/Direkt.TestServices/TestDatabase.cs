using Npgsql;

namespace Direkt.TestServices;

/// <summary>A fresh, empty PostgreSQL database for one test, dropped on disposal.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, NpgsqlConnectionStringBuilder builder)
    {
        Name = name;
        Builder = builder;
    }

    public string Name { get; }
    private NpgsqlConnectionStringBuilder Builder { get; }

    /// <summary>The connection string Direkt would use (a small pool: many tests run side by side).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Builder.ConnectionString) { Database = Name, MaxPoolSize = 20 }.ToString();

    public string Host => Builder.Host!;
    public int Port => Builder.Port;
    public string User => Builder.Username!;

    public static async Task<TestDatabase> CreateAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin) { Pooling = false };
        var name = "direkt_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection); // name is ours: letters and digits
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(name, builder);
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
