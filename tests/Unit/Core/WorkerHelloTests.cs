using EdgeLm.Core.Worker;

namespace EdgeLm.Tests.Core;

/// <summary>The worker writes its hello by hand (no serializer on the start path); the host must read it as any message.</summary>
public sealed class WorkerHelloTests
{
    [Fact]
    public void TheHandWrittenHelloIsWhatTheSerializerWrites()
    {
        var hello = new WorkerHello(4242, "0.5.0", "cpu:haswell", "/opt/edgelm/runtimes/linux-x64/native", new[] { "chatml", "llama3", "zephyr" });

        Assert.Equal(new WorkerMessage { Type = WorkerMessage.HelloType, Hello = hello }.ToLine(), WorkerServer.HelloLine(hello));
    }

    [Theory]
    [InlineData("/home/ü ser/\"quoted\"/back\\slash")]
    [InlineData("tab\there, newline\nthere, bell\u0007, <html> & 'apostrophes' +")]
    [InlineData("")]
    public void AnyTextSurvivesTheRoundTrip(string text)
    {
        var hello = new WorkerHello(1, text, "cpu" + text, text, new[] { text, "chatml" });

        WorkerMessage? message = WorkerMessage.Parse(WorkerServer.HelloLine(hello));

        Assert.NotNull(message);
        Assert.Equal(WorkerMessage.HelloType, message.Type);
        Assert.NotNull(message.Hello);
        Assert.Equal(hello.ProcessId, message.Hello.ProcessId);
        Assert.Equal(hello.LlamaVersion, message.Hello.LlamaVersion);
        Assert.Equal(hello.Backend, message.Hello.Backend);
        Assert.Equal(hello.NativeDirectory, message.Hello.NativeDirectory);
        Assert.Equal(hello.ChatTemplates, message.Hello.ChatTemplates);
        Assert.DoesNotContain('\n', WorkerServer.HelloLine(hello));
    }

    [Fact]
    public void NoTemplatesIsAnEmptyList()
    {
        WorkerMessage? message = WorkerMessage.Parse(WorkerServer.HelloLine(new WorkerHello(7, "0.5.0", "cpu", "/x", Array.Empty<string>())));

        Assert.Empty(message!.Hello!.ChatTemplates);
    }
}
