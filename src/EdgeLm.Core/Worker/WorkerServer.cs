using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeLm.Core.Native;
using EdgeLm.Core.Models;
using EdgeLm.Core.Perplexity;

namespace EdgeLm.Core.Worker;

/// <summary>
/// The worker's side of the protocol (see <see cref="WorkerMessage"/>): one model session, runs taken in
/// order, cancellation read concurrently so it lands within one token. llama.cpp's log goes to
/// <c>log</c> (the worker's stderr) line by line, so the host can quote it if this process dies.
/// </summary>
public static class WorkerServer
{
    /// <summary>
    /// Serves on this process's standard streams: the entry point of `edgelm worker` and of a pwsh-hosted worker.
    /// Ctrl+C is ignored: a terminal sends it to the whole process group, and the host, not the worker, decides
    /// what stops (it sends "cancel").
    /// </summary>
    public static int ServeStandardStreams(string? nativeDirectory)
    {
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        CoreDumps.Disable();
        using WorkerStreams streams = WorkerStreams.Claim();
        return Serve(streams.Input, streams.Output, streams.Log, nativeDirectory);
    }

    /// <summary>Serves until <paramref name="input"/> ends; returns the process exit code.</summary>
    public static int Serve(TextReader input, TextWriter output, TextWriter log, string? nativeDirectory)
    {
        var writer = new MessageWriter(output);
        LlamaLog.Sink = line =>
        {
            lock (log)
            {
                log.WriteLine(line);
                log.Flush();
            }
        };

        ModelSession session;
        try
        {
            session = new ModelSession(nativeDirectory);
        }
        catch (EdgeLmException e)
        {
            writer.Send(new WorkerMessage { Type = WorkerMessage.ErrorType, Error = WorkerError.From(e) });
            return 1;
        }

        using (session)
        {
            LlamaRuntimeInfo runtime = session.Runtime;
            writer.Send(HelloLine(new WorkerHello(Environment.ProcessId, runtime.LlamaVersion, runtime.Backend, runtime.NativeDirectory,
                ChatTemplates.BuiltIn().ToArray())));

            var orders = new BlockingCollection<WorkerMessage>();
            var cancellation = new CancelSignal();
            var reader = new Thread(() => Read(input, orders, cancellation)) { IsBackground = true, Name = "edgelm worker input" };
            reader.Start();
            foreach (WorkerMessage order in orders.GetConsumingEnumerable())
            {
                if (order.Quantize is not null)
                {
                    Quantize(order.Quantize, writer);
                    continue;
                }

                if (order.Perplexity is not null)
                {
                    ScorePerplexity(order.Perplexity, writer, cancellation);
                    continue;
                }

                RunOrder spec = order.Run!;
                CancellationToken token = cancellation.BeginRun();
                try
                {
                    RunMeasurement result = session.Run(spec,
                        p => writer.Send(new WorkerMessage { Type = WorkerMessage.ProgressType, Progress = p }), token);
                    writer.Send(new WorkerMessage { Type = WorkerMessage.ResultType, Result = result });
                }
                catch (OperationCanceledException)
                {
                    writer.Send(new WorkerMessage { Type = WorkerMessage.CancelledType });
                }
                catch (Exception e)
                {
                    writer.Send(new WorkerMessage { Type = WorkerMessage.ErrorType, Error = WorkerError.From(e) });
                }
                finally
                {
                    cancellation.EndRun();
                }
            }
        }

        return 0;
    }

    private static void Quantize(QuantizeOrder order, MessageWriter writer)
    {
        try
        {
            ModelQuantizer.Run(order);
            writer.Send(new WorkerMessage { Type = WorkerMessage.QuantizedType });
        }
        catch (Exception e)
        {
            writer.Send(new WorkerMessage { Type = WorkerMessage.ErrorType, Error = WorkerError.From(e) });
        }
    }

    private static void ScorePerplexity(PerplexityOrder order, MessageWriter writer, CancelSignal cancellation)
    {
        CancellationToken token = cancellation.BeginRun();
        try
        {
            PerplexityMeasurement result = PerplexityScorer.Measure(order, (done, all) => writer.Send(new WorkerMessage
            {
                Type = WorkerMessage.ProgressType, Progress = new RunProgress("perplexity", done, all),
            }), token);
            writer.Send(new WorkerMessage { Type = WorkerMessage.PerplexityResultType, PerplexityResult = result });
        }
        catch (OperationCanceledException)
        {
            writer.Send(new WorkerMessage { Type = WorkerMessage.CancelledType });
        }
        catch (Exception e)
        {
            writer.Send(new WorkerMessage { Type = WorkerMessage.ErrorType, Error = WorkerError.From(e) });
        }
        finally
        {
            cancellation.EndRun();
        }
    }

