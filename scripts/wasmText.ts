// WebAssembly text to bytes with wabt (a dev dependency: only the build script and its test compile).
import wabtInit from 'wabt';

export async function compileWat(fileName: string, text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(fileName, text, { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
