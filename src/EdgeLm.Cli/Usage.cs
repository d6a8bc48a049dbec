namespace EdgeLm.Cli;

internal static class Usage
{
    public const string Text = """
        edgelm: measure what it costs to run a language model on this device (llama.cpp inside).

        Commands:
          edgelm model synth    --shape NAME [--quantization TYPE] [--seed N] --out PATH [--force] [--threads N]
                                [--layers N --embedding N --feed-forward N --heads N --kv-heads N --vocabulary N --context N --tied-output]
          edgelm model info     --model PATH
          edgelm model quantize --model PATH --quantization TYPE --out PATH [--force] [--threads N]
          edgelm infer          --model PATH (--prompt TEXT | --prompt-tokens N) [--max-tokens N] [--threads N]
                                [--gpu-layers N] [--context N] [--batch N] [--temperature T] [--top-k N] [--top-p P]
                                [--min-p P] [--seed N] [--stop-at-eos] [--repeat N] [--warmup N] [--include-warmup]
                                [--chat-template model|NAME] [--flash-attn auto|on|off] [--in-process]
                                [--energy [--energy-source NAME] [--baseline SECONDS] [--meter KIND=ADDRESS]]
                                runs in a worker process that keeps the model loaded; --in-process for debugging
          edgelm device         [--root DIR] [--measure-bandwidth] [--board-catalog PATH]
                                the board: CPU, memory, GPU, power mode, thermals, price; bandwidth when measured
          edgelm power-sources  [--root DIR] [--meter KIND=ADDRESS]
                                every power and energy source found, readable or not and why; the default marked
          edgelm energy         [--root DIR] [--source NAME] [--interval-ms N] [--baseline SECONDS] [--meter KIND=ADDRESS]
                                (--duration SECONDS | -- COMMAND [ARGS...])
          edgelm bench          --plan PATH [--out PATH] [--resume]      runs a YAML plan, one JSONL record per run
          edgelm summary        --in PATH [--group-by NAME,NAME]         statistics per configuration (95% CI, noisy flagged)
          edgelm compare        --baseline PATH --candidate PATH         ratio of medians, CI and verdict per configuration
          edgelm budget         --in PATH --budget PATH                  one pass/fail per rule; exit 1 when one fails
          edgelm export         --in PATH [--to markdown|csv|jsonl] [--out PATH]
          edgelm version        which EdgeLm and llama.cpp run here, and from where

        Options on every command:
          --format table|csv|json   how records are printed (json: one object per line)
          --native-dir DIR          use the llama.cpp 0.5.0 libraries in DIR (default: $EDGELM_LLAMA_DIR, then the bundled ones)
          --verbose                 show llama.cpp's log on stderr

        Shapes: tiny, smollm2-135m, smollm2-360m, qwen2.5-0.5b, llama-3.2-1b, qwen2.5-1.5b, smollm2-1.7b,
                llama-3.2-3b, phi-3-mini, llama-2-7b, or custom dimensions.
        Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong, 130 interrupted.

        """;
}
