// The page in a real browser: builds it, serves the build like any static host, drives headless
// Chromium through the page's own search and buttons, and checks the top-10 it shows against
// recommend() in Node on the same model directory and history. Prints the bundle size, the backend
// and the first recommendation's latency (the page's own timing); leaves screenshots in test-artifacts/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@imecd/backend';
import { type LoadedModel, loadModelDirectory } from '@imecd/experiments';
import { recommend } from '@imecd/recommender';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogueSearch } from '../src/search';
import { serveFolder } from './static-server';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const artifacts = join(appDir, 'test-artifacts');
const dist = join(artifacts, 'dist');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** `WEB_TEST_BACKEND=webgl` (or webgpu, wasm) pins the page's backend (its `?backend=`); default: the page's choice. */
const pinned = process.env.WEB_TEST_BACKEND;
const WAIT_MS = 180_000; // a cold wasm start and the first ranking, on a busy 2-core machine

let server: Server | undefined;
let browser: Browser | undefined;
let loaded: LoadedModel | undefined;

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 }); // Node's side; the page may run another backend
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  loaded?.dispose();
});

describe('the page in headless Chromium', () => {
  it('shows the same top-10 as recommend() in Node for a history picked through its search', async () => {
    buildPageForChromium();
    loaded = await loadModelDirectory({ path: join(dist, 'model') });
    const { catalogue } = loaded;
    const picks = pickableItems(catalogue, 3);

    const served = await serveFolder(dist);
    server = served.server;
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pinned ? `${served.url}?backend=${encodeURIComponent(pinned)}` : served.url);
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', { timeout: WAIT_MS });
    const state = await page.$eval('body', (body) => body.dataset.state);
    expect(state, `${await page.$eval('#status', (node) => node.textContent)}\n${problems.join('\n')}`).toBe('ready');

    for (const [index, { id, title }] of picks.entries()) {
      await search(page, title);
      if (index < 2) await page.click(`#search-results button[data-item-id="${id}"]`);
      else await page.keyboard.press('ArrowDown').then(() => page.keyboard.press('Enter')); // the first hit, by keyboard
      const history = picks.slice(0, index + 1).map((pick) => pick.id);
      await page.waitForSelector(`#recommendations[data-history="${history.join(',')}"]`, { timeout: WAIT_MS });
    }
    const history = picks.map((pick) => pick.id);
    expect(
      await page.$$eval('#history li[data-item-id]', (rows) => rows.map((row) => Number(row.dataset.itemId))),
    ).toEqual(history);
    const scoreGap = expectSameRanking(await readTop10(page), history);

    const measured = {
      backend: await page.$eval('body', (body) => body.dataset.backend),
      runsOn: await page.$$eval(
        '#model-facts dt',
        (terms) => terms.find((term) => term.textContent === 'Runs on')?.nextElementSibling?.textContent,
      ),
      firstRecommendationMs: Number(await page.$eval('#timing', (node) => (node as HTMLElement).dataset.firstMs)),
      thirdRecommendationMs: Number(await page.$eval('#timing', (node) => (node as HTMLElement).dataset.ms)),
      bundleBytes: bundleBytes(dist),
      // What this visit fetched of them (one wasm build, the chunks of its backend), from the Performance API.
      loadedBytes: await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((entry) => /\.(js|wasm)$/.test(new URL(entry.name).pathname))
          .reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).decodedBodySize, 0),
      ),
      history,
      largestRelativeScoreGap: scoreGap,
    };
    expect(measured.firstRecommendationMs).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'web-page.png'), fullPage: true });
    await page.setViewport({ width: 360, height: 800 });
    await page.screenshot({ path: join(artifacts, 'web-page-360px.png'), fullPage: true });
    writeFileSync(join(artifacts, 'measurements.json'), `${JSON.stringify(measured, null, 2)}\n`);
    console.log(
      `web page: backend ${measured.runsOn}; bundle ${measured.bundleBytes.toLocaleString('en')} bytes of JS + wasm, ` +
        `${measured.loadedBytes.toLocaleString('en')} of them loaded; ` +
        `first recommendation ${measured.firstRecommendationMs.toFixed(1)} ms, third ` +
        `${measured.thirdRecommendationMs.toFixed(1)} ms (the page's own timing); ` +
        `top-10 as in Node, scores within ${scoreGap.toExponential(1)} relative`,
    );

    // The remove button takes an item out and the list follows.
    await page.click('#history li:nth-child(2) button');
    const rest = [history[0]!, history[2]!];
    await page.waitForSelector(`#recommendations[data-history="${rest.join(',')}"]`, { timeout: WAIT_MS });
    expectSameRanking(await readTop10(page), rest);
    expect(problems).toEqual([]);
  });
});

