// Builds TINY SYNTHETIC model folders (not real models) that @huggingface/transformers can load, to
// check @imecd/features' pretrained glue against the real library where no real model can be had:
// BERT-shaped text models (last_hidden_state = rows of a fixed embedding table) under the names
// Xenova/bert-base-uncased and Xenova/all-MiniLM-L6-v2, and a CLIP-shaped vision model
// (image_embeds = per-channel mean of pixel_values). Used by probe-transformers.mjs; see there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [root, probeDir] = process.argv.slice(2).map((path) => resolve(path));
const { onnx } = createRequire(join(probeDir, 'package.json'))('onnx-proto');
const FLOAT = 1,
  INT64 = 7;
const valueInfo = (name, elemType, dims) => ({
  name,
  type: {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  },
});
const model = (graph) =>
  onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'synthetic',
      graph,
    }),
  ).finish();

// Text: vocab of specials + a few words; embedding row r = [r, 1, sin r, cos r].
const words = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'racing',
  'car',
  'red',
  'blue',
  'wooden',
  'puzzle',
  'box',
  'teddy',
  'bear',
];
const H = 4;
const table = Float32Array.from(words.flatMap((_, r) => [r, 1, Math.sin(r), Math.cos(r)]));
const textGraph = {
  name: 'tiny-text',
  initializer: [{ name: 'embedding', dataType: FLOAT, dims: [words.length, H], floatData: Array.from(table) }],
  node: [
    {
      opType: 'Gather',
      input: ['embedding', 'input_ids'],
      output: ['last_hidden_state'],
      attribute: [{ name: 'axis', type: 2, i: 0 }],
    },
  ],
  input: [valueInfo('input_ids', INT64, ['batch', 'seq']), valueInfo('attention_mask', INT64, ['batch', 'seq'])],
  output: [valueInfo('last_hidden_state', FLOAT, ['batch', 'seq', H])],
};
const special = (id, content) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});
const tokenizer = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [special(0, '[PAD]'), special(1, '[UNK]'), special(2, '[CLS]'), special(3, '[SEP]')],
  normalizer: {
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase: true,
  },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
    ],
    pair: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } },
      { SpecialToken: { id: '[SEP]', type_id: 1 } },
    ],
    special_tokens: {
      '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
    },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 100,
    vocab: Object.fromEntries(words.map((w, i) => [w, i])),
  },
};
const tokenizerConfig = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: 512,
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
};
for (const name of ['Xenova/bert-base-uncased', 'Xenova/all-MiniLM-L6-v2']) {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: H,
      vocab_size: words.length,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      max_position_embeddings: 512,
    }),
  );
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  writeFileSync(join(dir, 'onnx/model.onnx'), model(textGraph));
}

// Vision: image_embeds[b, c] = mean over the 8 × 8 pixels of channel c.
const clip = join(root, 'Xenova/clip-vit-base-patch32');
mkdirSync(join(clip, 'onnx'), { recursive: true });
writeFileSync(
  join(clip, 'config.json'),
  JSON.stringify({
    model_type: 'clip',
    architectures: ['CLIPModel'],
    projection_dim: 3,
    vision_config: { model_type: 'clip_vision_model', image_size: 8, patch_size: 8, hidden_size: 3 },
    text_config: { model_type: 'clip_text_model', hidden_size: 3 },
  }),
);
writeFileSync(
  join(clip, 'preprocessor_config.json'),
  JSON.stringify({
    image_processor_type: 'CLIPImageProcessor',
    do_resize: true,
    size: { shortest_edge: 8 },
    do_center_crop: true,
    crop_size: { height: 8, width: 8 },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
    do_convert_rgb: true,
    resample: 3,
  }),
);
writeFileSync(
  join(clip, 'onnx/vision_model.onnx'),
  model({
    name: 'tiny-vision',
    node: [
      {
        opType: 'ReduceMean',
        input: ['pixel_values'],
        output: ['image_embeds'],
        attribute: [
          { name: 'axes', type: 7, ints: [2, 3] },
          { name: 'keepdims', type: 2, i: 0 },
        ],
      },
    ],
    input: [valueInfo('pixel_values', FLOAT, ['batch', 3, 8, 8])],
    output: [valueInfo('image_embeds', FLOAT, ['batch', 3])],
  }),
);
console.log('models in', root);
