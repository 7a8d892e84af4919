// DOM building for the page. Text from the model file goes in through textContent only, never as HTML.

/** One item row: its title, its key, optional extra text, and the button that acts on it. */
export interface ItemRow {
  id: number;
  label: string;
  key: string;
  /** Shown after the key (a score). */
  extra?: string;
  /** Extra data-* attributes of the row, e.g. { score: '0.12' } → data-score. */
  data?: Record<string, string>;
  action: { text: string; label: string; onClick: () => void };
}

/**
 * Replaces the rows of `list`. When focus was on a row's button it moves to the button at the same
 * position afterwards (or the last one, or `fallbackFocus` when no row is left), so keyboard users are
 * not thrown back to the top of the page.
 */
export function renderRows(
  list: HTMLElement,
  rows: readonly ItemRow[],
  emptyText: string,
  fallbackFocus?: HTMLElement,
): void {
  const buttons = [...list.querySelectorAll('button')];
  const focused = buttons.indexOf(document.activeElement as HTMLButtonElement);
  list.replaceChildren(...rows.map(rowElement));
  if (rows.length === 0) list.append(element('li', 'empty', emptyText));
  if (focused >= 0) {
    const after = list.querySelectorAll('button');
    ((after[Math.min(focused, after.length - 1)] as HTMLButtonElement | undefined) ?? fallbackFocus)?.focus();
  }
}

function rowElement(row: ItemRow): HTMLLIElement {
  const item = element('li', 'item');
  item.dataset.itemId = String(row.id);
  for (const [name, value] of Object.entries(row.data ?? {})) item.dataset[name] = value;
  const text = element('span', 'item-text');
  const label = element('span', 'label', row.label);
  label.title = row.label; // the full title where the row clamps it
  // The key may be cut short on a narrow screen, the extra (a score) never.
  const meta = element('span', 'meta');
  meta.append(element('span', 'key', row.key));
  if (row.extra) meta.append(element('span', 'extra', row.extra));
  text.append(label, meta);
  const button = element('button', 'action', row.action.text);
  button.type = 'button';
  button.setAttribute('aria-label', row.action.label);
  button.addEventListener('click', row.action.onClick);
  item.append(text, button);
  return item;
}

/** Search results: each whole row is the button, so a click anywhere on it (or Enter) picks it. */
export function renderPicks(
  list: HTMLElement,
  hits: readonly { id: number; label: string; key: string }[],
  emptyText: string,
  onPick: (id: number) => void,
): void {
  list.replaceChildren(
    ...hits.map((hit) => {
      const button = element('button', 'pick');
      button.type = 'button';
      button.dataset.itemId = String(hit.id);
      button.append(element('span', 'label', hit.label), element('span', 'meta', hit.key));
      button.title = hit.label;
      button.addEventListener('click', () => onPick(hit.id));
      const item = element('li', 'item');
      item.append(button);
      return item;
    }),
  );
  if (hits.length === 0 && emptyText) list.append(element('li', 'empty', emptyText));
}

/** A definition list of name → value pairs. */
export function renderFacts(list: HTMLElement, facts: readonly [string, string][]): void {
  list.replaceChildren(...facts.flatMap(([name, value]) => [element('dt', '', name), element('dd', '', value)]));
}

/** A one-row table: metric names as column headers, values to 4 decimals. */
export function renderMetrics(table: HTMLTableElement, metrics: Record<string, number>): void {
  const names = Object.keys(metrics);
  table.tHead!.rows[0]!.replaceChildren(
    ...names.map((name) => {
      const cell = element('th', '', name);
      cell.scope = 'col';
      return cell;
    }),
  );
  table.tBodies[0]!.rows[0]!.replaceChildren(...names.map((name) => element('td', '', metrics[name]!.toFixed(4))));
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text = '',
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text) created.textContent = text;
  return created;
}
