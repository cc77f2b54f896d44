// node-wasi.mjs — runs a WASI command module under Node's WASI (preview 1),
// for comparison with isorun: node --no-warnings node-wasi.mjs FILE.wasm [ARGS...]
// (run.sh adds --single-threaded-gc: see there why)
// Exits with the guest's exit status.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --no-warnings node-wasi.mjs FILE.wasm [ARGS...]');
  process.exit(125);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
