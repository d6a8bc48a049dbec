namespace EdgeLm.Core.Perplexity;

/// <summary>
/// How llama-perplexity (tools/perplexity/perplexity.cpp of llama.cpp 0.5.0, perplexity()) cuts a text into chunks:
/// the text's tokens (BOS included when the model adds one) are split into non-overlapping chunks of the context
/// size, whatever is left over after the last whole chunk is dropped, each chunk is evaluated from an empty KV cache
/// with its first token replaced by BOS when the model adds one, and only the second half is scored: the logits at
/// positions first = n_ctx/2 .. n_ctx-2 against the tokens at first+1 .. n_ctx-1, n_ctx - 1 - n_ctx/2 per chunk.
/// </summary>
internal static class PerplexityChunks
{
    /// <summary>The first position whose logits are scored (llama-perplexity's <c>first = n_ctx/2</c>).</summary>
    public static int First(int contextSize) => contextSize / 2;

    /// <summary>Tokens scored in one chunk (<c>n_ctx - first - 1</c>).</summary>
    public static int ScoredPerChunk(int contextSize) => contextSize - First(contextSize) - 1;

    /// <summary>The chunks evaluated: whole chunks of the text, at most <paramref name="requested"/> when given.</summary>
    public static int Count(int textTokens, int contextSize, int? requested)
    {
        int whole = textTokens / contextSize;
        return requested is int n ? Math.Min(n, whole) : whole;
    }

    /// <summary>
    /// The tokens decoded for chunk <paramref name="chunk"/>: n_ctx tokens from chunk * n_ctx, the first replaced by
    /// <paramref name="bos"/> when the model adds BOS (as llama-perplexity does for the first batch of each chunk).
    /// </summary>
    public static int[] ChunkTokens(IReadOnlyList<int> tokens, int chunk, int contextSize, bool addBos, int bos)
    {
        var result = new int[contextSize];
        int start = chunk * contextSize;
        for (int k = 0; k < contextSize; k++)
        {
            result[k] = tokens[start + k];
        }

        if (addBos)
        {
            result[0] = bos;
        }

        return result;
    }
}

/// <summary>
/// llama-perplexity's sums: the negative log-likelihood of each scored token and its square, and its final figures
/// (<c>Final estimate: PPL = x +/- y</c>): PPL = exp(mean NLL); y = PPL * sqrt((mean NLL² - mean NLL²) / (count - 1)),
/// the standard error of the mean NLL carried through exp. Arithmetic is llama.cpp's, type for type (float logits and
/// maximum, float exponentials summed in double, the log in double), so the figures agree to the last digits printed.
/// </summary>
internal sealed class PerplexityAccumulator
{
    public double SumNll { get; private set; }
    public double SumNll2 { get; private set; }
    public int Count { get; private set; }

    /// <summary>Adds the token <paramref name="token"/> given the logits of the position before it.</summary>
    public void Add(ReadOnlySpan<float> logits, int token)
    {
        double v = NegativeLogLikelihood(logits, token);
        SumNll += v;
        SumNll2 += v * v;
        Count++;
    }

    /// <summary>Adds an NLL computed elsewhere (tests, and the KL pass which computes it alongside).</summary>
    public void Add(double nll)
    {
        SumNll += nll;
        SumNll2 += nll * nll;
        Count++;
    }

    /// <summary>-log softmax(logits)[token], as llama-perplexity's log_softmax computes it.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> logits, int token)
    {
        if ((uint)token >= (uint)logits.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token id outside the vocabulary of {logits.Length}");
        }

        float max = logits[0];
        for (int i = 1; i < logits.Length; i++)
        {
            max = Math.Max(max, logits[i]);
        }

        double sumExp = 0.0;
        for (int i = 0; i < logits.Length; i++)
        {
            sumExp += MathF.Exp(logits[i] - max);
        }

        // C: logits[tok] - max_logit - log(sum_exp): a float difference, then minus a double.
        float shifted = logits[token] - max;
        return -(shifted - Math.Log(sumExp));
    }

    /// <summary>exp(mean NLL).</summary>
    public double Perplexity => Count == 0 ? double.NaN : Math.Exp(SumNll / Count);

    /// <summary>llama-perplexity's "+/-": PPL times the standard error of the mean NLL; NaN under two tokens.</summary>
    public double Uncertainty
    {
        get
        {
            if (Count < 2)
            {
                return double.NaN;
            }

            double mean = SumNll / Count;
            double variance = SumNll2 / Count - mean * mean;
            return Math.Sqrt(Math.Max(variance, 0) / (Count - 1)) * Math.Exp(mean);
        }
    }
}
