import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';

/** One line of a text file without its line break; `line` counts from 1. */
export interface TextLine {
  text: string;
  line: number;
}

export interface ReadLinesOptions {
  /**
   * Throw a `DataFormatError` at the last line when it has no line break after it: a file cut
   * short (a partial copy, a full disk) almost always ends mid-line. For the dataset files this
   * project writes and ships, which always end with one. Default false (tolerated).
   */
  requireFinalNewline?: boolean;
}

/** A line longer than this is not a record but a sign that the file is not line-oriented. */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

/**
 * Streams the lines of a plain or gzip file; gzip is recognised by its magic bytes (1f 8b), not by
 * the name. Memory stays bounded by one read chunk plus the longest line, so multi-GB dumps are
 * fine. Line breaks are `\n` or `\r\n`; a UTF-8 byte order mark is dropped; invalid UTF-8 becomes
 * U+FFFD. A missing last line break is tolerated unless `requireFinalNewline` is set.
 *
 * A truncated or corrupt gzip throws `DataFormatError` at the line being read when the stream
 * broke (lines read so far + 1); a file that cannot be opened throws `InvalidArgumentError`.
 */
export async function* readLines(file: string, options: ReadLinesOptions = {}): AsyncIterable<TextLine> {
  const isGzip = await startsWithGzipMagic(file);
  const stream = openStream(file, isGzip);
  const decoder = new TextDecoder('utf-8');
  let line = 0;
  let pending = '';
  try {
    for await (const chunk of stream) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      let start = 0;
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        line++;
        yield { text: withoutCarriageReturn(pending + text.slice(start, newline)), line };
        pending = '';
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      pending += text.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        throw new DataFormatError(
          file,
          line + 1,
          `line longer than ${MAX_LINE_CHARS} characters; not a line-oriented text file`,
        );
      }
    }
  } catch (error) {
    throw describeStreamError(error, file, line + 1, isGzip);
  } finally {
    stream.destroy();
  }
  pending += decoder.decode();
  if (pending.length === 0) return;
  if (options.requireFinalNewline === true) {
    throw new DataFormatError(
      file,
      line + 1,
      `the last line has no line break after it, so the file may have been cut short (${JSON.stringify(pending.slice(0, 40))}${pending.length > 40 ? '…' : ''}); ` +
        'restore the complete file, or end it with a newline if this line is complete',
    );
  }
  yield { text: withoutCarriageReturn(pending), line: line + 1 };
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'r');
    try {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InvalidArgumentError('file', `cannot read ${file} (${code})`, { cause: error });
  }
}

function openStream(file: string, isGzip: boolean): Readable {
  const source = createReadStream(file, { highWaterMark: 1 << 16 });
  if (!isGzip) return source;
  // pipeline forwards a read error to the gunzip stream and tears both down on early exit; the
  // error itself reaches us through the iterator, so the callback has nothing left to do.
  return pipeline(source, createGunzip(), () => undefined);
}

function withoutCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function describeStreamError(error: unknown, file: string, line: number, isGzip: boolean): unknown {
  if (error instanceof DataFormatError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  if (isGzip && code === 'Z_BUF_ERROR') {
    return new DataFormatError(file, line, `truncated gzip: the data stops while reading line ${line} (${message})`, {
      cause: error,
    });
  }
  if (isGzip && typeof code === 'string' && code.startsWith('Z_')) {
    return new DataFormatError(file, line, `corrupt gzip: ${message} (${code})`, { cause: error });
  }
  if (typeof code === 'string') {
    return new DataFormatError(file, line, `read failed: ${message} (${code})`, { cause: error });
  }
  return error;
}
