using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Host;
using EdgeLm.Core.Models;
using EdgeLm.Core.Settings;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Fit;

/// <summary>
/// The memory model against the real worker: predicted PeakRssBytes within 5% of the measured peak for a subset of
/// bench/fit's cells (the bench prints all of them). Each run's prompt fills a micro-batch, as the prediction assumes.
/// </summary>
public sealed class FitAccuracyTests
{
    [Theory]
    [InlineData("tiny", "Q4_0")]
    [InlineData("tiny", "Q8_0")]
    [InlineData("smollm2-135m", "Q4_0")]
    [InlineData("smollm2-135m", "Q8_0")]
    public void PredictedPeakIsWithinFivePercentOfTheWorkersPeak(string shape, string quantization)
    {
        using var folder = new TempFolder();
        string path = folder.File($"{shape}-{quantization}.gguf");
        SyntheticModelBuilder.Create(new SyntheticModelRequest { Shape = SyntheticShapes.Get(shape), Quantization = quantization, OutputPath = path });
        foreach (int context in new[] { 512, 2048 })
        {
            // A fresh worker per context, as bench/fit runs each cell: a second context in the same process starts
            // from the first one's freed but still resident heap.
            using var host = new InferenceHost(TestWorker.With());
            InferenceResult measured = host.Run(new RunSettings
            {
                ModelPath = path, PromptTokens = Math.Min(512, context - 4), MaxTokens = 4, ContextSize = context,
            }).Single();
            FitPrediction predicted = FitCheck.Predict(new FitRequest { ModelPath = path, ContextSize = context, MemoryBytes = 1L << 34 }).Single();

            Assert.Equal("run", measured.PeakRssScope);
            // llama.cpp's own KV figure is the model's, to its 0.01 MiB log precision.
            Assert.InRange(predicted.PredictedKvCacheBytes - measured.KvCacheBytes, -5243, 5243);
            double error = 100.0 * (predicted.PredictedPeakRssBytes - measured.PeakRssBytes!.Value) / measured.PeakRssBytes.Value;
            Assert.True(Math.Abs(error) <= 5, $"{shape} {quantization} ctx {context}: predicted {predicted.PredictedPeakRssBytes}, measured {measured.PeakRssBytes} ({error:+0.0;-0.0}%)");
        }
    }
}
