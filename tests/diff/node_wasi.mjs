// node_wasi.mjs — runs a WASI command under Node's WASI (preview 1) with the
// same command line shape as `isorun run`, for the differential tests:
//
//   node --no-warnings node_wasi.mjs [--dir HOST::GUEST]... [--env NAME=VALUE]... FILE.wasm [ARGS...]
//
// argv[0] is FILE.wasm as given; the environment is only what --env gives.
// Exits with the guest's exit status (125 when this script itself fails).
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--dir' && i + 1 < argv.length) {
    const spec = argv[++i];
    const sep = spec.indexOf('::');
    if (sep < 0) preopens[spec] = spec;
    else preopens[spec.slice(sep + 2)] = spec.slice(0, sep);
  } else if (a === '--env' && i + 1 < argv.length) {
    const kv = argv[++i];
    const eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  } else if (a === '--') {
    i++;
    break;
  } else {
    break;
  }
}
const [file, ...args] = argv.slice(i);
if (!file) {
  console.error('usage: node --no-warnings node_wasi.mjs [--dir HOST::GUEST]... [--env N=V]... FILE.wasm [ARGS...]');
  process.exit(125);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