    private static void Read(TextReader input, BlockingCollection<WorkerMessage> orders, CancelSignal cancellation)
    {
        try
        {
            string? line;
            while ((line = input.ReadLine()) is not null)
            {
                WorkerMessage? message = WorkerMessage.Parse(line);
                if ((message?.Type == WorkerMessage.RunType && message.Run is not null)
                    || (message?.Type == WorkerMessage.QuantizeType && message.Quantize is not null)
                    || (message?.Type == WorkerMessage.PerplexityType && message.Perplexity is not null))
                {
                    orders.Add(message);
                }
                else if (message?.Type == WorkerMessage.CancelType)
                {
                    cancellation.Cancel();
                }
            }
        }
        catch (IOException)
        {
            // The host went away: same as end of input.
        }

        // No host, nobody to report to: stop what runs and leave.
        cancellation.Close();
        orders.CompleteAdding();
    }

    /// <summary>
    /// The hello line, written by hand: the serializer's first use builds its view of every message type by
    /// reflection, and even Utf8JsonWriter's default encoder sets up tables the JIT must compile; either took
    /// longer than the rest of the worker's start. <see cref="WorkerMessage.Parse"/> reads it like any message.
    /// </summary>
    internal static string HelloLine(WorkerHello hello)
    {
        var json = new StringBuilder(1024);
        json.Append("{\"Type\":");
        Quote(json, WorkerMessage.HelloType);
        json.Append(",\"Hello\":{\"ProcessId\":").Append(hello.ProcessId.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"LlamaVersion\":");
        Quote(json, hello.LlamaVersion);
        json.Append(",\"Backend\":");
        Quote(json, hello.Backend);
        json.Append(",\"NativeDirectory\":");
        Quote(json, hello.NativeDirectory);
        json.Append(",\"ChatTemplates\":[");
        for (int i = 0; i < hello.ChatTemplates.Length; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            Quote(json, hello.ChatTemplates[i]);
        }

        return json.Append("]}}").ToString();
    }

    /// <summary>
    /// The hello on <paramref name="line"/>, read without the reflection-based serializer (whose first use in the
    /// host took longer than the worker's whole start), or null when the line is not a hello.
    /// </summary>
    internal static WorkerMessage? ReadHello(string line)
    {
        if (!line.StartsWith("{\"Type\":\"hello\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement hello = document.RootElement.GetProperty(nameof(WorkerMessage.Hello));
            JsonElement templates = hello.GetProperty(nameof(WorkerHello.ChatTemplates));
            var names = new string[templates.GetArrayLength()];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = templates[i].GetString() ?? string.Empty;
            }

            return new WorkerMessage
            {
                Type = WorkerMessage.HelloType,
                Hello = new WorkerHello(hello.GetProperty(nameof(WorkerHello.ProcessId)).GetInt32(),
                    hello.GetProperty(nameof(WorkerHello.LlamaVersion)).GetString() ?? string.Empty,
                    hello.GetProperty(nameof(WorkerHello.Backend)).GetString() ?? string.Empty,
                    hello.GetProperty(nameof(WorkerHello.NativeDirectory)).GetString() ?? string.Empty,
                    names),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A JSON string: quotes, backslashes and control characters escaped, everything else as it is.</summary>
    private static void Quote(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case < ' ':
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    json.Append(c);
                    break;
            }
        }

        json.Append('"');
    }

    /// <summary>Serialises whole lines from the run thread and progress callbacks.</summary>
    private sealed class MessageWriter(TextWriter output)
    {
        public void Send(WorkerMessage message) => Send(message.ToLine());

        public void Send(string line)
        {
            lock (this)
            {
                try
                {
                    output.WriteLine(line);
                    output.Flush();
                }
                catch (IOException)
                {
                    // The host closed the pipe; the reader sees end of input and the loop ends.
                }
            }
        }
    }

    /// <summary>
    /// A cancel applies to the run in progress, or to the next one when it arrives between runs (the host sends
    /// cancel only while it waits for a run, so a cancel never belongs to a run that has not been asked for).
    /// </summary>
    private sealed class CancelSignal
    {
        private CancellationTokenSource? _current;
        private bool _pending;
        private bool _closed;

        public CancellationToken BeginRun()
        {
            lock (this)
            {
                _current = new CancellationTokenSource();
                if (_pending || _closed)
                {
                    _current.Cancel();
                }

                _pending = false;
                return _current.Token;
            }
        }

        public void EndRun()
        {
            lock (this)
            {
                _current?.Dispose();
                _current = null;
            }
        }

        public void Cancel()
        {
            lock (this)
            {
                if (_current is null)
                {
                    _pending = true;
                }
                else
                {
                    _current.Cancel();
                }
            }
        }

        public void Close()
        {
            lock (this)
            {
                _closed = true;
                _current?.Cancel();
            }
        }
    }
}
