using EdgeLm.Core.Devices;
using EdgeLm.Core.Host;
using EdgeLm.Core.Models;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Test-EdgeFit / edgelm fit: will a model at a context fit a board, and how fast would it decode there, before
/// anything runs. Memory from <see cref="MemoryModel"/>; targets from the board catalog, this machine's live profile
/// or a size given by hand; measured runs, when given, beside the prediction. Definitions in docs/records.md.
/// </summary>
public static class FitCheck
{
    /// <summary>The largest context asked about; beyond it a number is a typo, not a plan.</summary>
    public const int MaxContext = 1 << 24;

    /// <summary>At or below this share of the available memory a model fits; above it, up to 100%, it is tight.</summary>
    public const double FitsPercent = 90;

    /// <summary>The share of the bandwidth decoding is assumed to reach (docs/records.md says where it comes from).</summary>
    public const double AssumedUtilization = 0.5;

    private const long GiB = 1L << 30;

    /// <summary>What the OS keeps of a board's memory: 1/8 of it, at least 512 MiB (the study saw about 7 of 8 GB usable on an Orin Nano).</summary>
    public static long OsReserve(long totalBytes) => Math.Max(GiB / 2, totalBytes / 8);

    public static IReadOnlyList<FitPrediction> Predict(FitRequest request, CancellationToken cancellationToken = default)
    {
        (ModelFootprint model, string? path) = Footprint(request);
        CheckContext(request.ContextSize, model);
        int targets = (request.Board is null ? 0 : 1) + (request.MemoryBytes is null ? 0 : 1) + (request.ThisDevice ? 1 : 0);
        if (targets > 1)
        {
            throw new EdgeLmArgumentException("FitTwoTargets", "give one target: a catalog board (--board), a memory size (--memory) or this device (--this-device)");
        }

        if (request.MemoryBytes is <= 0)
        {
            throw new EdgeLmArgumentException("FitInvalidMemory", $"--memory {request.MemoryBytes}: a board's memory must be more than 0 bytes, e.g. 8GB = 8589934592");
        }

        if (request.ResultsPaths.Count > 0 && targets == 0)
        {
            throw new EdgeLmArgumentException("FitResultsNeedTarget",
                "results belong to the board they were measured on: name it with --board, or use --this-device or --memory");
        }

        var root = new ProbeRoot();
        IReadOnlyList<BoardEntry> catalog = BoardCatalog.All(root, request.BoardCatalogFile);
        IEnumerable<Target> chosen = request switch
        {
            { Board: string board } => new[] { FromCatalog(Find(catalog, board)) },
            { MemoryBytes: long bytes } => new[] { new Target("memory", "memory", bytes, OsReserve(bytes), null, null, null) },
            { ThisDevice: true } => new[] { Live(request, catalog, cancellationToken) },
            _ => catalog.Select(FromCatalog),
        };
        InferenceResult[] runs = request.ResultsPaths.SelectMany(ResultFiles.Import).ToArray();
        return chosen.Select(t => Row(model, path, request.ContextSize, t, runs)).ToArray();
    }

    private static (ModelFootprint, string?) Footprint(FitRequest request)
    {
        if (request.ModelPath is string file)
        {
            if (request.Shape is not null)
            {
                throw new EdgeLmArgumentException("FitModelAndShape", $"give --model {file} or --shape {request.Shape}, not both");
            }

            GgufFile gguf = GgufReader.Read(file);
            Hyperparameters.Check(gguf);
            return (ModelFootprint.Of(gguf), gguf.Path);
        }

        if (request.Shape is null || request.Quantization is null)
        {
            throw new EdgeLmArgumentException("FitNoModel", "give a model: --model PATH, or --shape NAME with --quantization TYPE (e.g. --shape llama-3.2-1b --quantization Q4_0)");
        }

        return (SyntheticFootprint.Of(SyntheticShapes.Get(request.Shape), request.Quantization), null);
    }

