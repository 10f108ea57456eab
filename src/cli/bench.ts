// kd bench [--peer]: throughput of the reference model, optionally beside the PyTorch peer.
import type { CommandModule } from 'yargs';
import type { BenchOptions } from '../bench/benchReport.js';

export const benchCommand: CommandModule<object, BenchOptions> = {
  command: 'bench',
  describe: 'training and decoding throughput of the reference Transformer; --peer runs PyTorch beside it',
  builder: (y) => y
    .option('peer', { type: 'boolean', default: false, describe: 'also run the PyTorch peer, alternating with ours, and report ratios' })
    .option('peer-script', { type: 'string', default: '../shared/bench/torch_peer.py' })
    .option('python', { type: 'string', default: '/usr/bin/python3', describe: "the peer's Python (Debian's has python3-torch)" })
    .option('rounds', { type: 'number', default: 1, describe: 'ours and peer alternate this many times; medians are reported' })
    .option('threads', { type: 'number', default: 2, describe: "the peer's torch threads" })
    .option('smoke', { type: 'boolean', default: false, describe: 'a seconds-long run of a tiny model (CI); its figures mean nothing' })
    .option('backend', { type: 'string', describe: 'tfjs backend for training (default: the one the toolkit picks)' })
    .option('replicas', { type: 'number', default: 0, describe: 'data-parallel training replicas on worker threads (0: as training picks, one per core for wasm/cpu)' })
    .option('out', { type: 'string', default: 'eval/bench' }) as never,
  handler: async (args) => {
    const { runBench } = await import('../bench/benchReport.js');
    const md = await runBench(args, (m) => process.stderr.write(`${m}\n`));
    process.stdout.write(`${md}\n`);
  },
};