/** Fails (never skips) without Chromium, saying how to get it; then builds the page as `pnpm web build` does. */
function buildPageForChromium(): void {
  if (!existsSync(chromium)) {
    throw new Error(
      `The browser test needs Chromium, and there is none at ${chromium}. Install it (Debian/Ubuntu, as root: ` +
        '`apt-get update && apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary. ' +
        'puppeteer-core never downloads a browser.',
    );
  }
  mkdirSync(artifacts, { recursive: true });
  // Into the artifacts folder, so apps/web/dist is left alone.
  const script = join(appDir, 'scripts/web.mjs');
  const built = spawnSync(
    process.execPath,
    [script, 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'],
    {
      encoding: 'utf8',
    },
  );
  if (built.status !== 0) throw new Error(`pnpm web build failed:\n${built.stdout}${built.stderr}`);
}

/** Types `text` into the search box, replacing what was there. */
async function search(page: Page, text: string): Promise<void> {
  await page.click('#search', { count: 3 }); // a triple click selects the old query
  await page.keyboard.press('Backspace');
  await page.type('#search', text);
}

async function readTop10(page: Page): Promise<{ item: number; score: number }[]> {
  return page.$$eval('#recommendations li[data-item-id]', (rows) =>
    rows.map((row) => ({ item: Number(row.dataset.itemId), score: Number(row.dataset.score) })),
  );
}

/** Same ids in the same order as recommend() in Node, scores equal to 1e-4 relative; returns the largest relative gap. */
function expectSameRanking(shown: { item: number; score: number }[], history: number[]): number {
  const expected = recommend(loaded!.model, history, { k: 10 });
  expect(shown.map((row) => row.item)).toEqual(expected.map((row) => row.item));
  let worst = 0;
  for (const [index, row] of shown.entries()) {
    const want = expected[index]!.score;
    expect(Math.abs(row.score - want), `score of rank ${index + 1}`).toBeLessThanOrEqual(1e-4 * Math.abs(want) + 1e-6);
    worst = Math.max(worst, Math.abs(row.score - want) / Math.abs(want));
  }
  return worst;
}

/**
 * `count` items spread over the catalogue whose full title, typed into the search, lists them first
 * (so the test can pick the last one by keyboard too).
 */
function pickableItems(catalogue: LoadedModel['catalogue'], count: number): { id: number; title: string }[] {
  const search = createCatalogueSearch(catalogue);
  const picks: { id: number; title: string }[] = [];
  const step = Math.floor(catalogue.keys.length / count);
  for (let start = 1; picks.length < count; start += step) {
    for (let id = start; id < catalogue.keys.length; id++) {
      const title = catalogue.titles[id];
      if (title && search(title, 8)[0]?.id === id) {
        picks.push({ id, title });
        break;
      }
    }
  }
  return picks;
}

/** Bytes of the JavaScript and WebAssembly a visitor may download (every .js and .wasm of the build). */
function bundleBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    if (/\.(js|wasm)$/.test(entry)) total += statSync(join(folder, entry)).size;
  }
  return total;
}
