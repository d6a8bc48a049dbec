using System.Text.Json;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>
/// Quality in the benchmark (issue 14): a plan's quality section is checked when the plan is read, scores each model
/// once as edgelm quality does, and its figures reach every run, the summaries, the Pareto front and the cost rows.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class PlanQualityTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _folder = new();

    public PlanQualityTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _folder.Dispose();

    private static string Text => Path.Combine(Repository.Root, "examples", "quality-text.txt");

    private const string Synthetic = "models:\n  - synthetic: tiny\n    quantizations: [Q4_0]\n";

    [Theory]
    [InlineData(Synthetic + "quality: {context: 64}\n", "PlanQualityText", "line 4, column 10", "quality needs 'text'")]
    [InlineData(Synthetic + "quality: {text: missing.txt}\n", "PlanQualityText", "line 4, column 17", "missing.txt does not exist")]
    [InlineData(Synthetic + "quality: {text: /dev/zero}\n", "PlanQualityText", "line 4, column 17", "is a character device")]
    [InlineData(Synthetic + "quality: {text: TEXT, context: 4}\n", "PlanOutOfRange", "line 4, column", "quality context: a context of 4 tokens is outside 8..32768")]
    [InlineData(Synthetic + "quality: {text: TEXT, chunks: 0}\n", "PlanOutOfRange", "line 4, column", "quality chunks: chunks must be at least 1")]
    [InlineData(Synthetic + "quality: {text: TEXT, reference: Q9_9}\n", "PlanUnknownQuantization", "line 4, column", "the quality reference 'Q9_9' is no quantization")]
    [InlineData(Synthetic + "quality: {text: TEXT, reference: missing.gguf}\n", "PlanModelNotFound", "line 4, column", "quality reference: ")]
    [InlineData(Synthetic + "quality: {text: TEXT, refrence: F16}\n", "PlanInvalid", "line 4, column", "unknown key 'refrence'; the keys here are text, context, chunks, reference, gpuLayers")]
    [InlineData(Synthetic + "    reference: F16\n", "PlanQualityMissing", "line 4, column 16", "the plan measures no quality")]
    [InlineData("models:\n  - path: MODEL\nquality: {text: TEXT, reference: Q8_0}\n", "PlanInvalidModel", "line 3, column", "has no Q8_0 reference: the plan holds no Q8_0 file of 'synthetic-tiny'")]
    [InlineData("models:\n  - path: MODEL\nquality: {text: TEXT, reference: OTHER}\n", "PlanInvalidModel", "line 3, column", "has a vocabulary of 600 tokens and models[0] (tiny-f16.gguf) 512")]
    public void ABadQualitySectionIsRefusedWhereItIs(string yaml, string errorId, string where, string what)
    {
        string other = _folder.File("other.gguf");
        if (!File.Exists(other))
        {
            SyntheticModelBuilder.Create(new SyntheticModelRequest { Shape = SyntheticShapes.Get("tiny") with { VocabularySize = 600 }, Quantization = "F16", OutputPath = other });
        }

        string plan = _folder.File("plan.yaml");
        File.WriteAllText(plan, yaml.Replace("MODEL", _tiny.Path).Replace("TEXT", Text).Replace("OTHER", other));

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Read(plan));

        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains($"{plan} {where}", e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void AQuantizationNamesTheSameModelInItAndAPathNamesAFile()
    {
        string q4 = _folder.File("tiny-q4_0.gguf");
        Assert.Equal(0, ProcessRunner.Edgelm("model", "quantize", "--model", _tiny.Path, "--quantization", "Q4_0", "--out", q4, "--format", "json").Exit);
        string plan = _folder.File("plan.yaml");
        File.WriteAllText(plan, $"models:\n  - path: {q4}\n  - path: {_tiny.Path}\n  - synthetic: tiny\n    quantizations: [Q4_0, Q8_0]\n"
            + $"  - synthetic: tiny\n    quantizations: [Q5_0]\n    reference: {_tiny.Path}\nquality:\n  text: {Text}\n  reference: F16\n");
        LoadedPlan loaded = PlanReader.Read(plan);

        IReadOnlyList<ModelChoice?> references = QualityReferences.Resolve(loaded.Plan, loaded.Folder, new ThrowingSource());

        // The F16 file of the same model name, the file itself, the shape in F16, and the entry's own path.
        Assert.Equal(new ModelChoice(_tiny.Path, null, null), references[0]);
        Assert.Equal(new ModelChoice(_tiny.Path, null, null), references[1]);
        Assert.Equal(new ModelChoice(null, "tiny", "F16"), references[2]);
        Assert.Equal(new ModelChoice(_tiny.Path, null, null), references[3]);
    }

    [Fact]
    public void ASweepMeasuresQualityOnlyWithAText()
    {
        var sweep = new BenchmarkSweep { Models = new[] { _tiny.Path }, QualityReference = "F16" };

        var e = Assert.Throws<EdgeLmArgumentException>(() => sweep.ToPlan());

        Assert.Equal("QualityTextMissing", e.ErrorId);
        Assert.Equal(Text, (sweep with { QualityText = Text }).ToPlan().Plan.Quality!.Text);
    }

    /// <summary>
    /// The real thing through edgelm: a synthetic Q4_0 and its F16, scored once each before the speed runs. Every run
    /// carries its model's figures, the same figures edgelm quality gives for the same model, text and reference; the
    /// reference carries KL divergence 0; a resumed plan reuses the figures in the file instead of scoring again.
    /// </summary>
    [Fact]
    public void APlanScoresEachModelOnceAndEveryRunCarriesItsFigures()
    {
        string cache = _folder.File("models");
        // A cache of its own, so the reference's log-probabilities can be seen to be removed.
        var environment = new Dictionary<string, string> { ["EDGELM_CACHE_DIR"] = _folder.File("cache") };
        string edgelm = Path.Combine(AppContext.BaseDirectory, "edgelm.dll");
        (int Exit, string Out, string Err) Edgelm(params string[] args) => ProcessRunner.Run("dotnet", args.Prepend(edgelm), environment);
        string plan = _folder.File("quality.yaml");
        File.WriteAllText(plan, $"models:\n  - synthetic: tiny\n    quantizations: [Q4_0, F16]\nthreads: [1]\npromptTokens: [8]\ngenerationTokens: [4]\n"
            + $"repetitions: 2\nwarmups: 0\nmodelCache: {cache}\nquality:\n  text: {Text}\n  context: 64\n  chunks: 2\n  reference: F16\n");
        string results = _folder.File("quality.jsonl");

        var run = Edgelm("bench", "--plan", plan, "--out", results, "--format", "json", "--verbose");

        Assert.True(run.Exit == 0, run.Err);
        InferenceResult[] rows = File.ReadAllLines(results).Select(l => JsonSerializer.Deserialize<InferenceResult>(l)!).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.All(rows, r => Assert.True(r.SyntheticWeights));
        Assert.All(rows, r => Assert.Equal("synthetic-tiny F16", r.QualityReference));
        Assert.All(rows, r => Assert.Equal(64, r.QualityContextSize));
        Assert.All(rows, r => Assert.Equal(2, r.QualityChunks));
        InferenceResult q4 = rows.First(r => r.Quantization == "Q4_0");
        InferenceResult f16 = rows.First(r => r.Quantization == "F16");
        Assert.Equal(0, f16.KlDivergenceMean);
        Assert.Equal(100, f16.SameTopPercent);
        Assert.Equal(1, f16.PerplexityRatio);
        Assert.True(q4.KlDivergenceMean > 0, $"a Q4_0 differs from its F16: KLD {q4.KlDivergenceMean}");

        // edgelm quality on the same files gives the same figures: the plan measures what the command measures.
        var alone = Edgelm("quality", "--model", q4.ModelPath, "--reference-model", f16.ModelPath, "--text", Text,
            "--context", "64", "--chunks", "2", "--format", "json");
        Assert.True(alone.Exit == 0, alone.Err);
        using JsonDocument quality = JsonDocument.Parse(alone.Out);
        Assert.Equal(quality.RootElement.GetProperty("Perplexity").GetDouble(), q4.Perplexity);
        Assert.Equal(quality.RootElement.GetProperty("KlDivergenceMean").GetDouble(), q4.KlDivergenceMean);
        Assert.Equal(quality.RootElement.GetProperty("SameTopPercent").GetDouble(), q4.SameTopPercent);
        // The reference's perplexity as the comparison reads it from its saved 16-bit log-probabilities: close, not equal.
        Assert.Equal(1, quality.RootElement.GetProperty("ReferencePerplexity").GetDouble() / f16.Perplexity!.Value, 4);

        // Each model scored once (the reference once, saving its log-probabilities), and the files removed after.
        Assert.Equal(2, Contexts64(run.Err));
        Assert.Empty(Directory.GetFiles(Path.Combine(environment["EDGELM_CACHE_DIR"], "quality")));

        // Resumed without the Q4_0's second run: its figures come back from the file, nothing is scored again.
        Assert.Equal("Q4_0", rows[1].Quantization);
        File.WriteAllLines(results, File.ReadAllLines(results).Where((_, i) => i != 1));
        var resumed = Edgelm("bench", "--plan", plan, "--out", results, "--resume", "--format", "json", "--verbose");
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Equal(0, Contexts64(resumed.Err));
        InferenceResult again = JsonSerializer.Deserialize<InferenceResult>(File.ReadAllLines(results)[^1])!;
        Assert.Equal(rows.First(r => r.Quantization == again.Quantization).KlDivergenceMean, again.KlDivergenceMean);
        Assert.Equal(rows.First(r => r.Quantization == again.Quantization).Perplexity, again.Perplexity);
    }

    // A perplexity context as llama.cpp's verbose log announces it: one batch of the plan's quality.context (64 tokens);
    // the speed runs' contexts batch 512.
    private static int Contexts64(string log) => System.Text.RegularExpressions.Regex.Matches(log, @"llama_context: n_batch +=  *64\b").Count;

    private sealed class ThrowingSource : IPlanSource
    {
        public bool Has(string key) => true;

        public EdgeLmException Error(string errorId, string message, params object[] path) => throw new InvalidOperationException(message);
    }
}
