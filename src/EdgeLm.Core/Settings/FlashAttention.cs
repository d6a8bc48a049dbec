namespace EdgeLm.Core.Settings;

/// <summary>When llama.cpp uses flash attention (llama_flash_attn_type).</summary>
public enum FlashAttention
{
    Auto = -1,
    Off = 0,
    On = 1,
}
