// kd schema: prints the pipeline file's JSON Schema (for editors: YAML language servers take it).
import type { CommandModule } from 'yargs';

export const schemaCommand: CommandModule<object, { task: string }> = {
  command: 'schema',
  describe: "print the pipeline file's JSON Schema (keys, types, defaults, allowed values)",
  builder: (y) =>
    y.option('task', {
      type: 'string',
      choices: ['translate', 'classify'],
      describe: "only one task's half (default: the whole schema, which the file's task key splits)",
    }) as never,
  handler: async (args) => {
    const { pipelineSchema } = await import('../pipeline/pipelineFile.js');
    process.stdout.write(
      `${JSON.stringify(pipelineSchema(args.task as 'translate' | 'classify' | undefined), null, 2)}\n`,
    );
  },
};
