using Direkt.Configuration.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Direkt;

/// <summary>
/// The process' Serilog logger from `logging.*`: text lines with ISO 8601 times, or compact JSON lines (CLEF) for log
/// shippers; written through a background queue so a slow console or pipe never stalls a request.
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
            .Enrich.FromLogContext()
            .WriteTo.Async(sink => sink.Sink(new TextWriterSink(formatter, output ?? Console.Out)), bufferSize: 10_000, blockWhenFull: false)
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

/// <summary>Formats each event onto a writer; only the async sink's single background thread calls it.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : Serilog.Core.ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        formatter.Format(logEvent, output);
        output.Flush();
    }
}
