import { type LoadedModel, loadModelDirectory } from '@imecd/experiments/portable';
import { recommend } from '@imecd/recommender';
import { chooseBackend } from './backend';
import { createCatalogueSearch } from './search';
import { renderFacts, renderMetrics, renderPicks, renderRows } from './view';

const SEARCH_LIMIT = 8;
const TOP_K = 10;
const SHOWN_METRICS = ['hr@5', 'ndcg@5', 'hr@10', 'ndcg@10', 'hr@20', 'ndcg@20', 'mrr@20'];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const searchBox = $<HTMLInputElement>('search');
const searchResults = $<HTMLUListElement>('search-results');
const historyList = $<HTMLOListElement>('history');
const clearButton = $<HTMLButtonElement>('clear-history');
const timing = $<HTMLParagraphElement>('timing');
const recommendations = $<HTMLOListElement>('recommendations');

/** Starts a backend, loads the shipped model, shows its card, then hands the page to startPage. */
async function main(): Promise<void> {
  // `?backend=wasm` (or webgl, webgpu) pins the backend; otherwise the best one that works here.
  const backend = await chooseBackend(new URLSearchParams(location.search).get('backend'));
  status.textContent = `Loading the model on ${backend.name}…`;
  const loaded = await loadModelDirectory({ url: new URL('./model/', location.href).href });
  const { card } = loaded;
  renderFacts($('model-facts'), [
    ['Model', `${card.model} (seed ${card.seed}, best epoch ${card.bestEpoch}, trained on ${card.backend})`],
    ['Dataset', `${card.dataset}: ${card.numItems.toLocaleString('en')} items`],
    ['Protocol', card.protocol.replace(/^protocol:\s*/, '')], // the card's line starts with its own label
    ['Runs on', `${backend.name} (${backend.detail})`],
    ...(backend.skipped.length > 0 ? [['Not used', backend.skipped.join('; ')] as [string, string]] : []),
  ]);
  renderMetrics($<HTMLTableElement>('test-metrics'), pickMetrics(card.test));
  $('max-length').textContent = String(card.maxLength);
  document.body.dataset.backend = backend.name;

  startPage(loaded);
  status.textContent = `Ready: ${card.model} on ${card.dataset}, running on ${backend.name}.`;
  document.body.dataset.state = 'ready';
}

/** The README tables' columns where the card has them (recall@K equals hr@K under leave-one-out), else all. */
function pickMetrics(metrics: Record<string, number>): Record<string, number> {
  const shown = Object.entries(metrics).filter(([name]) => SHOWN_METRICS.includes(name));
  shown.sort(([a], [b]) => SHOWN_METRICS.indexOf(a) - SHOWN_METRICS.indexOf(b));
  return shown.length > 0 ? Object.fromEntries(shown) : metrics;
}

/** Wires the search, the history and the recommendations to one loaded model. */
function startPage({ model, catalogue }: LoadedModel): void {
  /** Oldest first; an item may appear twice, as in real histories. */
  const history: number[] = [];
  const timings: number[] = [];
  const labelOf = (id: number) => catalogue.titles[id] || catalogue.keys[id] || `item ${id}`;
  // Button names stay short for screen readers: some titles run on with categories and brand.
  const nameOf = (id: number) => (labelOf(id).length > 60 ? `${labelOf(id).slice(0, 59)}…` : labelOf(id));
  const search = createCatalogueSearch(catalogue);
  const add = (id: number) => {
    history.push(id);
    update();
  };

  searchBox.addEventListener('input', () => {
    const hits = search(searchBox.value, SEARCH_LIMIT);
    renderPicks(searchResults, hits, searchBox.value.trim() ? 'No item matches.' : '', add);
  });
  // Down arrow from the box to the first result; Tab works too.
  searchBox.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown') return;
    searchResults.querySelector('button')?.focus();
    event.preventDefault();
  });
  clearButton.addEventListener('click', () => {
    history.length = 0;
    update();
    searchBox.focus();
  });
  searchBox.disabled = false;
  update();

  /** Redraws the history and, when it is not empty, ranks the catalogue for it and times that. */
  function update(): void {
    renderRows(
      historyList,
      history.map((id, index) => ({
        id,
        label: labelOf(id),
        key: catalogue.keys[id] ?? '',
        action: {
          text: 'Remove',
          label: `Remove ${nameOf(id)} from the history`,
          onClick: () => {
            history.splice(index, 1);
            update();
          },
        },
      })),
      'Nothing yet: add items from the search or the recommendations.',
      searchBox,
    );
    $('history-count').textContent = history.length > 0 ? `(${history.length})` : '';
    clearButton.disabled = history.length === 0;
    if (history.length === 0) {
      renderRows(recommendations, [], 'Recommendations appear once the history has an item.');
      timing.textContent = 'Add an item to see recommendations.';
      recommendations.dataset.history = '';
      return;
    }
    const started = performance.now();
    const top = recommend(model, history, { k: TOP_K, itemKeys: catalogue.keys });
    const ms = performance.now() - started;
    timings.push(ms);
    renderRows(
      recommendations,
      top.map(({ item, key, score }) => ({
        id: item,
        label: labelOf(item),
        key: key ?? '',
        extra: `score ${score.toFixed(3)}`,
        data: { score: String(score) },
        action: { text: 'Add', label: `Add ${nameOf(item)} to the history`, onClick: () => add(item) },
      })),
      '',
    );
    timing.textContent =
      `Ranked all ${model.numItems.toLocaleString('en')} items in ${ms.toFixed(1)} ms` +
      (timings.length > 1 ? ` (the first ranking took ${timings[0]!.toFixed(1)} ms).` : ' (the first ranking).');
    timing.dataset.ms = String(ms);
    timing.dataset.firstMs = String(timings[0]);
    // Which history these rows answer, so a reader (the browser test) knows they are up to date.
    recommendations.dataset.history = history.join(',');
  }
}

main().catch((error: unknown) => {
  status.textContent = `The page could not start: ${error instanceof Error ? error.message : String(error)}`;
  status.setAttribute('role', 'alert');
  document.body.dataset.state = 'error';
  console.error(error);
});
