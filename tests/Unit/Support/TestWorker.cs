using EdgeLm.Core.Host;

namespace EdgeLm.Tests.Support;

/// <summary>The worker the tests start: the CLI assembly built beside them, run by the dotnet host running them.</summary>
internal static class TestWorker
{
    public static WorkerLaunch Launch { get; } = WorkerLaunch.Dotnet(Path.Combine(AppContext.BaseDirectory, "edgelm.dll"))
        ?? throw new InvalidOperationException("no dotnet host found for the test worker");

    /// <summary><paramref name="options"/> (or new ones) with the test worker when they name none.</summary>
    public static InferenceHostOptions With(InferenceHostOptions? options = null)
    {
        options ??= new InferenceHostOptions();
        options.Worker ??= Launch;
        return options;
    }
}
