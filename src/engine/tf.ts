// The one place tfjs is loaded. Backends are looked up by name at run time: tfjs-node-gpu and
// tfjs-node when a user installed them (their install downloads libtensorflow, so they are never
// dependencies), else wasm, else cpu. The choice is logged, and --backend overrides it.
// gradients: tfjs-core's node build registers none; the tfjs union package registers them all
// (into the global kernel registry that tfjs-core and the wasm backend share)
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

import * as tf from '@tensorflow/tfjs-core';

export { tf };
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

async function tryNative(pkg: string): Promise<boolean> {
  try {
    await import(pkg);
    return true;
  } catch {
    return false;
  }
}

/** Picks and initialises a backend; returns its name. */
export async function initBackend(wanted?: string, log: (msg: string) => void = () => {}): Promise<string> {
  if (wanted && !BACKENDS.includes(wanted as BackendName)) {
    throw new Error(`unknown backend '${wanted}' (known: ${BACKENDS.join(', ')})`);
  }
  const order: string[] = wanted ? [wanted] : [...BACKENDS];
  for (const name of order) {
    if (name === 'tensorflow-gpu' && !(await tryNative('@tensorflow/tfjs-node-gpu'))) continue;
    if (name === 'tensorflow' && !(await tryNative('@tensorflow/tfjs-node'))) continue;
    const key = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    if (await tf.setBackend(key)) {
      await tf.ready();
      log(`tfjs backend: ${tf.getBackend()}`);
      return tf.getBackend();
    }
    if (wanted) break;
  }
  if (wanted)
    throw new Error(`backend '${wanted}' is not available here (for tensorflow: npm install @tensorflow/tfjs-node)`);
  throw new Error('no tfjs backend could be initialised');
}
