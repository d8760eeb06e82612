import { inflateRawSync } from 'node:zlib';

// Reads a .docx back the way a reviewer would: the zip's parts by name, then the body's
// paragraphs and tables as text. Written against the zip format itself (no dependency), so a
// test of the generator does not read the file through the library that wrote it.

/** The zip's files by name (stored or deflated, as Word files are). */
export function unzip(buffer: Buffer): Map<string, Buffer> {
  // The end-of-central-directory record: the last 0x06054b50 in the file.
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30);
    const comment = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataAt, dataAt + size);
    files.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

function unescape(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A paragraph's text: its runs' w:t joined (a line break inside a cell adds nothing). */
function paragraphText(xml: string): string {
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1]!)).join('');
}

export interface DocxBody {
  /** Every paragraph outside tables, in order. */
  paragraphs: string[];
  /** Every table: rows of cell texts. */
  tables: string[][][];
  /** Paragraphs that start a new page (w:pageBreakBefore). */
  pageStarts: string[];
}

export function readDocxBody(docx: Buffer): DocxBody {
  const xml = unzip(docx).get('word/document.xml')?.toString('utf8');
  if (!xml) throw new Error('no word/document.xml');
  const body = xml.slice(xml.indexOf('<w:body>'), xml.lastIndexOf('</w:body>'));
  const tables: string[][][] = [];
  const outside = body.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (tbl) => {
    tables.push([...tbl.matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((tr) => [...tr[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((tc) => paragraphText(tc[1]!))));
    return '';
  });
  const paragraphs: string[] = [];
  const pageStarts: string[] = [];
  for (const p of outside.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>|<w:p\/>/g)) {
    const text = p[1] === undefined ? '' : paragraphText(p[1]);
    paragraphs.push(text);
    if (p[1]?.includes('<w:pageBreakBefore')) pageStarts.push(text);
  }
  return { paragraphs, tables, pageStarts };
}

/** The text of every header part (where the 草稿 mark is). */
export function docxHeaders(docx: Buffer): string {
  return [...unzip(docx)]
    .filter(([name]) => /^word\/header\d*\.xml$/.test(name))
    .map(([, data]) => paragraphText(data.toString('utf8')))
    .join('\n');
}
