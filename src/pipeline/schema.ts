// kd schema: the pipeline file's JSON Schema, from the same defaults and rules the loader checks
// (so editors complete and check what kd itself accepts).
import { CLASSIFY_DEFAULTS, CLASSIFY_RANGES } from './classifyConfig.js';
import { DEFAULTS, STUDENT_KINDS, TRANSLATION_RANGES } from './config.js';
import { jsonSchema } from './ranges.js';

export function pipelineSchema(task: 'translate' | 'classify'): Record<string, unknown> {
  if (task === 'classify') return jsonSchema(CLASSIFY_DEFAULTS, CLASSIFY_RANGES, 'kd classification pipeline', { task: { const: 'classify' } });
  const schema = jsonSchema(DEFAULTS, TRANSLATION_RANGES, 'kd translation pipeline', { task: { enum: ['translate'], default: 'translate' } });
  const props = schema.properties as Record<string, Record<string, unknown>>;
  props.students = { ...props.students, items: { enum: STUDENT_KINDS } };
  return schema;
}
