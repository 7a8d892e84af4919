import { cp, mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readChecksums, verifyChecksums } from '../download/checksums';
import { datasetStatistics } from '../pipeline/dataset-statistics';
import { splitLeaveOneOut } from '../pipeline/split-leave-one-out';
import { trainingPairs } from '../pipeline/training-pairs';
import { loadDataset } from './load-dataset';

/** The real datasets shipped in the repository (see each folder's PROVENANCE.md). */
const datasets = fileURLToPath(new URL('../../../../datasets/', import.meta.url));

let scientificLoad: ReturnType<typeof loadDataset> | undefined;
/** Scientific is read once and shared by the tests below. */
function scientific(): ReturnType<typeof loadDataset> {
  scientificLoad ??= loadDataset(`${datasets}scientific`);
  return scientificLoad;
}

// Each load takes about a second alone; the generous limit is for a machine shared with other runs.
describe('shipped datasets', { timeout: 30_000 }, () => {
  it('scientific: UniSRec atomic files with item text and 512-d text and image features', async () => {
    const dataset = await scientific();
    expect(dataset.layout).toBe('recbole-atomic');
    expect(dataset.name).toBe('Scientific');
    expect(datasetStatistics(dataset)).toMatchObject({
      users: 2928,
      items: 1585,
      interactions: 19712,
      minLength: 5,
      maxLength: 36,
      modalities: ['id', 'text', 'image'],
    });
    // Index i of Scientific.item2index is item id i + 1.
    expect(dataset.itemKeys.slice(1, 4)).toEqual(['B00O47ILVA', 'B006ATU73A', 'B00CJ5EO2E']);
    expect(dataset.userKeys[0]).toBe('A1AXCV2WYDA4PD');
    expect(dataset.itemText?.filter((text) => text !== undefined)).toHaveLength(1585);
    for (const modality of ['text', 'image']) {
      const matrix = dataset.features[modality]!;
      expect(matrix.dim).toBe(512);
      expect(matrix.mask.reduce((sum, flag) => sum + flag, 0)).toBe(1585);
      expect(matrix.mask[0]).toBe(0);
    }
    // Row 0 of the file is index 0 = item id 1.
    const bytes = await readFile(`${datasets}scientific/Scientific.feat1CLS`);
    const firstRow = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 4 * 512));
    expect(Array.from(dataset.features.text!.values.subarray(512, 1024))).toEqual(Array.from(firstRow));
  });

  it('scientific: the leave-one-out split reproduces the files’ own valid and test targets', async () => {
    const split = splitLeaveOneOut(await scientific(), { maxHistory: 50 });
    for (const [part, targets] of [
      ['valid', split.valid],
      ['test', split.test],
    ] as const) {
      const rows = (await readFile(`${datasets}scientific/Scientific.${part}.inter`, 'utf8'))
        .trim()
        .split('\n')
        .slice(1);
      expect(targets.users).toHaveLength(rows.length);
      for (const row of rows) {
        const [user, history, target] = row.split('\t');
        const position = targets.users.indexOf(Number(user));
        expect(targets.targets[position]).toBe(Number(target) + 1);
        expect(Array.from(targets.histories[position]!)).toEqual(history!.split(' ').map((index) => Number(index) + 1));
      }
    }
    // Scientific.train.inter has 10,928 prefix → next rows.
    expect(trainingPairs(split).ends).toHaveLength(10928);
  });

  it('toys: S3-Rec/P5 sequential.txt with ASINs and attributes, ids unchanged', async () => {
    const dataset = await loadDataset(`${datasets}toys`);
    expect(dataset.layout).toBe('sequential-txt');
    expect(datasetStatistics(dataset)).toMatchObject({
      users: 19412,
      items: 11924,
      interactions: 167597,
      minLength: 5,
      maxLength: 550,
      modalities: ['id', 'text'],
    });
    // sequential.txt line 1 is "1 1 2 3 4 5 6 7"; items.tsv row 1 is item 1 = B001RNFQNK, attributes 157 2 25 160.
    expect(Array.from(dataset.sequences[0]!)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(dataset.userKeys[0]).toBe('AQW172A5SG5OC');
    expect(dataset.itemKeys[1]).toBe('B001RNFQNK');
    expect(Array.from(dataset.itemAttributes![1]!)).toEqual([157, 2, 25, 160]);
    expect(dataset.itemAttributes!.slice(1).every((attributes) => attributes.length > 0)).toBe(true);
    // The derived text-like features: TF-IDF of the attribute ids (see PROVENANCE.md), checked against their manifest on load.
    const text = dataset.features.text!;
    expect(text.dim).toBe(256);
    expect(text.mask.reduce((sum, flag) => sum + flag, 0)).toBe(11924);
    expect(text.mask[0]).toBe(0);
  });

  it('instruments: LC-Rec inter.json with ASINs', async () => {
    const dataset = await loadDataset(`${datasets}instruments`);
    expect(dataset.layout).toBe('lcrec-inter-json');
    expect(datasetStatistics(dataset)).toMatchObject({
      users: 24772,
      items: 9922,
      interactions: 206153,
      minLength: 5,
      maxLength: 218,
      modalities: ['id'],
    });
  });

  it('instruments-mm: MQL4GRec inter.json with image and text codes (4 × 256) for every item', async () => {
    const dataset = await loadDataset(`${datasets}instruments-mm`);
    expect(dataset.layout).toBe('lcrec-inter-json');
    expect(datasetStatistics(dataset)).toMatchObject({
      users: 17112,
      items: 6250,
      interactions: 136226,
      minLength: 5,
      modalities: ['id', 'text', 'image'],
    });
    expect(dataset.features).toEqual({});
    for (const modality of ['image', 'text']) {
      const codes = dataset.itemCodes![modality]!;
      expect(codes).toMatchObject({ levels: 4, codesPerLevel: 256 });
      expect(codes.mask.reduce((sum, flag) => sum + flag, 0)).toBe(6250);
    }
    // Instruments.index_vitemb.json "0": <A_154> <B_106> <C_221> <D_144>; item index 0 is id 1.
    expect(Array.from(dataset.itemCodes!.image!.codes.subarray(4, 8))).toEqual([154, 106, 221, 144]);
    const distinct = (codes: Int32Array) =>
      new Set(Array.from({ length: 6250 }, (_, item) => codes.subarray((item + 1) * 4, (item + 2) * 4).join(','))).size;
    expect(distinct(dataset.itemCodes!.image!.codes)).toBe(6250); // PROVENANCE.md: 6,250 distinct image tuples
    expect(distinct(dataset.itemCodes!.text!.codes)).toBe(5988); // and 5,988 distinct text tuples
  });

  it('games: LC-Rec inter.json with titles and their cleaned text', async () => {
    const dataset = await loadDataset(`${datasets}games`);
    expect(datasetStatistics(dataset)).toMatchObject({
      users: 50546,
      items: 16859,
      interactions: 452989,
      minLength: 5,
      maxLength: 771,
    });
    // "0": [0, 1, 2, 3, 4, 5]; item index 0 = B00L59D9HG (Games.item2id) = id 1.
    expect(Array.from(dataset.sequences[0]!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(dataset.userKeys[0]).toBe('A31160I7G2EZVN');
    expect(dataset.itemKeys[1]).toBe('B00L59D9HG');
    expect(dataset.itemTitles![1]).toBe('Nintendo 3DS Compatible with 3DS / 3DS XL / 2DS AC Adapter');
    expect(dataset.itemText![1]).toBe('Nintendo 3DS Compatible with 3DS / 3DS XL / 2DS AC Adapter.');
    expect(dataset.itemTitles!.filter((title) => title !== undefined)).toHaveLength(16859);
    // The derived TF-IDF text features (see PROVENANCE.md), checked against their manifest on load.
    const text = dataset.features.text!;
    expect(text.dim).toBe(256);
    expect(text.mask.reduce((sum, flag) => sum + flag, 0)).toBe(16859);
    // MUTRARec's image and text codes, joined on ASIN through its own id map (PROVENANCE.md): 13,839 items have both.
    for (const modality of ['image', 'text'] as const) {
      const codes = dataset.itemCodes![modality]!;
      expect(codes).toMatchObject({ levels: 4, codesPerLevel: 256 });
      expect(codes.mask.reduce((sum, flag) => sum + flag, 0)).toBe(13839);
    }
    // codes-mutrarec.item2id.tsv line 1: B0007ZSHOY<TAB>0, and Games.index_vitemb.json "0": <A_42> <B_98> <C_32> <D_154>.
    const id = dataset.itemKeys.indexOf('B0007ZSHOY');
    expect(id).toBeGreaterThan(0);
    expect(dataset.itemCodes!.image!.mask[id]).toBe(1);
    expect(Array.from(dataset.itemCodes!.image!.codes.subarray(id * 4, id * 4 + 4))).toEqual([42, 98, 32, 154]);
  });

  it('each has a checksums.json that covers its data files and agrees with the sha256 list of its PROVENANCE.md', async () => {
    for (const name of ['scientific', 'toys', 'instruments', 'instruments-mm', 'games']) {
      const folder = `${datasets}${name}`;
      const recorded = await readChecksums(folder);
      const files = (await readdir(folder)).filter((file) => file !== 'checksums.json' && file !== 'PROVENANCE.md');
      expect([...recorded.keys()].sort(), name).toEqual(files.sort());
      const provenance = await readFile(`${folder}/PROVENANCE.md`, 'utf8');
      const listed = [...provenance.slice(provenance.indexOf('## sha256')).matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)].map(
        ([, sha256, file]) => [file!, sha256!],
      );
      expect(Object.fromEntries(listed), name).toEqual(
        Object.fromEntries([...recorded.values()].map((entry) => [entry.name, entry.sha256])),
      );
      expect(await verifyChecksums(folder), name).toBe(files.length);
    }
  });

  it('toys cut short (sequential.txt at 460,000 bytes) is refused naming the file: by its checksums, and without them by its last line', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'imecd-toys-cut-'));
    try {
      await cp(`${datasets}toys`, copy, { recursive: true });
      await truncate(join(copy, 'sequential.txt'), 460_000);
      await expect(loadDataset(copy, { name: 'toys' })).rejects.toMatchObject({
        file: join(copy, 'sequential.txt'),
        reason: expect.stringMatching(/^460000 bytes, but .*checksums\.json records 921692: the file was cut short/),
      });
      await rm(join(copy, 'checksums.json'));
      await expect(loadDataset(copy, { name: 'toys' })).rejects.toMatchObject({
        file: join(copy, 'sequential.txt'),
        line: 10017,
        reason: expect.stringMatching(/the last line has no line break after it, so the file may have been cut short/),
      });
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
