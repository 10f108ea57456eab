// A pipeline file, whichever its task: read once, its `task` key (translate, the default, or
// classify) picks the keys it is checked against (./config.ts, ./classifyConfig.ts), and one JSON
// Schema describes both (kd schema): the task decides which half applies.
import {
  CLASSIFY_DEFAULTS,
  CLASSIFY_RANGES,
  type ClassifyPipelineConfig,
  loadClassifyPipeline,
} from './classifyConfig.js';
import {
  DEFAULTS,
  loadPipeline,
  type PipelineConfig,
  readPipelineFile,
  STUDENT_KINDS,
  TRANSLATION_RANGES,
} from './config.js';
import { jsonSchema } from './ranges.js';

export type LoadedPipeline =
  { task: 'translate'; config: PipelineConfig } | { task: 'classify'; config: ClassifyPipelineConfig };

export function loadPipelineFile(file: string): LoadedPipeline {
  const { task, raw } = readPipelineFile(file);
  return task === 'classify'
    ? { task, config: loadClassifyPipeline(file, raw) }
    : { task: 'translate', config: loadPipeline(file, raw) };
}

/** A task's half of the schema; without a task, the whole: `task: classify` selects its half, anything else the translation half. */
export function pipelineSchema(task?: 'translate' | 'classify'): Record<string, unknown> {
  if (task === 'classify')
    return jsonSchema(CLASSIFY_DEFAULTS, CLASSIFY_RANGES, 'kd classification pipeline', {
      task: { const: 'classify' },
    });
  if (task === 'translate') {
    const schema = jsonSchema(DEFAULTS, TRANSLATION_RANGES, 'kd translation pipeline', {
      task: { enum: ['translate'], default: 'translate' },
    });
    const props = schema.properties as Record<string, Record<string, unknown>>;
    props.students = { ...props.students, items: { enum: STUDENT_KINDS } };
    return schema;
  }
  const part = (t: 'translate' | 'classify') => {
    const { $schema: _, ...rest } = pipelineSchema(t);
    return rest;
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'kd pipeline',
    if: { properties: { task: { const: 'classify' } }, required: ['task'] },
    then: part('classify'),
    else: part('translate'),
  };
}
