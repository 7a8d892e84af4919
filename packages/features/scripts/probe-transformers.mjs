// Checks the pretrained encoders of @imecd/features against the REAL @huggingface/transformers,
// using the tiny synthetic model folders of synthetic-models.mjs (no real model, no network).
// Not part of the tests: CI does not install the ~475 MB package. To run it:
//   mkdir /tmp/probe && cd /tmp/probe && npm init -y
//   ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers@^4 onnx-proto@8
//   cd <repo> && pnpm exec turbo run build --filter=@imecd/features
//   node packages/features/scripts/synthetic-models.mjs /tmp/probe/models /tmp/probe
//   node packages/features/scripts/probe-transformers.mjs /tmp/probe/models /tmp/probe
// Expected: bert-base-uncased ([CLS]) gives the same row for every text, the normalised [CLS]
// embedding [2, 1, sin 2, cos 2] / |·| = 0.8165 0.4082 0.3712 -0.1699; all-MiniLM-L6-v2 (mean)
// differs per text; CLIP gives ±1/√3 = ±0.5774 per channel for a red and a blue image; bytes
// that are no image are rejected.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modelDir, probeDir] = process.argv.slice(2).map((path) => resolve(path));
const probeRequire = createRequire(join(probeDir, 'package.json'));
const transformersUrl = pathToFileURL(probeRequire.resolve('@huggingface/transformers')).href;
const loadModule = () => import(transformersUrl.replace(/\.cjs$/, '.mjs'));
const sharp = probeRequire('sharp');
const { createTransformersImageEncoder, createTransformersTextEncoder } = await import(
  new URL('../dist/index.js', import.meta.url).href
);

const texts = ['Racing car - red', 'Racing car - blue', 'Wooden puzzle box', 'Teddy bear'];
for (const model of ['Xenova/bert-base-uncased', 'Xenova/all-MiniLM-L6-v2']) {
  const encoder = await createTransformersTextEncoder({ model, modelDir, loadModule, batchSize: 3 });
  const values = await encoder.encode(texts);
  console.log(model, { dim: encoder.dim, pooling: encoder.pooling, revision: encoder.revision });
  texts.forEach((text, row) => {
    console.log(
      `  ${Array.from(values.subarray(row * encoder.dim, (row + 1) * encoder.dim), (v) => v.toFixed(4)).join(' ')}  ${text}`,
    );
  });
}
const image = (width, height, background, format) =>
  sharp({ create: { width, height, channels: 3, background } })
    [format]()
    .toBuffer();
const encoder = await createTransformersImageEncoder({ model: 'Xenova/clip-vit-base-patch32', modelDir, loadModule });
const embeds = await encoder.encode([
  { bytes: await image(16, 16, { r: 255, g: 0, b: 0 }, 'png') },
  { bytes: await image(20, 12, { r: 0, g: 0, b: 255 }, 'jpeg') },
]);
console.log(
  'Xenova/clip-vit-base-patch32',
  { dim: encoder.dim, pooling: encoder.pooling },
  Array.from(embeds, (v) => v.toFixed(4)).join(' '),
);
const rejected = await encoder.encode([{ bytes: new TextEncoder().encode('not an image') }]).then(
  () => 'no',
  (error) => `yes (${error.message})`,
);
console.log('bytes that are no image rejected:', rejected);
