import type { RawItemMeta } from '../types';
import { decodeHtmlEntities } from './decode-html-entities';

/** UniSRec blanks a part whose cleaned text reaches this many characters (code points). */
const MAX_PART_LENGTH = 2000;

const TAG = /<\/?[A-Za-z][^<>]*>/g;

/**
 * The item sentence UniSRec feeds its text encoder: "title. categories. brand." — exactly:
 *
 * 1. Parts, in order: `title`; the `categories` joined by one space (each cleaned alone first);
 *    `brand`. `description` and `imageUrl` are not used.
 * 2. Each piece of text: HTML character references decoded (see `decodeHtmlEntities`), HTML
 *    tags such as `<br/>` replaced by a space, double quotes `"` deleted, every run of whitespace
 *    (line breaks, tabs and no-break spaces included) made one space, then trimmed.
 * 3. A part that is blank after step 2 is skipped. Otherwise trailing periods and spaces are cut
 *    and exactly one period is appended ("Inc." stays "Inc.", "Wow..." becomes "Wow.").
 * 4. A part of 2000 or more characters (with its period) is skipped, as UniSRec blanks it.
 * 5. Parts are joined by one space; no trailing space. No parts gives ''.
 *
 * Departures from UniSRec's script, on purpose: it deletes `\n`/`\r` (gluing the words on both
 * sides) and tags, and keeps tabs and repeated spaces; here all of them become one space. It
 * also leaves a trailing space and writes "." for an empty part; here blank parts are skipped.
 */
export function cleanItemText(meta: RawItemMeta): string {
  const categories = (meta.categories ?? []).map(cleanPiece).filter((piece) => piece !== '');
  const parts = [cleanPiece(meta.title ?? ''), categories.join(' '), cleanPiece(meta.brand ?? '')];
  return parts
    .map(finishPart)
    .filter((part) => part !== '')
    .join(' ');
}

function cleanPiece(text: string): string {
  return decodeHtmlEntities(text).replace(TAG, ' ').replace(/"/g, '').replace(/\s+/g, ' ').trim();
}

function finishPart(piece: string): string {
  const body = piece.replace(/[.\s]+$/, '');
  if (body === '') return '';
  const part = `${body}.`;
  return codePointLength(part) >= MAX_PART_LENGTH ? '' : part;
}

function codePointLength(text: string): number {
  if (text.length < MAX_PART_LENGTH) return text.length; // code points never outnumber code units
  return Array.from(text).length;
}
