// kd bench [--peer]: training and decoding throughput of three model shapes, optionally beside the PyTorch peer.
import type { CommandModule } from 'yargs';

import type { BenchOptions } from '../bench/benchReport.js';

export const benchCommand: CommandModule<object, BenchOptions> = {
  command: 'bench',
  describe: 'training and decoding throughput (reference, student and demo shapes); --peer runs PyTorch beside it',
  builder: (y) =>
    y
      .option('peer', {
        type: 'boolean',
        default: false,
        describe: 'also run the PyTorch peer, alternating with ours, and report ratios',
      })
      .option('peer-script', { type: 'string', default: '../shared/bench/torch_peer.py' })
      .option('python', {
        type: 'string',
        default: '/usr/bin/python3',
        describe: "the peer's Python (Debian's has python3-torch)",
      })
      .option('rounds', {
        type: 'number',
        default: 3,
        describe: 'rounds of ours then the peer, per shape; medians are reported',
      })
      .option('shapes', {
        type: 'string',
        default: 'reference,student,demo',
        describe: 'which shapes, comma-separated',
      })
      .option('threads', { type: 'number', default: 2, describe: "the peer's torch threads" })
      .option('engine', {
        type: 'string',
        choices: ['onnx', 'tfjs'],
        default: 'onnx',
        describe: 'training engine: the graph engine on onnxruntime, or tfjs (the old path)',
      })
      .option('smoke', {
        type: 'boolean',
        default: false,
        describe: 'a seconds-long run of tiny models (CI); its figures mean nothing',
      })
      .option('backend', {
        type: 'string',
        describe: 'tfjs backend for --engine tfjs (default: the one the toolkit picks)',
      })
      .option('replicas', {
        type: 'number',
        default: 0,
        describe:
          '--engine tfjs: data-parallel replicas on worker threads (0: as training picks, one per core for wasm/cpu)',
      })
      .option('out', { type: 'string', default: 'eval/bench' })
      // the child process runBench starts per shape and round; alone, it measures one shape (e.g. under a profiler)
      .option('measure-ours', {
        type: 'string',
        hidden: true,
        describe: 'measure ours on this one shape and print its JSON',
      }) as never,
  handler: async (args) => {
    const log = (m: string) => process.stderr.write(`${m}\n`);
    const shape = args['measure-ours'];
    if (shape !== undefined) {
      const { benchOurs } = await import('../bench/engineBench.js');
      const { benchShapes } = await import('../bench/benchReport.js');
      const [[, s]] = benchShapes(shape, args.smoke);
      const result = await benchOurs(s, { engine: args.engine, backend: args.backend, replicas: args.replicas }, log);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const { runBench } = await import('../bench/benchReport.js');
    const md = await runBench(args, log);
    process.stdout.write(`${md}\n`);
  },
};
