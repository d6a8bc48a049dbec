namespace EdgeLm.Core.Models;

/// <summary>
/// Bytes a generated token reads from memory: the weights it multiplies and the KV cache up to its position. The
/// one definition behind InferenceResult.DecodeBytesPerToken and FitPrediction.PredictedDecodeBytesPerToken.
/// </summary>
internal static class DecodeTraffic
{
    public static long BytesPerToken(long decodeWeightBytes, double kvBytesPerPosition, double meanPosition) =>
        decodeWeightBytes + (long)(kvBytesPerPosition * meanPosition);
}
