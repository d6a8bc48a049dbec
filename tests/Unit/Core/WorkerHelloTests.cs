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

    [Theory]
    [InlineData("/home/ü ser/\"quoted\"/back\\slash")]
    [InlineData("")]
    public void TheHostReadsTheHelloWithoutTheSerializer(string text)
    {
        var hello = new WorkerHello(9, "0.5.0" + text, "cpu:zen4", text, new[] { "chatml", text });

        WorkerMessage? message = WorkerServer.ReadHello(WorkerServer.HelloLine(hello));

        Assert.Equal(WorkerMessage.HelloType, message!.Type);
        Assert.Equal(hello with { ChatTemplates = message.Hello!.ChatTemplates }, message.Hello);
        Assert.Equal(hello.ChatTemplates, message.Hello.ChatTemplates);
    }

    [Theory]
    [InlineData("{\"Type\":\"error\",\"Error\":{\"Kind\":\"native\",\"ErrorId\":\"X\",\"Message\":\"m\"}}")]
    [InlineData("{\"Type\":\"hello\",\"Hello\":{\"ProcessId\":\"not a number\"}}")]
    [InlineData("{\"Type\":\"hello\"")]
    [InlineData("llama.cpp printed this")]
    public void AnythingElseIsLeftToTheSerializer(string line)
    {
        Assert.Null(WorkerServer.ReadHello(line));
    }
}
