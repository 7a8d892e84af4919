import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities } from './decode-html-entities';

describe('decodeHtmlEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(
      decodeHtmlEntities('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &nbsp;&copy;&eacute;&yuml;&mdash;&euro;'),
    ).toBe('<a> & "b" \'c\' \u00a0©éÿ—€');
    expect(decodeHtmlEntities('&#233;&#xE9;&#X263a;&#39')).toBe("éé☺'");
  });

  it('decodes once, so escaped references stay escaped', () => {
    expect(decodeHtmlEntities('&amp;lt;')).toBe('&lt;');
  });

  it('leaves unknown names and bare ampersands alone', () => {
    expect(decodeHtmlEntities('Q&A &bogus; &amp AT&T')).toBe('Q&A &bogus; &amp AT&T');
  });

  it('maps 0x80–0x9F to Windows-1252 and invalid code points to U+FFFD', () => {
    expect(decodeHtmlEntities('&#146;&#150;&#153;&#129;')).toBe('’–™\u0081');
    expect(decodeHtmlEntities('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
  });
});
