using EdgeLm.Core.Settings;

namespace EdgeLm.Core.Worker;

/// <summary>
/// One run sent to a model session (over the worker protocol, or in process): the host's resolved settings,
/// unchanged, and the chat template text to apply (a built-in name or the model's own template; null for none).
/// </summary>
internal sealed record RunOrder(RunSettings Settings, string? ChatTemplate);

/// <summary>Where a run is, for progress displays: loading, prefill or decode with tokens so far.</summary>
internal sealed record RunProgress(string Phase, int Tokens, int MaxTokens);