    private static void CheckContext(int context, ModelFootprint model)
    {
        if (context <= 0 || context > MaxContext)
        {
            throw new EdgeLmArgumentException("FitInvalidContext",
                $"--context {context}: give a context of 1 to {MaxContext} tokens (the model was trained for {model.TrainedContext})");
        }

        if (model.TrainedContext > 0 && context > model.TrainedContext)
        {
            throw new EdgeLmArgumentException("FitContextBeyondTraining",
                $"--context {context} is more than {model.ModelName} was trained for ({model.TrainedContext} tokens), which inference refuses; use --context {model.TrainedContext} or less");
        }
    }

    private static BoardEntry Find(IReadOnlyList<BoardEntry> catalog, string name) =>
        catalog.FirstOrDefault(e => string.Equals(e.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new EdgeLmArgumentException("UnknownBoard",
            $"--board '{name}' is not in the board catalog; use one of: {string.Join("; ", catalog.Select(e => e.Name))} (or --memory BYTES)");

    private static Target FromCatalog(BoardEntry entry)
    {
        long? total = entry.MemoryGb is double gb ? (long)(gb * GiB) : null;
        return new Target(entry.Name, "catalog", total, total is long t ? OsReserve(t) : null,
            entry.BandwidthGBps is double g ? Math.Round(g * 1e9) : null, entry.BandwidthSource, entry.TdpWatts);
    }

    // This machine: MemAvailable already leaves out the OS and every other process; the bandwidth is the one
    // measured here (Get-DeviceProfile -MeasureBandwidth), else the catalog's for the board it matched.
    private static Target Live(FitRequest request, IReadOnlyList<BoardEntry> catalog, CancellationToken cancellationToken)
    {
        DeviceProfile profile = DeviceProfiles.Read(new DeviceProbeOptions
        {
            BoardCatalogFile = request.BoardCatalogFile,
            NativeDirectory = request.NativeDirectory,
        }, cancellationToken);
        BoardEntry? entry = catalog.FirstOrDefault(e => e.Name == profile.CatalogEntry);
        (double? bandwidth, string? source) = profile.MemoryBandwidthBytesPerSecond is double measured
            ? ((double?)measured, "measured here (Get-DeviceProfile -MeasureBandwidth)")
            : (entry?.BandwidthGBps is double g ? Math.Round(g * 1e9) : (double?)null, entry?.BandwidthSource);
        long? reserve = profile.TotalMemoryBytes - profile.AvailableMemoryBytes;
        return new Target(profile.DeviceName, "device", profile.TotalMemoryBytes, reserve, bandwidth, source, profile.TdpWatts);
    }

    private static FitPrediction Row(ModelFootprint model, string? path, int context, Target target, InferenceResult[] runs)
    {
        MemoryPrediction memory = MemoryModel.Predict(model, context);
        long? available = target.TotalBytes - target.ReserveBytes;
        double? percent = available > 0 ? 100.0 * memory.PeakRssBytes / available : null;
        long bytesPerToken = DecodeTraffic.BytesPerToken(model.DecodeWeightBytes, model.KvBytesPerCell, context / 2.0);
        double? rate = target.BandwidthBytesPerSecond * AssumedUtilization / bytesPerToken;
        var row = new FitPrediction
        {
            ModelName = model.ModelName,
            ModelPath = path,
            Quantization = model.Quantization,
            ContextSize = context,
            Target = target.Name,
            TargetSource = target.Source,
            TotalMemoryBytes = target.TotalBytes,
            OsReserveBytes = target.ReserveBytes,
            AvailableMemoryBytes = available,
            PredictedWeightsBytes = memory.WeightsBytes,
            PredictedRepackBytes = memory.RepackBytes,
            PredictedKvCacheBytes = memory.KvCacheBytes,
            PredictedComputeBytes = memory.ComputeBytes,
            PredictedOverheadBytes = memory.OverheadBytes,
            PredictedPeakRssBytes = memory.PeakRssBytes,
            MemoryUsePercent = percent,
            Verdict = percent switch
            {
                null => "unknown",
                <= FitsPercent => "fits",
                <= 100 => "tight",
                _ => "does not fit",
            },
            MaxContextThatFits = available is long a ? LargestContext(model, a) : null,
            MemoryBandwidthBytesPerSecond = target.BandwidthBytesPerSecond,
            BandwidthSource = target.BandwidthSource,
            AssumedBandwidthUtilization = target.BandwidthBytesPerSecond is null ? null : AssumedUtilization,
            PredictedDecodeBytesPerToken = bytesPerToken,
            PredictedDecodeTokensPerSecond = rate,
            PredictedPowerWatts = rate is null ? null : target.Watts,
            PredictedJoulesPerToken = target.Watts / rate,
        };
        Measured(row, runs);
        return row;
    }

    /// <summary>The largest context, in whole 256-cell blocks up to the trained context, whose predicted peak is within the available memory.</summary>
    internal static int? LargestContext(ModelFootprint model, long available)
    {
        int limit = model.TrainedContext > 0 ? model.TrainedContext : MaxContext;
        int Blocks(int context) => context / MemoryModel.CellPadding;
        bool Fits(int blocks) => MemoryModel.Predict(model, blocks * MemoryModel.CellPadding).PeakRssBytes <= available;
        int low = 0, high = Blocks(limit);
        if (high == 0)
        {
            return Fits(1) && limit > 0 ? limit : null;
        }

        // Predicted memory grows with the context: the last block count that fits, by bisection.
        while (low < high)
        {
            int middle = low + (high - low + 1) / 2;
            if (Fits(middle))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low == 0 ? null : low * MemoryModel.CellPadding;
    }

    private static void Measured(FitPrediction row, InferenceResult[] runs)
    {
        InferenceResult[] same = runs.Where(r => !r.Warmup && r.ContextSize == row.ContextSize
            && string.Equals(r.ModelName, row.ModelName, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.Quantization, row.Quantization, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (runs.Length == 0)
        {
            return;
        }

        row.MeasuredRuns = same.Length;
        row.MeasuredPeakRssBytes = Median(same.Select(r => (double?)r.PeakRssBytes)) is double rss ? (long)rss : null;
        // The prediction assumes a prompt that fills a micro-batch; runs with a shorter prompt (and no deeper context)
        // touch that share of the compute activations, so they are compared with the prediction for what they ran.
        int fullBatch = Math.Max(1, Math.Min(MemoryModel.MicroBatch, row.ContextSize));
        int ran = same.Length == 0 ? fullBatch : (int)Math.Min(fullBatch, same.Max(r => Math.Max(r.PromptTokens, r.DepthTokens)));
        row.PredictedPeakRssForRunsBytes = row.PredictedPeakRssBytes - row.PredictedComputeBytes + row.PredictedComputeBytes * ran / fullBatch;
        row.PeakRssErrorPercent = row.MeasuredPeakRssBytes is long m && m > 0 ? 100.0 * (row.PredictedPeakRssForRunsBytes.Value - m) / m : null;
        row.MeasuredDecodeTokensPerSecond = Median(same.Select(r => r.DecodeTokensPerSecond));
        row.MeasuredJoulesPerToken = Median(same.Select(r => r.JoulesPerToken));
    }

    private static double? Median(IEnumerable<double?> values)
    {
        double[] known = values.Where(v => v is > 0).Select(v => v!.Value).Order().ToArray();
        return known.Length == 0 ? null : Percentiles.Of(known, 50);
    }

    private sealed record Target(string Name, string Source, long? TotalBytes, long? ReserveBytes, double? BandwidthBytesPerSecond,
        string? BandwidthSource, double? Watts);
}
