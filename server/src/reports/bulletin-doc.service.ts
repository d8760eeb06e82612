import { BadRequestException, ForbiddenException, Injectable } from '@nestjs/common';
import {
  ANNEX1_CENTER,
  addMonths,
  composeBulletin,
  docNumberOf,
  movedCells,
  nextDocNumber,
  writingCenters,
  type BulletinDoc,
  type BulletinFigures,
  type BulletinParts,
  type CityPartsBody,
  type MovedCell,
} from '@wall/shared';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/auth.types.js';
import { UsersRepository } from '../auth/users.repository.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { BulletinPartsRepository, type CityParts, type IssuedVersion, type StoredPart } from './bulletin-parts.repository.js';
import { BulletinService } from './bulletin.service.js';

/** What the bulletin page shows: the parts, who has not written, the draft and the issued version. */
export interface BulletinState {
  month: string;
  parts: BulletinParts;
  /** Last month's 工作要求 and 抄送, offered while this month has none: a draft to start from, not saved. */
  suggested: { from: string; requirements?: string; cc?: string } | null;
  /** Centers with no paragraph yet, in reference order. */
  missing: Array<{ id: string; name: string }>;
  proposedDocNumber: string;
  /** The draft as it would be issued now, off the live figures. */
  draft: BulletinDoc;
  issued: { version: number; at: string; by: string; doc: BulletinDoc; moved: MovedCell[] } | null;
  /** What this user may change. */
  can: { centers: string[]; city: boolean; issue: boolean };
  revs: { centers: Record<string, number>; city: number };
}

