using Direkt.Configuration.Options;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Direkt;

/// <summary>
/// The process' Serilog logger from `logging.*`: text lines with ISO 8601 times, or compact JSON lines (CLEF) for log
/// shippers; written in batches from a background queue so a slow console or pipe never stalls a request.
/// </summary>
internal static class ServerLogging
{
    private const string TextTemplate = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} {Message:lj}{NewLine}{Exception}";

    public static Serilog.ILogger Create(LoggingOptions options, TextWriter? output = null)
    {
        ITextFormatter formatter = options.Format == "json"
            ? new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate);
        var level = Level(options.Level);
        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // The framework's own chatter stays at warning unless the operator asks for debug or more.
            .MinimumLevel.Override("Microsoft.AspNetCore", level < LogEventLevel.Information ? level : LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // Hosting's per-request diagnostics log nothing at warning, but while any level of theirs is on ASP.NET Core starts
            // an Activity and a logging scope for every request (a few per cent of a hit); Direkt logs requests itself.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", level < LogEventLevel.Information ? level : LevelAlias.Off)
            .Enrich.FromLogContext()
            // In batches: one write to the console per batch, not one per line (a hit costs a few microseconds; a write
            // syscall per request line was a tenth of a busy server's CPU). A full queue drops lines rather than stall requests.
            .WriteTo.Sink(new TextWriterSink(formatter, output ?? Console.Out), new BatchingOptions
            {
                BatchSizeLimit = 1_000,
                BufferingTimeLimit = TimeSpan.FromMilliseconds(50),
                EagerlyEmitFirstEvent = true,
                QueueLimit = 10_000,
            })
            .CreateLogger();
    }

    /// <summary>Before the configuration is read (its own errors go to stderr as plain text).</summary>
    public static Serilog.ILogger Bootstrap() => Create(new LoggingOptions { Format = "text", Level = "information" });

    public static LogEventLevel Level(string name) => name switch
    {
        "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "fatal" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}

/// <summary>Formats a batch of events into one buffer and writes it at once; only the batching loop's single task calls it.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : IBatchedLogEventSink
{
    private readonly StringWriter _buffer = new(System.Globalization.CultureInfo.InvariantCulture);

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        var text = _buffer.GetStringBuilder().Clear();
        foreach (var logEvent in batch) formatter.Format(logEvent, _buffer);
        foreach (var chunk in text.GetChunks()) output.Write(chunk.Span);
        output.Flush();
        if (text.Capacity > 1 << 20) text.Capacity = 1 << 16; // one burst of long lines does not pin a large buffer
        return Task.CompletedTask;
    }
}
