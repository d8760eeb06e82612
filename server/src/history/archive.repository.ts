import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** What an archived month's manifest says of its file. */
export interface ArchiveManifest {
  month: string;
  events: number;
  /** sha256 of the uncompressed NDJSON. */
  sha256: string;
  days: Record<string, number>;
  writtenAt: string;
}

/** An archive file that does not hold what its manifest or the store says. */
export class ArchiveCorrupt extends Error {
  override readonly name = 'ArchiveCorrupt';
}

export function ndjsonDigest(lines: readonly string[]): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line + '\n');
  return hash.digest('hex');
}

/**
 * Archived months on disk: `<month>.ndjson.gz` (one event per line, by day then as stored) and
 * `<month>.json` (count, hash, events per day). ARCHIVE_DIR should be storage every instance
 * mounts: after the archive, these files are the only copy of the month's events.
 */
@Injectable()
export class ArchiveRepository {
  readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.ARCHIVE_DIR ?? join(config.DATA_DIR, 'archive');
  }

  fileOf(month: string): string {
    return join(this.dir, `${month}.ndjson.gz`);
  }

  private manifestOf(month: string): string {
    return join(this.dir, `${month}.json`);
  }

  exists(month: string): boolean {
    return existsSync(this.fileOf(month));
  }

  /** Writes the month (through a temporary file, so a file is whole or absent). */
  write(month: string, lines: readonly string[], days: Record<string, number>): ArchiveManifest {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const manifest: ArchiveManifest = { month, events: lines.length, sha256: ndjsonDigest(lines), days, writtenAt: new Date().toISOString() };
    const tmp = `${this.fileOf(month)}.tmp`;
    writeFileSync(tmp, gzipSync(lines.map((l) => l + '\n').join(''), { level: 9 }), { mode: 0o600 });
    renameSync(tmp, this.fileOf(month));
    writeFileSync(this.manifestOf(month), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    return manifest;
  }

  /** The month's events, checked against its manifest (and `expect`, when given): a file that differs is refused. */
  read(month: string, expect?: { events: number; sha256: string }): { lines: string[]; manifest: ArchiveManifest } {
    const file = this.fileOf(month);
    let manifest: ArchiveManifest;
    let lines: string[];
    try {
      manifest = JSON.parse(readFileSync(this.manifestOf(month), 'utf8')) as ArchiveManifest;
      const text = gunzipSync(readFileSync(file)).toString('utf8');
      lines = text ? text.slice(0, -1).split('\n') : [];
    } catch (e) {
      throw new ArchiveCorrupt(`archive ${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const want = expect ?? manifest;
    const sha256 = ndjsonDigest(lines);
    if (lines.length !== want.events || sha256 !== want.sha256 || (expect && (manifest.events !== expect.events || manifest.sha256 !== expect.sha256))) {
      throw new ArchiveCorrupt(
        `archive ${file} does not match ${expect ? 'the store' : 'its manifest'}: ${lines.length} events, sha256 ${sha256.slice(0, 12)}…; expected ${want.events} events, sha256 ${want.sha256.slice(0, 12)}…`,
      );
    }
    return { lines, manifest };
  }
}
