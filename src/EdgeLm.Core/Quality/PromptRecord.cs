namespace EdgeLm.Core.Quality;

/// <summary>The prompt-check records, made in one place from a run's record, the prompt and its checks.</summary>
internal static class PromptRecord
{
    public static PromptCheckResult Build(InferenceResult run, LoadedSuite suite, LoadedPrompt prompt, bool synthetic)
    {
        IReadOnlyList<string> failures = PromptChecks.Failures(prompt.Checks, run.Output, run.GeneratedTokens);
        return new PromptCheckResult
        {
            ModelName = run.ModelName,
            ModelPath = run.ModelPath,
            ModelSha256 = run.ModelSha256,
            Quantization = run.Quantization,
            SyntheticWeights = synthetic,
            DeviceName = run.DeviceName,
            Timestamp = run.Timestamp,
            Suite = suite.Name,
            PromptId = prompt.Id,
            Prompt = prompt.Prompt,
            SystemPrompt = prompt.SystemPrompt,
            ChatTemplate = run.ChatTemplate,
            Temperature = run.Temperature,
            Seed = run.Seed,
            RequestedTokens = run.RequestedTokens,
            Passed = failures.Count == 0,
            Checks = prompt.Checks.Count,
            FailedChecks = failures.Count == 0 ? null : string.Join("; ", failures),
            Output = run.Output,
            GeneratedTokens = run.GeneratedTokens,
            StoppedAtEos = run.StoppedAtEos,
            TimeToFirstTokenMs = run.TimeToFirstTokenMs,
            TotalMs = run.TotalMs,
            DecodeTokensPerSecond = run.DecodeTokensPerSecond,
        };
    }

    public static PromptSuiteSummary Summarize(IReadOnlyList<PromptCheckResult> records, LoadedSuite suite, ModelInfo info, bool synthetic, string? referencePath)
    {
        int passed = records.Count(r => r.Passed);
        return new PromptSuiteSummary
        {
            ModelName = info.ModelName,
            ModelPath = info.ModelPath,
            ModelSha256 = records.FirstOrDefault()?.ModelSha256 ?? string.Empty,
            Quantization = info.Quantization,
            SyntheticWeights = synthetic,
            Suite = suite.Name,
            Prompts = records.Count,
            Passed = passed,
            Failed = records.Count - passed,
            PassRate = records.Count == 0 ? 0 : (double)passed / records.Count,
            GeneratedTokens = records.Sum(r => r.GeneratedTokens),
            TotalMs = records.Sum(r => r.TotalMs),
            ReferenceModelPath = referencePath,
            ChangedOutputs = referencePath is null ? null : records.Count(r => r.OutputChanged == true),
        };
    }
}
