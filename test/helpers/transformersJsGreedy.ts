// Greedy decoding of one source through transformers.js' generate() (the reference the export tests
// hold kd's decoding to): the decoder start token, then the tokens, as transformers.js returns them.
export async function transformersJsGreedy(
  model: { generate(opts: unknown): Promise<unknown> },
  ids: number[],
  maxLength: number,
): Promise<number[]> {
  const { Tensor } = await import('@huggingface/transformers');
  const input = BigInt64Array.from(ids.map(BigInt));
  const out = await model.generate({
    input_ids: new Tensor('int64', input, [1, ids.length]),
    attention_mask: new Tensor(
      'int64',
      input.map(() => 1n),
      [1, ids.length],
    ),
    max_length: maxLength,
    num_beams: 1,
    do_sample: false,
  });
  return (out as { tolist(): bigint[][] }).tolist()[0].map(Number);
}
