// The gradient rules by op type (what ../autodiff.ts looks up).
import type { GradRule } from '../autodiff.js';
import * as elementwise from './elementwise.js';
import * as linear from './linear.js';
import * as reduce from './reduce.js';

export const RULES: Record<string, GradRule> = { ...elementwise, ...linear, ...reduce };
