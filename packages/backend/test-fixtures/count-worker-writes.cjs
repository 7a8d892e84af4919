// Preloaded (`node --require`) by the wasm threads test: counts the writes of wasm's pthread worker script
// (a `*.worker.js` file the patched backend writes for Node's worker_threads) and, when the process
// exits, records the files written in WORKER_WRITES_FILE (the test then checks they are gone).
const fs = require('node:fs');

const written = [];
const writeFileSync = fs.writeFileSync;
fs.writeFileSync = function (file, ...rest) {
  if (typeof file === 'string' && file.endsWith('.worker.js')) written.push(file);
  return writeFileSync.call(this, file, ...rest);
};
// Registered before the backend's own exit handler (which removes the file's directory).
process.once('exit', () => {
  writeFileSync(process.env.WORKER_WRITES_FILE, JSON.stringify({ written }));
});
