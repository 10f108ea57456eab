// kd peer PEER_DIR PIPELINE: the PyTorch yardstick's hypotheses scored by kd, written to the
// pipeline's report folder (peer.json) so that the report shows them beside kd's rows.
import { join } from 'node:path';

import type { CommandModule } from 'yargs';

interface Args {
  peerDir: string;
  pipeline: string;
  'made-with': string;
  'report-dir'?: string;
}

export const peerCommand: CommandModule<object, Args> = {
  command: 'peer <peerDir> <pipeline>',
  describe:
    "score the PyTorch peer's hypotheses (../shared/bench/seqkd_quality_peer.py's output folder) against a translation pipeline's test set and write them to its report folder (peer.json); the next kd report adds them as rows marked peer",
  builder: (y) =>
    y
      .positional('peerDir', { type: 'string', demandOption: true, describe: "the peer's output folder" })
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'the translation pipeline file' })
      .option('made-with', {
        type: 'string',
        demandOption: true,
        describe: 'how the peer was run (its command line), recorded in the report',
      })
      .option('report-dir', { type: 'string', describe: 'the report folder (default eval/NAME)' }) as never,
  handler: async (args) => {
    const { loadPipelineFile } = await import('../pipeline/pipelineFile.js');
    const { ConfigError } = await import('../util/errors.js');
    const { scorePeer, writePeerFile } = await import('../stages/peerScore.js');
    const pipeline = loadPipelineFile(args.pipeline);
    if (pipeline.task === 'classify')
      throw new ConfigError(`kd peer scores translation hypotheses; ${args.pipeline} is a classify pipeline`);
    const peer = await scorePeer(pipeline.config.corpus, args.peerDir, args['made-with']);
    const file = await writePeerFile(args['report-dir'] ?? join('eval', pipeline.config.name), peer);
    for (const r of peer.rows)
      process.stdout.write(
        `${r.system}: BLEU greedy ${r.bleuGreedy.toFixed(2)}, chrF greedy ${r.chrfGreedy.toFixed(2)}, BLEU beam 4 (first 300) ${r.bleuBeam4First300.toFixed(2)}\n`,
      );
    process.stdout.write(`${file} written; kd report ${args.pipeline} adds these rows to the report\n`);
  },
};