@Injectable()
export class BulletinDocService {
  constructor(
    private readonly parts: BulletinPartsRepository,
    private readonly bulletin: BulletinService,
    private readonly reference: ReferenceService,
    private readonly live: LiveStateService,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** A supervisor scoped to centers writes for those centers; an admin for any. */
  private async scopeOf(user: Principal): Promise<{ all: boolean; centers: string[] }> {
    if (user.role === 'admin') return { all: true, centers: [] };
    if (user.role !== 'supervisor') return { all: false, centers: [] };
    const stored = await this.users.get(user.username);
    return { all: false, centers: stored?.scope?.centers ?? [] };
  }

  private async can(user: Principal): Promise<BulletinState['can']> {
    const scope = await this.scopeOf(user);
    const ids = writingCenters(this.reference.index).map((c) => c.id);
    return {
      centers: scope.all ? ids : ids.filter((id) => scope.centers.includes(id)),
      // City staff: an admin, or a supervisor scoped to the city center itself.
      city: scope.all || scope.centers.includes(ANNEX1_CENTER),
      issue: user.role === 'admin',
    };
  }

  private async stored(month: string): Promise<{ parts: BulletinParts; centers: Map<string, StoredPart<string>>; city: StoredPart<CityParts> | undefined }> {
    const ids = writingCenters(this.reference.index).map((c) => c.id);
    const [centers, city] = await Promise.all([this.parts.centers(month, ids), this.parts.city(month)]);
    const parts: BulletinParts = { centers: Object.fromEntries([...centers].map(([id, p]) => [id, p.value])), ...city?.value };
    return { parts, centers, city };
  }

  async figures(month: string): Promise<BulletinFigures> {
    const { monthly, drills, assessment } = await this.bulletin.all(month);
    return { monthly, drills, assessment };
  }

  /** A month's 合计 when the product holds any of its incidents, else null (no 环比/同比 against nothing). */
  private async totalOf(month: string): Promise<number | null> {
    const total = (await this.bulletin.monthly(month)).total.incidents;
    return total > 0 ? total : null;
  }

  private async compose(month: string, parts: BulletinParts, figures: BulletinFigures, draft: boolean): Promise<BulletinDoc> {
    const [previousTotal, lastYearTotal] = await Promise.all([this.totalOf(addMonths(month, -1)), this.totalOf(addMonths(month, -12))]);
    return composeBulletin({ month, parts, figures, ref: this.reference.index, zone: this.live.zone, previousTotal, lastYearTotal, draft });
  }

  /** The year a month's 通报 is numbered in: the issue date's, else the month after the report's (August's is signed in September). */
  private static numberYear(month: string, issueDate?: string): number {
    return Number((issueDate ?? addMonths(month, 1)).slice(0, 4));
  }

  private async proposed(month: string, issueDate?: string): Promise<string> {
    const year = BulletinDocService.numberYear(month, issueDate);
    const used = [...(await this.parts.docNumbers(year))].filter(([m]) => m !== month).map(([, n]) => n);
    return nextDocNumber(year, used);
  }

  async state(month: string, user: Principal): Promise<BulletinState> {
    const [{ parts, centers, city }, figures, issued, can] = await Promise.all([this.stored(month), this.figures(month), this.parts.latestIssued(month), this.can(user)]);
    const ref = this.reference.index;
    let suggested: BulletinState['suggested'] = null;
    if (parts.requirements === undefined || parts.cc === undefined) {
      const last = (await this.parts.city(addMonths(month, -1)))?.value;
      const requirements = parts.requirements === undefined ? last?.requirements : undefined;
      const cc = parts.cc === undefined ? last?.cc : undefined;
      if (requirements !== undefined || cc !== undefined)
        suggested = { from: addMonths(month, -1), ...(requirements !== undefined ? { requirements } : {}), ...(cc !== undefined ? { cc } : {}) };
    }
    return {
      month,
      parts,
      suggested,
      missing: writingCenters(ref)
        .filter((c) => !parts.centers[c.id])
        .map((c) => ({ id: c.id, name: c.name })),
      proposedDocNumber: parts.docNumber ?? (await this.proposed(month, parts.issueDate)),
      draft: await this.compose(month, parts, figures, true),
      issued: issued ? { version: issued.version, at: issued.at, by: issued.by, doc: issued.doc, moved: movedCells(issued.figures, figures, ref) } : null,
      can,
      revs: { centers: Object.fromEntries([...centers].map(([id, p]) => [id, p.rev])), city: city?.rev ?? 0 },
    };
  }

  async putCenter(month: string, center: string, text: string, user: Principal): Promise<void> {
    if (!writingCenters(this.reference.index).some((c) => c.id === center)) {
      throw new BadRequestException({
        statusCode: 400,
        message: `center: ${center} is not a district or county center`,
        errors: [`center: ${center} is not a district or county center`],
      });
    }
    if (!(await this.can(user)).centers.includes(center)) throw new ForbiddenException(`center: you may write only your own center's paragraph, not ${center}'s`);
    await this.parts.putCenter(month, center, text, this.audit.entry(user.username, 'bulletin.center.set', { month, center }));
  }

  async putCity(month: string, patch: CityPartsBody, user: Principal): Promise<void> {
    if (!(await this.can(user)).city) throw new ForbiddenException('city staff (an admin, or a user scoped to 市本级) write 工作要求, 抄送, the issue date and the 文号');
    await this.parts.putCity(month, patch, this.audit.entry(user.username, 'bulletin.city.set', { month, fields: Object.keys(patch) }));
  }

  /** 签发: freezes the draft's text and figures as the month's next version. */
  async issue(month: string, user: Principal): Promise<IssuedVersion> {
    const { parts } = await this.stored(month);
    const errors: string[] = [];
    if (!parts.docNumber) errors.push('docNumber: is required to issue (〔YYYY〕N号)');
    if (!parts.issueDate) errors.push('issueDate: is required to issue (YYYY-MM-DD)');
    const number = parts.docNumber ? docNumberOf(parts.docNumber) : null;
    if (number) {
      const holder = [...(await this.parts.docNumbers(number.year))].find(([m, n]) => n === number.n && m !== month);
      if (holder) errors.push(`docNumber: ${parts.docNumber} is already ${holder[0]}'s`);
    }
    if (errors.length || !number) throw new BadRequestException({ statusCode: 400, message: errors.join('; '), errors });
    const figures = await this.figures(month);
    const doc = await this.compose(month, parts, figures, false);
    const previous = await this.parts.latestIssued(month);
    const version: IssuedVersion = { month, version: (previous?.version ?? 0) + 1, at: new Date().toISOString(), by: user.username, parts, doc, figures };
    await this.parts.issue(version, number, this.audit.entry(user.username, 'bulletin.issue', { month, version: version.version, docNumber: parts.docNumber }));
    return version;
  }

  /** The DOCX's content: the latest issued version, or the live draft (marked 草稿) when none is, or when asked for. */
  async docFor(month: string, wantDraft: boolean): Promise<BulletinDoc> {
    const issued = wantDraft ? undefined : await this.parts.latestIssued(month);
    if (issued) return issued.doc;
    const [{ parts }, figures] = await Promise.all([this.stored(month), this.figures(month)]);
    return this.compose(month, parts, figures, true);
  }
}
