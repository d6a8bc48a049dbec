using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
namespace EdgeLm.Core.Host;

/// <summary>Where a request is: run <see cref="Run"/> of <see cref="Runs"/> (warm-ups first), and within it the phase and tokens.</summary>
public sealed record InferenceProgress(string ModelName, int Run, int Runs, bool Warmup, string Phase, int Tokens, int MaxTokens)
{
    /// <summary>Share of the request done, 0 to 1, counting each run as equal.</summary>
    public double Fraction => Runs <= 0 ? 0 : Math.Clamp((Run - 1 + (MaxTokens > 0 ? (double)Tokens / MaxTokens : 0)) / Runs, 0, 1);

    public string Status => $"{(Warmup ? "warm-up" : "run")} {Run} of {Runs}: " + Phase switch
    {
        "decode" => $"token {Tokens} of {MaxTokens}",
        "prefill" => "prompt",
        var other => other,
    };
}
