// Splitting a streamed NDJSON body into lines, whatever the chunk boundaries.

export class LineSplitter {
  private rest = '';

  /** The complete lines in `text` (and any carried over), without their newlines; blank lines skipped. */
  push(text: string): string[] {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop()!;
    return parts.map(trimCr).filter((l) => l.length > 0);
  }

  /** The last line when the body did not end with a newline. */
  end(): string[] {
    const last = trimCr(this.rest);
    this.rest = '';
    return last ? [last] : [];
  }
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export interface StreamProgress {
  bytes: number;
  lines: number;
}

/**
 * Reads a byte stream as UTF-8 lines: `onLine` per line, `onChunk` after each chunk (for a
 * progress display). Resolves with the totals when the stream ends.
 */
export async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void, onChunk?: (progress: StreamProgress) => void): Promise<StreamProgress> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const splitter = new LineSplitter();
  const progress: StreamProgress = { bytes: 0, lines: 0 };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      progress.bytes += value.byteLength;
      for (const line of splitter.push(decoder.decode(value, { stream: true }))) {
        progress.lines++;
        onLine(line);
      }
      onChunk?.(progress);
    }
    for (const line of splitter.push(decoder.decode())) {
      progress.lines++;
      onLine(line);
    }
    for (const line of splitter.end()) {
      progress.lines++;
      onLine(line);
    }
    onChunk?.(progress);
    return progress;
  } finally {
    reader.releaseLock();
  }
}
