namespace EdgeLm.Core.Models;

/// <summary>
/// One quantization, checked and ready for llama.cpp: the input GGUF, the file to write, llama.cpp's file type id,
/// and its threads (0: every hardware thread). It travels to the worker as it is.
/// </summary>
internal sealed record QuantizeOrder(string InputPath, string OutputPath, int FileType, int Threads);
