using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace EdgeLm.Tests.Support;

/// <summary>
/// One WebSocket to a Chrome DevTools Protocol target: commands answered by id, events handed to a callback.
/// Sessions of attached targets (iframes in their own process, workers) share the socket ("flatten" mode), so every
/// command and event carries an optional session id.
/// </summary>
internal sealed class DevToolsConnection : IDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly Action<string, JsonElement, string?> onEvent;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    // ClientWebSocket allows one send at a time; commands come from the caller and from the event callback.
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly CancellationTokenSource closing = new();
    private Task? receiving;
    private int lastId;

    /// <param name="onEvent">Called on the receiving loop with the event's method, params and session id; it must not
    /// wait for a command's answer (that answer is read by the same loop).</param>
    public DevToolsConnection(Action<string, JsonElement, string?> onEvent)
    {
        this.onEvent = onEvent;
        // A proxy from the environment (http_proxy) would take the browser's 127.0.0.1 socket elsewhere.
        socket.Options.Proxy = null;
    }

    public async Task ConnectAsync(Uri target, CancellationToken cancel)
    {
        await socket.ConnectAsync(target, cancel).ConfigureAwait(false);
        receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Sends a command and returns its result; a protocol error becomes an exception naming the method.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters, CancellationToken cancel, string? sessionId = null)
    {
        int id = Interlocked.Increment(ref lastId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var message = new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await sending.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancel).ConfigureAwait(false);
        }
        catch
        {
            pending.TryRemove(id, out _);
            throw;
        }
        finally
        {
            sending.Release();
        }

        using (cancel.Register(() => answer.TrySetCanceled(cancel)))
        {
            JsonElement reply = await answer.Task.ConfigureAwait(false);
            if (reply.TryGetProperty("error", out JsonElement error))
            {
                throw new InvalidOperationException($"DevTools {method} failed: {error.GetRawText()}");
            }

            return reply.TryGetProperty("result", out JsonElement result) ? result : default;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        // Screenshots and whole documents arrive as one message of many megabytes, in many frames.
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        Exception? failure = null;
        try
        {
            while (!closing.IsCancellationRequested)
            {
                message.SetLength(0);
                WebSocketReceiveResult frame;
                do
                {
                    frame = await socket.ReceiveAsync(buffer, closing.Token).ConfigureAwait(false);
                    if (frame.MessageType == WebSocketMessageType.Close)
                    {
                        throw new WebSocketException("Chromium closed the DevTools connection");
                    }

                    message.Write(buffer, 0, frame.Count);
                }
                while (!frame.EndOfMessage);

                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Nothing more will be answered: every command still waiting fails now instead of at the overall timeout.
        foreach (int id in pending.Keys)
        {
            if (pending.TryRemove(id, out var answer))
            {
                answer.TrySetException(new WebSocketException($"the DevTools connection ended: {failure?.Message}", failure));
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> utf8)
    {
        using JsonDocument document = JsonDocument.Parse(utf8);
        JsonElement root = document.RootElement;
        if (root.TryGetProperty("id", out JsonElement id))
        {
            if (pending.TryRemove(id.GetInt32(), out var answer))
            {
                answer.TrySetResult(root.Clone());
            }

            return;
        }

        if (root.TryGetProperty("method", out JsonElement method))
        {
            JsonElement parameters = root.TryGetProperty("params", out JsonElement p) ? p.Clone() : default;
            string? sessionId = root.TryGetProperty("sessionId", out JsonElement s) ? s.GetString() : null;
            onEvent(method.GetString() ?? string.Empty, parameters, sessionId);
        }
    }

    public void Dispose()
    {
        closing.Cancel();
        socket.Abort();
        try
        {
            receiving?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by its own exception when aborted; that exception is already handled there.
        }

        socket.Dispose();
        sending.Dispose();
        closing.Dispose();
    }
}
