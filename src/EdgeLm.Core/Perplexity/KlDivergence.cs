using System.Runtime.InteropServices;

namespace EdgeLm.Core.Perplexity;

/// <summary>The figures against a reference, as llama-perplexity --kl-divergence prints them (Δp and same-top in percent).</summary>
internal sealed record KlDivergenceFigures(
    double ReferencePerplexity, double PerplexityRatio, double PerplexityRatioUncertainty,
    double KlDivergenceMean, double KlDivergenceUncertainty, double KlDivergenceMedian, double KlDivergenceP99, double KlDivergenceMax,
    double DeltaPMeanPercent, double DeltaPUncertaintyPercent, double DeltaPRmsPercent, double DeltaPRmsUncertaintyPercent,
    double SameTopPercent, double SameTopUncertaintyPercent, int Tokens);

/// <summary>
/// llama-perplexity's kl_divergence sums (tools/perplexity/perplexity.cpp, kl_divergence_result and the log_softmax
/// that takes a reference row), arithmetic type for type, and its final statistics (mean_and_uncertainty, covariance,
/// its median and percentile). Each token keeps one float KLD and one float Δp for the median and percentiles: 8 bytes
/// a token, never the logits.
/// </summary>
internal sealed class KlDivergenceAccumulator
{
    private double _sumNll, _sumNll2, _sumNllBase, _sumNllBase2, _sumNllNllBase, _sumKld, _sumKld2, _sumPDiff, _sumPDiff2, _sumPDiff4;
    private float _maxPDiff;
    private long _sameTop, _count;
    private readonly List<float> _kld = new();
    private readonly List<float> _pDiff = new();

    public long Count => _count;

    /// <summary>Adds one token: the model's logits, the reference's row (<see cref="LogitsFile.Quantize"/>), the target.</summary>
    public void Add(ReadOnlySpan<float> logits, ReadOnlySpan<ushort> baseRow, int token)
    {
        float maxLogit = logits[0];
        int imax = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > maxLogit)
            {
                maxLogit = logits[i];
                imax = i;
            }
        }

        double sumExp = 0.0;
        for (int i = 0; i < logits.Length; i++)
        {
            sumExp += MathF.Exp(logits[i] - maxLogit);
        }

        float logSumExp = (float)Math.Log(sumExp);
        ReadOnlySpan<float> head = MemoryMarshal.Cast<ushort, float>(baseRow[..4]);
        float scale = head[0], minLogProb = head[1];
        ReadOnlySpan<ushort> baseLogProb = baseRow[4..];

        float nll = maxLogit + logSumExp - logits[token];
        _sumNll += nll;
        _sumNll2 += nll * nll;
        float nllBase = -(scale * baseLogProb[token] + minLogProb);
        _sumNllBase += nllBase;
        _sumNllBase2 += nllBase * nllBase;
        _sumNllNllBase += nll * nllBase;

        maxLogit += logSumExp;
        double sum = 0;
        int imaxBase = -1;
        float pLogBaseMax = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float pLogBase = scale * baseLogProb[i] + minLogProb;
            if (i == 0 || pLogBase > pLogBaseMax)
            {
                pLogBaseMax = pLogBase;
                imaxBase = i;
            }

            if (pLogBase > -16f)
            {
                float pBase = MathF.Exp(pLogBase);
                sum += pBase * (pLogBase - logits[i] + maxLogit);
            }
        }

        _sumKld += sum;
        _sumKld2 += sum * sum;
        _count++;
        if (imax == imaxBase)
        {
            _sameTop++;
        }

        float pBaseTarget = MathF.Exp(-nllBase);
        float p = MathF.Exp(-nll);
        float pDiff = p - pBaseTarget;
        _sumPDiff += pDiff;
        double pDiff2 = pDiff * pDiff;
        _sumPDiff2 += pDiff2;
        _sumPDiff4 += pDiff2 * pDiff2;
        _maxPDiff = Math.Max(_maxPDiff, Math.Abs(pDiff));
        _kld.Add((float)sum);
        _pDiff.Add(pDiff);
    }

    public KlDivergenceFigures Figures()
    {
        float[] kld = _kld.ToArray();
        Array.Sort(kld);
        var (logPpl, logPplUnc) = MeanAndUncertainty(_sumNll, _sumNll2, _count);
        var (logBase, logBaseUnc) = MeanAndUncertainty(_sumNllBase, _sumNllBase2, _count);
        double cov = Covariance(_sumNll, _sumNllBase, _sumNllNllBase, _count);
        double ratio = Math.Exp(logPpl - logBase);
        double ratioUnc = ratio * Math.Sqrt(logPplUnc * logPplUnc + logBaseUnc * logBaseUnc - 2.0 * cov);
        var (kldMean, kldUnc) = MeanAndUncertainty(_sumKld, _sumKld2, _count);
        var (pMean, pUnc) = MeanAndUncertainty(_sumPDiff, _sumPDiff2, _count);
        var (mse, mseUnc) = MeanAndUncertainty(_sumPDiff2, _sumPDiff4, _count);
        double rms = Math.Sqrt(mse);
        double rmsUnc = 0.5 / rms * mseUnc;
        double same = _count == 0 ? double.NaN : 1.0 * _sameTop / _count;
        return new KlDivergenceFigures(Math.Exp(logBase), ratio, ratioUnc, kldMean, kldUnc, Median(kld), Percentile(kld, 0.99f),
            kld.Length == 0 ? double.NaN : kld[^1], 100.0 * pMean, 100.0 * pUnc, 100.0 * rms, 100.0 * rmsUnc,
            100.0 * same, 100.0 * Math.Sqrt(same * (1.0 - same) / (_count - 1)), (int)_count);
    }

    /// <summary>llama-perplexity's mean_and_uncertainty: no uncertainty from 10 values or fewer.</summary>
    internal static (double Mean, double Uncertainty) MeanAndUncertainty(double sum, double sum2, long count)
    {
        if (count < 1)
        {
            return (0, 0);
        }

        double f = sum / count;
        double df = sum2 / count - f * f;
        df = df > 0 && count > 10 ? Math.Sqrt(df / (count - 1)) : 0;
        return (f, df);
    }

    private static double Covariance(double sumA, double sumB, double sumAB, long count)
    {
        if (count < 10)
        {
            return 0.0;
        }

        double variance = sumAB / count - (sumA / count) * (sumB / count);
        return variance / (count - 1);
    }

    /// <summary>Its median: the middle value, or the float mean of the middle two.</summary>
    internal static double Median(float[] sorted) => sorted.Length == 0 ? double.NaN
        : sorted.Length % 2 == 0 ? 0.5f * (sorted[sorted.Length / 2] + sorted[sorted.Length / 2 - 1]) : sorted[sorted.Length / 2];

    /// <summary>Its percentile: linear between the two nearest of the sorted values, in float.</summary>
    internal static double Percentile(float[] sorted, float fraction)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        if (fraction <= 0)
        {
            return sorted[0];
        }

        if (fraction >= 1)
        {
            return sorted[^1];
        }

        float p = fraction * (sorted.Length - 1);
        int ip = (int)p;
        p -= ip;
        return (1 - p) * sorted[ip] + p * sorted[Math.Min(ip + 1, sorted.Length - 1)];
    }
}
